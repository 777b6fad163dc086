import { CheckoutWorkflowInputSchema, ERROR_CATALOGUE } from '@orderflow/contracts';
import { render } from 'velocityjs';
import { describe, expect, it } from 'vitest';
import {
  buildCheckoutWorkflowInput,
  CHECKOUT_INTEGRATION_ERROR_TEMPLATE,
  CHECKOUT_REQUEST_TEMPLATE,
  CHECKOUT_RESPONSE_TEMPLATE,
  checkoutCorsHeaders,
  checkoutExecutionName,
  checkoutResponseTemplate,
  GATEWAY_RESPONSES,
  gatewayErrorResponse,
  gatewayResponseTemplate,
  mapCheckoutExecutionResult,
  MAX_EXECUTION_NAME_LENGTH,
  STATE_MACHINE_ARN_TOKEN,
  type SyncExecutionResult,
} from './api-mapping';

/**
 * A small emulation of API Gateway's template environment on velocityjs: `$input`,
 * `$util` and `$context` as the API Gateway developer guide describes them, and the Java
 * String methods the templates call (`length`, `substring`, regex `replaceAll`).
 */
function escapeJavaScript(text: string): string {
  // Apache Commons StringEscapeUtils.escapeJavaScript, which $util.escapeJavaScript uses.
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '"') out += '\\"';
    else if (ch === "'") out += "\\'";
    else if (ch === '\\') out += '\\\\';
    else if (ch === '/') out += '\\/';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (code < 0x20 || code > 0x7e) {
      const units = code > 0xffff ? [...String.fromCodePoint(code)].join('') : ch;
      for (let i = 0; i < units.length; i++) out += `\\u${units.charCodeAt(i).toString(16).toUpperCase().padStart(4, '0')}`;
    } else out += ch;
  }
  return out;
}

const javaStringMethods = [
  {
    uid: 'java-length',
    match: ({ property, context }: { property: string; context: unknown }) => property === 'length' && typeof context === 'string',
    resolve: ({ context }: { context: string }) => context.length,
  },
  {
    uid: 'java-substring',
    match: ({ property, context }: { property: string; context: unknown }) => property === 'substring' && typeof context === 'string',
    resolve: ({ context, params }: { context: string; params: number[] }) => context.substring(params[0] ?? 0, params[1]),
  },
  {
    uid: 'java-replaceAll',
    match: ({ property, context }: { property: string; context: unknown }) => property === 'replaceAll' && typeof context === 'string',
    resolve: ({ context, params }: { context: string; params: string[] }) =>
      context.replace(new RegExp(params[0] ?? '', 'g'), params[1] ?? ''),
  },
];

interface ApiRequest {
  body: unknown;
  headers: Record<string, string>;
  requestId: string;
  principalId?: string;
  xrayTraceId?: string;
}

function renderRequestTemplate(request: ApiRequest): { stateMachineArn: string; name: string; input: string; traceHeader: string } {
  const rawBody = JSON.stringify(request.body);
  const context = {
    input: {
      json: (path: string) => (path === '$' ? rawBody : undefined),
      path: (path: string) => (path === '$' ? request.body : path === '$.customerId' ? (request.body as { customerId?: unknown }).customerId : undefined),
      params: (name: string) => request.headers[name] ?? '',
      body: rawBody,
    },
    util: { escapeJavaScript, parseJson: (text: string) => JSON.parse(text) as unknown },
    context: {
      requestId: request.requestId,
      xrayTraceId: request.xrayTraceId ?? '',
      // The Cognito authorizer hands the ID token's claims on (every value a string).
      authorizer: request.principalId ? { claims: { sub: request.principalId, token_use: 'id' } } : {},
    },
  };
  const text = render(CHECKOUT_REQUEST_TEMPLATE, context, {}, { escape: false, customMethodHandlers: javaStringMethods });
  return JSON.parse(text) as { stateMachineArn: string; name: string; input: string; traceHeader: string };
}

function renderResponseTemplate(
  template: string,
  result: unknown,
  requestHeaders: Record<string, string> = {},
): { statusCode: number; headers: Record<string, string>; body: string } {
  const responseOverride: { status?: number; header: Record<string, string> } = { header: {} };
  const context = {
    input: { path: (path: string) => (path === '$' ? result : undefined), json: () => JSON.stringify(result), params: (name: string) => requestHeaders[name] ?? '' },
    util: { escapeJavaScript, parseJson: (text: string) => JSON.parse(text) as unknown },
    context: { responseOverride },
  };
  const body = render(template, context, {}, { escape: false, customMethodHandlers: javaStringMethods }).trim();
  return {
    statusCode: responseOverride.status ?? 200,
    headers: { 'Content-Type': 'application/json', ...responseOverride.header },
    body,
  };
}

