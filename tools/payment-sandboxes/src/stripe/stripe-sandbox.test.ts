import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type StripeSandbox, startStripeSandbox } from './stripe-sandbox';
import { STRIPE_TEST_DECLINES } from './test-payment-methods';

// The Stripe sandbox's rules, over plain HTTP as Stripe's API would be called.

let sandbox: StripeSandbox;

interface Answer {
  status: number;
  headers: Headers;
  // Stripe's JSON, read loosely.
  body: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test reads arbitrary JSON paths
}

async function call(method: string, path: string, params?: Record<string, string>, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(`${sandbox.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${sandbox.secretKey}`, 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    ...(params ? { body: new URLSearchParams(params).toString() } : {}),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Answer['body'] };
}

const authorizeParams = (pm: string, extra: Record<string, string> = {}) => ({
  amount: '2598',
  currency: 'usd',
  payment_method: pm,
  'allowed_payment_method_types[0]': 'card',
  capture_method: 'manual',
  confirm: 'true',
  'metadata[order_id]': 'ord_test',
  ...extra,
});

let keyCounter = 0;
const newKey = () => `key-${Date.now()}-${keyCounter++}`;

beforeAll(async () => {
  sandbox = await startStripeSandbox();
});
afterEach(() => sandbox.faults.clear());
afterAll(() => sandbox.stop());

