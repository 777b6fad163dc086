import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type PaypalSandbox, startPaypalSandbox } from './paypal-sandbox';

// The PayPal sandbox's rules, over plain HTTP as PayPal's REST API would be called.

let sandbox: PaypalSandbox;
let token = '';

interface Answer {
  status: number;
  headers: Headers;
  // PayPal's JSON, read loosely.
  body: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test reads arbitrary JSON paths
}

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(`${sandbox.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as Answer['body']) : {} };
}

async function fetchToken(id: string, secret: string): Promise<Response> {
  return fetch(`${sandbox.url}/v1/oauth2/token`, {
    method: 'POST',
    headers: { Authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  });
}

const orderBody = (value = '25.98', currency = 'USD', intent = 'AUTHORIZE') => ({
  intent,
  purchase_units: [{ reference_id: 'default', amount: { currency_code: currency, value }, custom_id: 'cust-42' }],
  application_context: { return_url: 'https://shop.example/return', cancel_url: 'https://shop.example/cancel', brand_name: 'Shop' },
});

async function approvedAuthorization(value = '25.98') {
  const order = await call('POST', '/v2/checkout/orders', orderBody(value));
  sandbox.approveOrder(order.body.id);
  const authorized = await call('POST', `/v2/checkout/orders/${order.body.id}/authorize`, {}, { Prefer: 'return=representation' });
  return { orderId: order.body.id as string, authorizationId: authorized.body.purchase_units[0].payments.authorizations[0].id as string };
}

beforeAll(async () => {
  sandbox = await startPaypalSandbox();
  token = ((await (await fetchToken(sandbox.clientId, sandbox.clientSecret)).json()) as { access_token: string }).access_token;
});
afterEach(() => sandbox.faults.clear());
afterAll(() => sandbox.stop());

describe('PayPal sandbox: OAuth2', () => {
  it('grants a bearer token for the app credentials, and refuses others', async () => {
    const good = await fetchToken(sandbox.clientId, sandbox.clientSecret);
    expect(good.status).toBe(200);
    expect(await good.json()).toMatchObject({ token_type: 'Bearer', expires_in: 32400, access_token: expect.stringMatching(/^A21AA/) });
    const bad = await fetchToken(sandbox.clientId, 'not-the-secret');
    expect(bad.status).toBe(401);
    expect(await bad.json()).toEqual({ error: 'invalid_client', error_description: 'Client Authentication failed' });
  });

  it('refuses API calls without a valid token, in PayPal\'s error format', async () => {
    const res = await call('GET', '/v2/checkout/orders/X', undefined, { Authorization: 'Bearer nope' });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ name: 'AUTHENTICATION_FAILURE', message: expect.any(String), debug_id: expect.any(String) });
  });
});

describe('PayPal sandbox: Orders v2', () => {
  it('creates an order: minimal answer by default, full with Prefer: return=representation', async () => {
    const minimal = await call('POST', '/v2/checkout/orders', orderBody());
    expect(minimal.status).toBe(201);
    expect(Object.keys(minimal.body).sort()).toEqual(['id', 'links', 'status']);
    expect(minimal.body.links.map((l: { rel: string }) => l.rel)).toEqual(['self', 'approve', 'update', 'authorize']);
    const full = await call('POST', '/v2/checkout/orders', orderBody(), { Prefer: 'return=representation' });
    expect(full.body).toMatchObject({
      intent: 'AUTHORIZE',
      status: 'CREATED',
      purchase_units: [{ reference_id: 'default', amount: { currency_code: 'USD', value: '25.98' }, custom_id: 'cust-42' }],
    });
    const fetched = await call('GET', `/v2/checkout/orders/${full.body.id}`);
    expect(fetched.body.id).toBe(full.body.id);
  });

  it('answers malformed orders with 400 INVALID_REQUEST and amount precision with 422', async () => {
    const noIntent = await call('POST', '/v2/checkout/orders', { purchase_units: [] });
    expect(noIntent.status).toBe(400);
    expect(noIntent.body).toMatchObject({
      name: 'INVALID_REQUEST',
      message: 'Request is not well-formed, syntactically incorrect, or violates schema.',
      details: [{ issue: 'MISSING_REQUIRED_PARAMETER', field: '/intent', location: 'body' }],
    });
    expect(noIntent.body.debug_id).toMatch(/^[0-9a-f]{13}$/);
    expect(noIntent.headers.get('paypal-debug-id')).toBe(noIntent.body.debug_id);
    const precision = await call('POST', '/v2/checkout/orders', orderBody('10.005'));
    expect(precision.status).toBe(422);
    expect(precision.body).toMatchObject({ name: 'UNPROCESSABLE_ENTITY', details: [{ issue: 'DECIMAL_PRECISION' }] });
    const yen = await call('POST', '/v2/checkout/orders', orderBody('10.50', 'JPY'));
    expect(yen.body.details[0]).toMatchObject({ issue: 'DECIMAL_PRECISION', description: 'Currency JPY does not support decimals.' });
  });

  it('authorizes only an approved order, once', async () => {
    const order = await call('POST', '/v2/checkout/orders', orderBody());
    const early = await call('POST', `/v2/checkout/orders/${order.body.id}/authorize`, {});
    expect(early.status).toBe(422);
    expect(early.body.details[0].issue).toBe('ORDER_NOT_APPROVED');
    expect(early.body.links.some((l: { rel: string }) => l.rel === 'approve')).toBe(true);

    const approved = await fetch(`${sandbox.url}/_sandbox/orders/${order.body.id}/approve`, { method: 'POST' });
    expect(approved.status).toBe(200);
    expect(await approved.json()).toMatchObject({ status: 'APPROVED', payer: { payer_id: expect.any(String) } });

    const authorized = await call('POST', `/v2/checkout/orders/${order.body.id}/authorize`, {}, { 'PayPal-Request-Id': 'auth-1', Prefer: 'return=representation' });
    expect(authorized.status).toBe(201);
    expect(authorized.body.status).toBe('COMPLETED');
    const auth = authorized.body.purchase_units[0].payments.authorizations[0];
    expect(auth).toMatchObject({ status: 'CREATED', amount: { currency_code: 'USD', value: '25.98' } });
    expect(auth.id).toMatch(/^[A-Z0-9]{17}$/);

    const replay = await call('POST', `/v2/checkout/orders/${order.body.id}/authorize`, {}, { 'PayPal-Request-Id': 'auth-1', Prefer: 'return=representation' });
    expect(replay.status).toBe(201);
    expect(replay.body).toEqual(authorized.body);
    const second = await call('POST', `/v2/checkout/orders/${order.body.id}/authorize`, {}, { 'PayPal-Request-Id': 'auth-2' });
    expect(second.body.details[0].issue).toBe('ORDER_ALREADY_AUTHORIZED');
    expect(sandbox.order(order.body.id)?.authorizations).toHaveLength(1);
  });

  it('captures an order created with intent CAPTURE, and not one created to authorize', async () => {
    const capture = await call('POST', '/v2/checkout/orders', orderBody('5.00', 'EUR', 'CAPTURE'));
    sandbox.approveOrder(capture.body.id);
    const done = await call('POST', `/v2/checkout/orders/${capture.body.id}/capture`, {}, { Prefer: 'return=representation' });
    expect(done.status).toBe(201);
    expect(done.body.purchase_units[0].payments.captures[0]).toMatchObject({ status: 'COMPLETED', amount: { value: '5.00', currency_code: 'EUR' } });

    const authorize = await call('POST', '/v2/checkout/orders', orderBody());
    sandbox.approveOrder(authorize.body.id);
    const wrong = await call('POST', `/v2/checkout/orders/${authorize.body.id}/capture`, {});
    expect(wrong.body.details[0].issue).toBe('ACTION_DOES_NOT_MATCH_INTENT');
  });

  it('answers an unknown order with 404 RESOURCE_NOT_FOUND / INVALID_RESOURCE_ID', async () => {
    const res = await call('GET', '/v2/checkout/orders/NOPE');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ name: 'RESOURCE_NOT_FOUND', details: [{ issue: 'INVALID_RESOURCE_ID' }] });
  });
});

describe('PayPal sandbox: authorizations and captures', () => {
  it('captures, then refuses to void; refunds only what was captured', async () => {
    const { authorizationId } = await approvedAuthorization('30.00');
    const capture = await call('POST', `/v2/payments/authorizations/${authorizationId}/capture`, { final_capture: true, invoice_id: 'inv-1' }, { Prefer: 'return=representation' });
    expect(capture.status).toBe(201);
    expect(capture.body).toMatchObject({ status: 'COMPLETED', amount: { value: '30.00' }, final_capture: true, invoice_id: 'inv-1' });
    const voided = await call('POST', `/v2/payments/authorizations/${authorizationId}/void`);
    expect(voided.body.details[0].issue).toBe('PREVIOUSLY_CAPTURED');
    const again = await call('POST', `/v2/payments/authorizations/${authorizationId}/capture`, {});
    expect(again.body.details[0].issue).toBe('AUTHORIZATION_ALREADY_CAPTURED');

    const captureId = capture.body.id as string;
    const tooMuch = await call('POST', `/v2/payments/captures/${captureId}/refund`, { amount: { currency_code: 'USD', value: '30.01' } });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.details[0].issue).toBe('REFUND_AMOUNT_EXCEEDED');
    const part = await call('POST', `/v2/payments/captures/${captureId}/refund`, { amount: { currency_code: 'USD', value: '10.00' } }, { Prefer: 'return=representation' });
    expect(part.body).toMatchObject({ status: 'COMPLETED', amount: { value: '10.00' } });
    expect((await call('GET', `/v2/payments/captures/${captureId}`)).body.status).toBe('PARTIALLY_REFUNDED');
    await call('POST', `/v2/payments/captures/${captureId}/refund`, {});
    const none = await call('POST', `/v2/payments/captures/${captureId}/refund`, {});
    expect(none.body.details[0].issue).toBe('CAPTURE_FULLY_REFUNDED');
    expect((await call('GET', `/v2/payments/refunds/${part.body.id}`)).body.amount.value).toBe('10.00');
  });

  it('voids with 204 (or the authorization when asked), then refuses to capture or void again', async () => {
    const { authorizationId } = await approvedAuthorization();
    const voided = await call('POST', `/v2/payments/authorizations/${authorizationId}/void`);
    expect(voided.status).toBe(204);
    const capture = await call('POST', `/v2/payments/authorizations/${authorizationId}/capture`, {});
    expect(capture.body.details[0].issue).toBe('AUTHORIZATION_VOIDED');
    const twice = await call('POST', `/v2/payments/authorizations/${authorizationId}/void`, undefined, { Prefer: 'return=representation' });
    expect(twice.body.details[0].issue).toBe('PREVIOUSLY_VOIDED');
    const { authorizationId: other } = await approvedAuthorization();
    const represented = await call('POST', `/v2/payments/authorizations/${other}/void`, undefined, { Prefer: 'return=representation' });
    expect(represented.status).toBe(200);
    expect(represented.body.status).toBe('VOIDED');
  });

  it('refuses a second capture with the same invoice id', async () => {
    const a = await approvedAuthorization('1.00');
    const b = await approvedAuthorization('1.00');
    await call('POST', `/v2/payments/authorizations/${a.authorizationId}/capture`, { invoice_id: 'dup-inv' });
    const dup = await call('POST', `/v2/payments/authorizations/${b.authorizationId}/capture`, { invoice_id: 'dup-inv' });
    expect(dup.body.details[0].issue).toBe('DUPLICATE_INVOICE_ID');
  });

  it('replays a PayPal-Request-Id, capturing once', async () => {
    const { orderId, authorizationId } = await approvedAuthorization();
    const first = await call('POST', `/v2/payments/authorizations/${authorizationId}/capture`, {}, { 'PayPal-Request-Id': 'cap-1' });
    const second = await call('POST', `/v2/payments/authorizations/${authorizationId}/capture`, {}, { 'PayPal-Request-Id': 'cap-1' });
    expect(second.body.id).toBe(first.body.id);
    expect(sandbox.order(orderId)?.captures).toHaveLength(1);
    expect(sandbox.requests().filter((r) => r.idempotencyKey === 'cap-1').map((r) => r.replayed)).toEqual([false, true]);
  });
});

describe('PayPal sandbox: negative testing', () => {
  const mock = (code: string) => ({ 'PayPal-Mock-Response': JSON.stringify({ mock_application_codes: code }) });

  it('forces a decline with the mock-response header', async () => {
    const order = await call('POST', '/v2/checkout/orders', orderBody());
    sandbox.approveOrder(order.body.id);
    const declined = await call('POST', `/v2/checkout/orders/${order.body.id}/authorize`, {}, mock('INSTRUMENT_DECLINED'));
    expect(declined.status).toBe(422);
    expect(declined.body).toMatchObject({
      name: 'UNPROCESSABLE_ENTITY',
      details: [{ issue: 'INSTRUMENT_DECLINED', description: expect.stringContaining('declined by the processor') }],
      links: [{ rel: 'information_link', href: 'https://developer.paypal.com/docs/api/orders/v2/#error-INSTRUMENT_DECLINED' }],
    });
    expect(sandbox.order(order.body.id)?.authorizations).toHaveLength(0);
  });

  it('forces provider faults the same way, and refuses unknown codes', async () => {
    const fault = await call('GET', '/v2/checkout/orders/X', undefined, mock('INTERNAL_SERVER_ERROR'));
    expect(fault.status).toBe(500);
    expect(fault.body.name).toBe('INTERNAL_SERVER_ERROR');
    const limited = await call('GET', '/v2/checkout/orders/X', undefined, mock('RATE_LIMIT_REACHED'));
    expect(limited.status).toBe(429);
    const unknown = await call('GET', '/v2/checkout/orders/X', undefined, mock('NOT_A_CODE'));
    expect(unknown.status).toBe(400);
  });

  it('lets the buyer pick declining funding at approval; the decline comes on authorize', async () => {
    const order = await call('POST', '/v2/checkout/orders', orderBody());
    await fetch(`${sandbox.url}/_sandbox/orders/${order.body.id}/approve`, {
      method: 'POST',
      body: JSON.stringify({ mock_application_codes: 'TRANSACTION_REFUSED' }),
    });
    const refused = await call('POST', `/v2/checkout/orders/${order.body.id}/authorize`, {});
    expect(refused.body.details[0].issue).toBe('TRANSACTION_REFUSED');
  });
});

describe('PayPal sandbox: the buyer\'s approval page', () => {
  it('shows the order and approves it, redirecting to the return URL with token and PayerID', async () => {
    const order = await call('POST', '/v2/checkout/orders', orderBody('12.34'));
    const approve = (order.body.links as { rel: string; href: string }[]).find((l) => l.rel === 'approve');
    const page = await fetch(approve?.href ?? '');
    const html = await page.text();
    expect(html).toContain('Pay 12.34 USD to Shop');
    expect(html).toContain('action="/checkoutnow/approve"');
    const submitted = await fetch(`${sandbox.url}/checkoutnow/approve`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: order.body.id, mock_application_codes: '' }).toString(),
      redirect: 'manual',
    });
    expect(submitted.status).toBe(303);
    const location = new URL(submitted.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe('https://shop.example/return');
    expect(location.searchParams.get('token')).toBe(order.body.id);
    expect(location.searchParams.get('PayerID')).toEqual(expect.any(String));
    expect(sandbox.order(order.body.id)?.status).toBe('APPROVED');
  });

  it('sends a buyer who cancels back to the cancel URL, unapproved', async () => {
    const order = await call('POST', '/v2/checkout/orders', orderBody());
    const cancelled = await fetch(`${sandbox.url}/checkoutnow/cancel`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: order.body.id }).toString(),
      redirect: 'manual',
    });
    expect(cancelled.headers.get('location')).toBe(`https://shop.example/cancel?token=${order.body.id}`);
    expect(sandbox.order(order.body.id)?.status).toBe('CREATED');
  });
});