const requestId = 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef';
const body = { customerId: 'cust-42', items: [{ productId: 'mug-classic', quantity: 2 }], payment: { method: 'card', paymentMethodId: 'pm_card_visa' } };

describe('the request template and buildCheckoutWorkflowInput agree', () => {
  it.each<[string, ApiRequest]>([
    ['a plain request', { body, headers: { 'Idempotency-Key': 'order-1' }, requestId }],
    ['no idempotency key', { body, headers: {}, requestId }],
    ['a lowercase header', { body, headers: { 'idempotency-key': 'order-2' }, requestId }],
    ['a key with quotes, slashes and apostrophes', { body, headers: { 'Idempotency-Key': `k"e'y\\/1` }, requestId }],
    ['text with apostrophes and accents', { body: { ...body, note: "O'Brien's café \u{1F600}" }, headers: {}, requestId }],
    ['an authorizer principal', { body, headers: {}, requestId, principalId: 'cust-42' }],
    ['a body without customerId, signed in', { body: { items: body.items, payment: body.payment }, headers: {}, requestId, principalId: 'a7f3c1d2-0b1e-4c55-9a0e-5d2c6e7f8a90' }],
    ['a 64-character customer', { body: { ...body, customerId: 'c'.repeat(64) }, headers: {}, requestId }],
  ])('%s', (_name, request) => {
    const rendered = renderRequestTemplate(request);
    expect(rendered.stateMachineArn).toBe(STATE_MACHINE_ARN_TOKEN);
    const input = CheckoutWorkflowInputSchema.parse(JSON.parse(rendered.input));
    expect(input).toEqual(
      buildCheckoutWorkflowInput({ body: request.body, headers: request.headers, requestId, authorizedCustomerId: request.principalId ?? null }),
    );
    expect(rendered.name).toBe(checkoutExecutionName(request.body, requestId, request.principalId));
    expect(rendered.name.length).toBeLessThanOrEqual(MAX_EXECUTION_NAME_LENGTH);
    expect(rendered.name).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(rendered.name.startsWith((request.principalId ?? (request.body as { customerId: string }).customerId).slice(0, 43))).toBe(true);
  });

  it('passes the X-Ray trace of the request', () => {
    expect(renderRequestTemplate({ body, headers: {}, requestId, xrayTraceId: '1-5e1b4151-abc' }).traceHeader).toBe('Root=1-5e1b4151-abc');
    expect(renderRequestTemplate({ body, headers: { 'X-Amzn-Trace-Id': 'Root=1-2-3' }, requestId }).traceHeader).toBe('Root=1-2-3');
  });
});

const output = (statusCode: number, responseBody: unknown, headers: Record<string, string> = { 'Content-Type': 'application/json' }) =>
  JSON.stringify({ statusCode, headers, body: JSON.stringify(responseBody) });

