import type { APIGatewayProxyEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { authorizedCustomer, httpRoute, ok, parseJsonBody } from './http';

const event = (overrides: Partial<APIGatewayProxyEvent>) =>
  ({ headers: {}, body: null, requestContext: { requestId: 'r-1' }, ...overrides }) as APIGatewayProxyEvent;
const Schema = z.strictObject({ n: z.number() });

describe('httpRoute', () => {
  it('answers JSON with the route result', async () => {
    const route = httpRoute('GET /x', async () => ok({ hello: 'world' }, 201, { Location: '/x/1' }));
    expect(await route(event({}))).toEqual({
      statusCode: 201,
      headers: { 'Content-Type': 'application/json', Location: '/x/1' },
      body: '{"hello":"world"}',
    });
  });

  it('maps errors through the catalogue and never shows a stack', async () => {
    const route = httpRoute('GET /x', async () => {
      throw new TypeError('cannot read properties of undefined (reading secretThing)');
    });
    const result = await route(event({}));
    expect(result.statusCode).toBe(500);
    expect(JSON.parse(result.body)).toEqual({ error: { code: 'INTERNAL', message: 'Something went wrong on our side.' } });
  });
});

describe('parseJsonBody', () => {
  it('parses JSON bodies, also base64-encoded', () => {
    expect(parseJsonBody(event({ body: '{"n":1}' }), Schema)).toEqual({ n: 1 });
    expect(parseJsonBody(event({ body: Buffer.from('{"n":2}').toString('base64'), isBase64Encoded: true }), Schema)).toEqual({ n: 2 });
  });

  it('refuses another media type (415), bad JSON and bad shapes (400)', () => {
    expect(() => parseJsonBody(event({ body: 'n=1', headers: { 'content-type': 'text/plain' } }), Schema)).toThrow(
      expect.objectContaining({ code: 'UNSUPPORTED_MEDIA_TYPE' }),
    );
    expect(() => parseJsonBody(event({ body: '{n:1' }), Schema)).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    expect(() => parseJsonBody(event({ body: '{"n":"1","x":0}' }), Schema)).toThrow(
      expect.objectContaining({ details: expect.arrayContaining([expect.objectContaining({ path: 'n' })]) }),
    );
  });
});

describe('authorizedCustomer', () => {
  it('reads a Lambda authorizer principal or a JWT subject', () => {
    expect(authorizedCustomer(event({}))).toBeUndefined();
    const withAuthorizer = (authorizer: unknown) =>
      event({ requestContext: { requestId: 'r', authorizer } as unknown as APIGatewayProxyEvent['requestContext'] });
    expect(authorizedCustomer(withAuthorizer({ principalId: 'cust-1' }))).toBe('cust-1');
    expect(authorizedCustomer(withAuthorizer({ claims: { sub: 'cust-2' } }))).toBe('cust-2');
  });
});