describe('PayPal sandbox: faults and inspection', () => {
  it('answers injected errors in PayPal\'s format, and hangs on request', async () => {
    sandbox.faults.set({ errorRate: 1, errorStatus: 503, times: 1 });
    const failed = await call('GET', '/v2/checkout/orders/X');
    expect(failed.status).toBe(503);
    expect(failed.body).toMatchObject({ name: 'SERVICE_UNAVAILABLE', debug_id: expect.any(String) });

    await fetch(`${sandbox.url}/_sandbox/faults`, { method: 'POST', body: JSON.stringify({ hangRate: 1, times: 1 }) });
    const outcome = await fetch(`${sandbox.url}/v2/checkout/orders/X`, { signal: AbortSignal.timeout(100) }).then(
      () => 'answered',
      (e: Error) => e.name,
    );
    expect(outcome).toBe('TimeoutError');
  });

  it('lists orders with their authorizations, captures and refunds', async () => {
    const { orderId, authorizationId } = await approvedAuthorization('8.00');
    await call('POST', `/v2/payments/authorizations/${authorizationId}/capture`, {});
    const list = (await (await fetch(`${sandbox.url}/_sandbox/orders`)).json()) as { data: { id: string }[] };
    expect(list.data.some((o) => o.id === orderId)).toBe(true);
    const one = await (await fetch(`${sandbox.url}/_sandbox/orders/${orderId}`)).json();
    expect(one).toMatchObject({
      status: 'COMPLETED',
      amount: { minor: 800 },
      authorizations: [{ id: authorizationId, status: 'CAPTURED', capturedMinor: 800 }],
      captures: [{ status: 'COMPLETED', refundedMinor: 0 }],
    });
  });
});