describe('the response template and mapCheckoutExecutionResult agree', () => {
  it.each<[string, SyncExecutionResult]>([
    ['an order placed', { status: 'SUCCEEDED', output: output(201, { orderId: 'ord_1', status: 'CONFIRMED' }, { 'Content-Type': 'application/json', Location: '/orders/ord_1' }) }],
    [
      'a replayed order',
      {
        status: 'SUCCEEDED',
        output: output(201, { orderId: 'ord_1', status: 'CONFIRMED' }, {
          'Content-Type': 'application/json',
          Location: '/orders/ord_1',
          'Idempotent-Replayed': 'true',
        }),
      },
    ],
    ['a replayed decline', { status: 'SUCCEEDED', output: output(402, { error: { code: 'PAYMENT_DECLINED', message: 'declined' } }, { 'Content-Type': 'application/json', 'Idempotent-Replayed': 'true' }) }],
    ['out of stock', { status: 'SUCCEEDED', output: output(409, { error: { code: 'OUT_OF_STOCK', message: "Not enough stock for O'Brien mug." } }) }],
    ['a decline', { status: 'SUCCEEDED', output: output(402, { error: { code: 'PAYMENT_DECLINED', message: 'declined', declineCode: 'insufficient_funds' } }) }],
    ['a timed-out execution', { status: 'TIMED_OUT', error: 'States.Timeout' }],
    ['a failed execution', { status: 'FAILED', error: 'States.Runtime', cause: 'at handler.ts:12 secret stack' }],
    ['an aborted execution', { status: 'ABORTED' }],
  ])('%s', (_name, result) => {
    const viaVtl = renderResponseTemplate(CHECKOUT_RESPONSE_TEMPLATE, result);
    const viaTs = mapCheckoutExecutionResult(result);
    expect(viaVtl.statusCode).toBe(viaTs.statusCode);
    expect(viaVtl.headers).toEqual(viaTs.headers);
    expect(JSON.parse(viaVtl.body)).toEqual(JSON.parse(viaTs.body));
    expect(viaTs.body).not.toContain('secret');
  });

  it('copies Location and Idempotent-Replayed, and no other header of the workflow', () => {
    const replayed = mapCheckoutExecutionResult({
      status: 'SUCCEEDED',
      output: output(201, {}, { Location: '/orders/ord_1', 'Idempotent-Replayed': 'true', 'X-Internal': 'secret' }),
    });
    expect(replayed.headers).toEqual({ 'Content-Type': 'application/json', Location: '/orders/ord_1', 'Idempotent-Replayed': 'true' });
    const viaVtl = renderResponseTemplate(CHECKOUT_RESPONSE_TEMPLATE, {
      status: 'SUCCEEDED',
      output: output(201, {}, { Location: '/orders/ord_1', 'Idempotent-Replayed': 'true', 'X-Internal': 'secret' }),
    });
    expect(viaVtl.headers).toEqual(replayed.headers);
    expect(mapCheckoutExecutionResult({ status: 'SUCCEEDED', output: output(201, {}) }).headers).not.toHaveProperty('Idempotent-Replayed');
  });

  it('maps FAILED to 500 and TIMED_OUT to 504 with catalogue bodies', () => {
    expect(mapCheckoutExecutionResult({ status: 'FAILED' })).toMatchObject({ statusCode: 500 });
    expect(JSON.parse(mapCheckoutExecutionResult({ status: 'TIMED_OUT' }).body)).toEqual({
      error: { code: 'TIMEOUT', message: ERROR_CATALOGUE.TIMEOUT.message },
    });
  });

  it('answers an allowed storefront origin with CORS headers, as the Lambda routes do, and no other origin', () => {
    const origins = ['https://shop.example.com', 'http://localhost:5173'];
    const template = checkoutResponseTemplate(origins);
    const placed = { status: 'SUCCEEDED', output: output(201, { orderId: 'ord_1' }, { 'Content-Type': 'application/json', Location: '/orders/ord_1' }) };
    for (const origin of [...origins, 'https://evil.example.com', '']) {
      const viaVtl = renderResponseTemplate(template, placed, origin ? { Origin: origin } : {});
      const viaTs = mapCheckoutExecutionResult(placed, { origin: origin || undefined, allowedOrigins: origins });
      expect(viaVtl.headers, origin).toEqual(viaTs.headers);
      expect(viaTs.headers['Access-Control-Allow-Origin']).toBe(origins.includes(origin) ? origin : undefined);
    }
    expect(checkoutCorsHeaders(origins)).toEqual(['Access-Control-Allow-Origin', 'Access-Control-Expose-Headers', 'Vary']);
    expect(checkoutResponseTemplate([])).toBe(CHECKOUT_RESPONSE_TEMPLATE);
  });

  it('answers 500 when StartSyncExecution itself refuses', () => {
    const viaVtl = renderResponseTemplate(CHECKOUT_INTEGRATION_ERROR_TEMPLATE, { __type: 'ThrottlingException' });
    expect(viaVtl.statusCode).toBe(500);
    expect(JSON.parse(viaVtl.body)).toEqual({ error: { code: 'INTERNAL', message: ERROR_CATALOGUE.INTERNAL.message } });
  });
});

describe('gateway responses', () => {
  it.each(GATEWAY_RESPONSES.map((r) => [r.type]))('%s is a catalogue body once substituted', (type) => {
    const response = gatewayErrorResponse(type, 'Invalid request body');
    const parsed = JSON.parse(response.body) as { error: { code: string; message: string } };
    expect(ERROR_CATALOGUE[parsed.error.code as keyof typeof ERROR_CATALOGUE].status).toBe(response.statusCode);
    expect(gatewayResponseTemplate(type)).not.toContain('$util');
  });
});
