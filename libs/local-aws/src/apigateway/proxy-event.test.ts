import { describe, expect, it } from 'vitest';
import { buildProxyEvent, type IncomingRequest, proxyResultToAnswer } from './proxy-event';

const request = (overrides: Partial<IncomingRequest> = {}): IncomingRequest => ({
  method: 'GET',
  path: '/orders/ord_1',
  rawQuery: 'limit=5&tag=a&tag=b',
  rawHeaders: ['Host', 'localhost:3000', 'Accept', 'application/json', 'X-Many', '1', 'X-Many', '2', 'User-Agent', 'curl/8'],
  body: Buffer.alloc(0),
  sourceIp: '127.0.0.1',
  requestId: '0b7f3c52-35f5-4a41-9a3c-6c8e5a1e2f10',
  receivedAt: new Date('2026-04-09T12:34:56.789Z'),
  ...overrides,
});

const options = {
  resourcePath: '/orders/{orderId}',
  pathParameters: { orderId: 'ord_1' },
  stage: 'prod',
  accountId: '000000000000',
  apiId: 'local',
  resourceId: 'abc123',
  host: 'localhost',
};

describe('buildProxyEvent', () => {
  it('builds a REST API proxy event: single and multi-value headers and query, path parameters, request context', () => {
    const event = buildProxyEvent(request(), options);
    expect(event).toMatchObject({
      resource: '/orders/{orderId}',
      path: '/orders/ord_1',
      httpMethod: 'GET',
      headers: { Host: 'localhost:3000', Accept: 'application/json', 'X-Many': '2', 'User-Agent': 'curl/8' },
      multiValueHeaders: { 'X-Many': ['1', '2'] },
      queryStringParameters: { limit: '5', tag: 'b' },
      multiValueQueryStringParameters: { limit: ['5'], tag: ['a', 'b'] },
      pathParameters: { orderId: 'ord_1' },
      stageVariables: null,
      body: null,
      isBase64Encoded: false,
      requestContext: {
        accountId: '000000000000',
        resourcePath: '/orders/{orderId}',
        httpMethod: 'GET',
        path: '/prod/orders/ord_1',
        stage: 'prod',
        requestId: '0b7f3c52-35f5-4a41-9a3c-6c8e5a1e2f10',
        requestTime: '09/Apr/2026:12:34:56 +0000',
        requestTimeEpoch: Date.parse('2026-04-09T12:34:56.789Z'),
        protocol: 'HTTP/1.1',
        identity: { sourceIp: '127.0.0.1', userAgent: 'curl/8' },
      },
    });
  });

  it('has null query maps without a query string, text bodies as text and binary ones in base64', () => {
    const json = buildProxyEvent(request({ rawQuery: '', body: Buffer.from('{"a":1}'), rawHeaders: ['Content-Type', 'application/json'] }), options);
    expect(json.queryStringParameters).toBeNull();
    expect(json.multiValueQueryStringParameters).toBeNull();
    expect([json.body, json.isBase64Encoded]).toEqual(['{"a":1}', false]);
    const binary = buildProxyEvent(request({ body: Buffer.from([0, 1, 2]), rawHeaders: ['Content-Type', 'image/png'] }), options);
    expect([binary.body, binary.isBase64Encoded]).toEqual(['AAEC', true]);
  });
});

describe('proxyResultToAnswer', () => {
  it('takes status, headers (single and multi-value) and body, base64 decoded when flagged', () => {
    expect(proxyResultToAnswer({ statusCode: 201, headers: { Location: '/x' }, multiValueHeaders: { 'Set-Cookie': ['a=1', 'b=2'] }, body: 'hi' })).toEqual({
      statusCode: 201,
      headers: [
        ['Location', '/x'],
        ['Set-Cookie', 'a=1'],
        ['Set-Cookie', 'b=2'],
      ],
      body: Buffer.from('hi'),
    });
    expect(proxyResultToAnswer({ statusCode: 200, body: 'aGk=', isBase64Encoded: true })).toMatchObject({ body: Buffer.from('hi') });
  });

  it('calls malformed what API Gateway answers with 502', () => {
    for (const bad of [null, 'text', [], {}, { statusCode: 'abc' }, { statusCode: 200, body: { a: 1 } }, { statusCode: 200, extra: 1 }, { statusCode: 99 }]) {
      expect(proxyResultToAnswer(bad)).toBe('malformed');
    }
  });
});