describe('Stripe sandbox: authentication', () => {
  it('answers 401 without a key, and 401 naming only the end of a wrong key', async () => {
    const none = await fetch(`${sandbox.url}/v1/payment_intents/pi_x`);
    expect(none.status).toBe(401);
    expect(((await none.json()) as Answer['body']).error).toMatchObject({ type: 'invalid_request_error', message: expect.stringContaining('You did not provide an API key') });
    const wrong = await call('GET', '/v1/payment_intents/pi_x', undefined, { Authorization: 'Bearer sk_test_wrongwrongwrong9876' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.message).toMatch(/^Invalid API Key provided: sk_test_\*+9876$/);
    expect(wrong.body.error.message).not.toContain('wrongwrong');
  });
});

describe('Stripe sandbox: PaymentIntents', () => {
  it('creates and confirms with manual capture: requires_capture, the amount capturable', async () => {
    const { status, body, headers } = await call('POST', '/v1/payment_intents', authorizeParams('pm_card_visa'), { 'Idempotency-Key': newKey() });
    expect(status).toBe(200);
    expect(headers.get('request-id')).toMatch(/^req_/);
    expect(body).toMatchObject({
      object: 'payment_intent',
      status: 'requires_capture',
      amount: 2598,
      amount_capturable: 2598,
      amount_received: 0,
      currency: 'usd',
      capture_method: 'manual',
      allowed_payment_method_types: ['card'],
      metadata: { order_id: 'ord_test' },
      livemode: false,
    });
    expect(body.id).toMatch(/^pi_/);
    expect(body.latest_charge).toMatch(/^ch_/);
    expect(body.payment_method).toMatch(/^pm_/);
    expect(body.client_secret).toMatch(new RegExp(`^${body.id}_secret_`));
  });

  it.each(Object.entries(STRIPE_TEST_DECLINES))('%s declines with 402 card_error %s, in Stripe\'s error format', async (pm, declineCode) => {
    const { status, body } = await call('POST', '/v1/payment_intents', authorizeParams(pm), { 'Idempotency-Key': newKey() });
    expect(status).toBe(402);
    expect(body.error).toMatchObject({ type: 'card_error', decline_code: declineCode, payment_intent: { status: 'requires_payment_method', last_payment_error: { decline_code: declineCode } } });
    expect(body.error.message).toEqual(expect.any(String));
    expect(body.error.charge).toMatch(/^ch_/);
    expect(body.error.doc_url).toMatch(/^https:\/\/docs\.stripe\.com\/error-codes\//);
    expect(body.error.request_log_url).toMatch(/^https:\/\/dashboard\.stripe\.com\/test\/logs\/req_/);
  });

  it('uses the documented codes for the issue\'s decline cards', () => {
    expect(STRIPE_TEST_DECLINES).toMatchObject({
      pm_card_chargeDeclined: 'generic_decline',
      pm_card_chargeDeclinedInsufficientFunds: 'insufficient_funds',
      pm_card_chargeDeclinedExpiredCard: 'expired_card',
      pm_card_chargeDeclinedProcessingError: 'processing_error',
    });
  });

  it('rejects unknown parameters, missing ones, unknown PaymentMethods, and confirmations that would need a return_url', async () => {
    const unknown = await call('POST', '/v1/payment_intents', { ...authorizeParams('pm_card_visa'), payment_method_types: 'card' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({ type: 'invalid_request_error', code: 'parameter_unknown', param: 'payment_method_types' });

    const missing = await call('POST', '/v1/payment_intents', { currency: 'usd' });
    expect(missing.body.error).toMatchObject({ code: 'parameter_missing', param: 'amount' });

    const tooSmall = await call('POST', '/v1/payment_intents', { amount: '10', currency: 'usd' });
    expect(tooSmall.body.error).toMatchObject({ code: 'amount_too_small', message: 'Amount must be at least $0.50 usd' });

    const noSuchPm = await call('POST', '/v1/payment_intents', authorizeParams('pm_nope'));
    expect(noSuchPm.body.error).toMatchObject({ code: 'resource_missing', param: 'payment_method', message: "No such PaymentMethod: 'pm_nope'" });

    const { 'allowed_payment_method_types[0]': _dropped, ...withoutTypes } = authorizeParams('pm_card_visa');
    const needsReturnUrl = await call('POST', '/v1/payment_intents', withoutTypes);
    expect(needsReturnUrl.status).toBe(400);
    expect(needsReturnUrl.body.error.message).toContain('return_url');
    const neverRedirect = await call('POST', '/v1/payment_intents', {
      ...withoutTypes,
      'automatic_payment_methods[enabled]': 'true',
      'automatic_payment_methods[allow_redirects]': 'never',
    });
    expect(neverRedirect.body.status).toBe('requires_capture');
  });

  it('captures once; no capture after cancel; no cancel after capture', async () => {
    const created = await call('POST', '/v1/payment_intents', authorizeParams('pm_card_visa'));
    const id = created.body.id as string;
    const partialTooBig = await call('POST', `/v1/payment_intents/${id}/capture`, { amount_to_capture: '9999' });
    expect(partialTooBig.body.error).toMatchObject({ code: 'amount_too_large', param: 'amount_to_capture' });
    const captured = await call('POST', `/v1/payment_intents/${id}/capture`, {});
    expect(captured.body).toMatchObject({ status: 'succeeded', amount_received: 2598, amount_capturable: 0 });
    const again = await call('POST', `/v1/payment_intents/${id}/capture`, {});
    expect(again.status).toBe(400);
    expect(again.body.error).toMatchObject({ code: 'payment_intent_unexpected_state', payment_intent: { status: 'succeeded' } });
    const cancel = await call('POST', `/v1/payment_intents/${id}/cancel`, {});
    expect(cancel.body.error.message).toMatch(/You cannot cancel this PaymentIntent because it has a status of succeeded/);

    const other = await call('POST', '/v1/payment_intents', authorizeParams('pm_card_visa'));
    const canceled = await call('POST', `/v1/payment_intents/${other.body.id}/cancel`, { cancellation_reason: 'abandoned' });
    expect(canceled.body).toMatchObject({ status: 'canceled', cancellation_reason: 'abandoned', amount_capturable: 0 });
    const captureAfterCancel = await call('POST', `/v1/payment_intents/${other.body.id}/capture`, {});
    expect(captureAfterCancel.status).toBe(400);
    expect(captureAfterCancel.body.error.message).toMatch(/could not be captured because it has a status of canceled/);
    expect(sandbox.paymentIntent(other.body.id)?.amountReceived).toBe(0);
  });

  it('refunds only what was captured', async () => {
    const created = await call('POST', '/v1/payment_intents', authorizeParams('pm_card_visa'));
    const id = created.body.id as string;
    const beforeCapture = await call('POST', '/v1/refunds', { payment_intent: id });
    expect(beforeCapture.body.error).toMatchObject({ code: 'payment_intent_unexpected_state' });
    await call('POST', `/v1/payment_intents/${id}/capture`, { amount_to_capture: '2000' });
    const tooMuch = await call('POST', '/v1/refunds', { payment_intent: id, amount: '2001' });
    expect(tooMuch.body.error).toMatchObject({ code: 'amount_too_large', message: 'Refund amount ($20.01) is greater than unrefunded amount on charge ($20.00)' });
    const part = await call('POST', '/v1/refunds', { payment_intent: id, amount: '500', reason: 'requested_by_customer' });
    expect(part.body).toMatchObject({ object: 'refund', amount: 500, status: 'succeeded', payment_intent: id, reason: 'requested_by_customer' });
    const rest = await call('POST', '/v1/refunds', { charge: created.body.latest_charge as string });
    expect(rest.body.amount).toBe(1500);
    const none = await call('POST', '/v1/refunds', { payment_intent: id });
    expect(none.body.error).toMatchObject({ code: 'charge_already_refunded' });
    expect(sandbox.paymentIntent(id)).toMatchObject({ amountReceived: 2000, amountRefunded: 2000 });
    const fetched = await call('GET', `/v1/refunds/${part.body.id}`);
    expect(fetched.body.amount).toBe(500);
  });

  it('answers unknown objects and URLs with 404 invalid_request_error', async () => {
    const missing = await call('GET', '/v1/payment_intents/pi_missing');
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({ code: 'resource_missing', message: "No such payment_intent: 'pi_missing'" });
    const route = await call('POST', '/v1/charges_nowhere', {});
    expect(route.status).toBe(404);
    expect(route.body.error.message).toMatch(/^Unrecognized request URL \(POST: \/v1\/charges_nowhere\)/);
  });
});

describe('Stripe sandbox: Idempotency-Key', () => {
  it('replays the stored response for the same key and parameters, with Idempotent-Replayed', async () => {
    const key = newKey();
    const first = await call('POST', '/v1/payment_intents', authorizeParams('pm_card_visa'), { 'Idempotency-Key': key });
    const second = await call('POST', '/v1/payment_intents', authorizeParams('pm_card_visa'), { 'Idempotency-Key': key });
    expect(second.body).toEqual(first.body);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.headers.get('original-request')).toBe(first.headers.get('request-id'));
    expect(sandbox.paymentIntents().filter((pi) => pi.idempotencyKey === key)).toHaveLength(1);
  });

  it('replays a decline too', async () => {
    const key = newKey();
    const first = await call('POST', '/v1/payment_intents', authorizeParams('pm_card_chargeDeclined'), { 'Idempotency-Key': key });
    const second = await call('POST', '/v1/payment_intents', authorizeParams('pm_card_chargeDeclined'), { 'Idempotency-Key': key });
    expect([first.status, second.status]).toEqual([402, 402]);
    expect(second.body.error.payment_intent.id).toBe(first.body.error.payment_intent.id);
  });

  it('refuses the same key with other parameters, or on another endpoint', async () => {
    const key = newKey();
    await call('POST', '/v1/payment_intents', authorizeParams('pm_card_visa'), { 'Idempotency-Key': key });
    const other = await call('POST', '/v1/payment_intents', authorizeParams('pm_card_visa', { amount: '3000' }), { 'Idempotency-Key': key });
    expect(other.status).toBe(400);
    expect(other.body.error).toMatchObject({ type: 'idempotency_error' });
    expect(other.body.error.message).toMatch(/same parameters they were first used with/);
    const elsewhere = await call('POST', '/v1/refunds', { payment_intent: 'pi_x' }, { 'Idempotency-Key': key });
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.body.error.message).toMatch(/same endpoint/);
  });

  it('does not store a request rejected by validation, so the key can be used again', async () => {
    const key = newKey();
    const bad = await call('POST', '/v1/payment_intents', { currency: 'usd' }, { 'Idempotency-Key': key });
    expect(bad.status).toBe(400);
    const good = await call('POST', '/v1/payment_intents', authorizeParams('pm_card_visa'), { 'Idempotency-Key': key });
    expect(good.status).toBe(200);
  });
});

describe('Stripe sandbox: faults and inspection over HTTP', () => {
  const setFaults = (settings: unknown) =>
    fetch(`${sandbox.url}/_sandbox/faults`, { method: 'POST', body: JSON.stringify(settings) });

  it('answers injected errors in Stripe\'s api_error format, then recovers when `times` is used up', async () => {
    expect((await setFaults({ errorRate: 1, errorStatus: 503, times: 1 })).status).toBe(200);
    const failed = await call('POST', '/v1/payment_intents', authorizeParams('pm_card_visa'));
    expect(failed.status).toBe(503);
    expect(failed.body.error).toMatchObject({ type: 'api_error' });
    const ok = await call('POST', '/v1/payment_intents', authorizeParams('pm_card_visa'));
    expect(ok.status).toBe(200);
  });

  it('rate limits with 429 rate_limit', async () => {
    await setFaults({ errorRate: 1, errorStatus: 429, times: 1 });
    const limited = await call('GET', '/v1/payment_intents/pi_x');
    expect(limited.status).toBe(429);
    expect(limited.body.error).toMatchObject({ code: 'rate_limit' });
  });

  it('holds hanging requests until the client gives up', async () => {
    await setFaults({ hangRate: 1, times: 1 });
    const started = Date.now();
    const outcome = await fetch(`${sandbox.url}/v1/payment_intents/pi_x`, {
      headers: { Authorization: `Bearer ${sandbox.secretKey}` },
      signal: AbortSignal.timeout(150),
    }).then(
      () => 'answered',
      (e: Error) => e.name,
    );
    expect(outcome).toBe('TimeoutError');
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    expect(sandbox.requests().at(-1)).toMatchObject({ path: '/v1/payment_intents/pi_x', status: null, fault: 'hang' });
  });

  it('adds latency', async () => {
    sandbox.faults.set({ latencyMs: 120, times: 1 });
    const started = Date.now();
    await call('GET', '/v1/payment_intents/pi_x');
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
  });

  it('can lose the answer after the request took effect', async () => {
    const key = newKey();
    sandbox.faults.set({ errorRate: 1, errorAfterProcessing: true, times: 1 });
    const lost = await call('POST', '/v1/payment_intents', authorizeParams('pm_card_visa'), { 'Idempotency-Key': key });
    expect(lost.status).toBe(500);
    expect(sandbox.paymentIntents().filter((pi) => pi.idempotencyKey === key)).toHaveLength(1);
    const retried = await call('POST', '/v1/payment_intents', authorizeParams('pm_card_visa'), { 'Idempotency-Key': key });
    expect(retried.headers.get('idempotent-replayed')).toBe('true');
  });

  it('refuses nonsense fault settings, and shows and clears the current ones', async () => {
    expect((await setFaults({ errorRate: 7 })).status).toBe(400);
    await setFaults({ latencyMs: 5 });
    expect(await (await fetch(`${sandbox.url}/_sandbox/faults`)).json()).toMatchObject({ settings: { latencyMs: 5 } });
    await fetch(`${sandbox.url}/_sandbox/faults`, { method: 'DELETE' });
    expect(sandbox.faults.get().settings).toBeNull();
  });

  it('lists payment intents and requests, and resets', async () => {
    const created = await call('POST', '/v1/payment_intents', authorizeParams('pm_card_amex'), { 'Idempotency-Key': 'listed-key' });
    const list = (await (await fetch(`${sandbox.url}/_sandbox/payment_intents`)).json()) as { data: { id: string; paymentMethod: string }[] };
    expect(list.data.find((pi) => pi.id === created.body.id)).toMatchObject({ paymentMethod: 'pm_card_amex' });
    const one = (await (await fetch(`${sandbox.url}/_sandbox/payment_intents/${created.body.id}`)).json()) as { status: string };
    expect(one.status).toBe('requires_capture');
    const requests = (await (await fetch(`${sandbox.url}/_sandbox/requests`)).json()) as { data: { idempotencyKey: string | null }[] };
    expect(requests.data.some((r) => r.idempotencyKey === 'listed-key')).toBe(true);
    expect(JSON.stringify(requests)).not.toContain(sandbox.secretKey);

    await fetch(`${sandbox.url}/_sandbox/reset`, { method: 'POST' });
    expect(sandbox.paymentIntents()).toEqual([]);
    expect(sandbox.requests()).toEqual([]);
  });
});
