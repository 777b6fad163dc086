import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Ledger } from './ledger';
import { startPaypalSandbox } from './paypal/paypal-sandbox';
import { REQUEST_ID_TTL_MS, PaypalState } from './paypal/paypal-state';
import { startStripeSandbox } from './stripe/stripe-sandbox';
import { IDEMPOTENCY_KEY_TTL_MS, StripeState } from './stripe/stripe-state';

// A provider does not forget a payment because our process died: with a data folder, the
// sandboxes keep their ledgers across a stop and start, idempotency keys included.

const dataDir = mkdtempSync(join(tmpdir(), 'sandbox-restart-'));

/**
 * fetch, tried once more when it reused a keep-alive socket of the stopped server (the same
 * port): that socket is dead, as it would be for any client across a provider's restart.
 */
async function fetchAgain(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (error) {
    if ((error as { cause?: { code?: string } }).cause?.code !== 'UND_ERR_SOCKET') throw error;
    return fetch(url, init);
  }
}
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('the Stripe sandbox across a restart', () => {
  it('knows its PaymentIntents, replays an idempotency key, and captures and refunds what was authorized before', async () => {
    const secretKey = 'sk_test_restart';
    const headers = (key?: string) => ({
      Authorization: `Bearer ${secretKey}`,
      'Content-Type': 'application/x-www-form-urlencoded',
      ...(key ? { 'Idempotency-Key': key } : {}),
    });
    const authorize = new URLSearchParams({
      amount: '2598',
      currency: 'usd',
      payment_method: 'pm_card_visa',
      'allowed_payment_method_types[0]': 'card',
      capture_method: 'manual',
      confirm: 'true',
    }).toString();

    const before = await startStripeSandbox({ secretKey, dataDir });
    const first = (await (await fetch(`${before.url}/v1/payment_intents`, { method: 'POST', headers: headers('ord_1:authorize'), body: authorize })).json()) as { id: string };
    await before.stop();

    const after = await startStripeSandbox({ secretKey, dataDir, port: before.port });
    try {
      expect(after.paymentIntent(first.id)).toMatchObject({ status: 'requires_capture', amountCapturable: 2598 });
      const replay = await fetchAgain(`${after.url}/v1/payment_intents`, { method: 'POST', headers: headers('ord_1:authorize'), body: authorize });
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect(((await replay.json()) as { id: string }).id).toBe(first.id);
      expect(after.paymentIntents()).toHaveLength(1);
      const captured = await fetchAgain(`${after.url}/v1/payment_intents/${first.id}/capture`, { method: 'POST', headers: headers('ord_1:capture'), body: '' });
      expect(captured.status).toBe(200);
      const refund = await fetchAgain(`${after.url}/v1/refunds`, { method: 'POST', headers: headers('ord_1:refund'), body: `payment_intent=${first.id}` });
      expect(refund.status).toBe(200);
      expect(after.paymentIntent(first.id)).toMatchObject({ status: 'succeeded', amountReceived: 2598, amountRefunded: 2598 });
    } finally {
      await after.stop();
    }
    // A third start still has everything, refunds included.
    const third = await startStripeSandbox({ secretKey, dataDir });
    expect(third.refunds()).toHaveLength(1);
    third.reset();
    await third.stop();
    const fresh = await startStripeSandbox({ secretKey, dataDir });
    expect(fresh.paymentIntents()).toHaveLength(0);
    await fresh.stop();
  });

  it('forgets an idempotency key after 24 hours, as Stripe does', () => {
    let now = 1_000_000;
    const state = new StripeState(Ledger.open(), () => now);
    state.storeResponse('k', { method: 'POST', path: '/v1/payment_intents', params: '', status: 200, json: {}, requestId: 'req_1' });
    now += IDEMPOTENCY_KEY_TTL_MS - 1;
    expect(state.storedResponse('k')).toBeDefined();
    now += 2;
    expect(state.storedResponse('k')).toBeUndefined();
  });
});

describe('the PayPal sandbox across a restart', () => {
  it('keeps orders, authorizations, access tokens and PayPal-Request-Ids', async () => {
    const credentials = { clientId: 'client-restart', clientSecret: 'secret-restart' };
    const before = await startPaypalSandbox({ ...credentials, dataDir });
    const basic = `Basic ${Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString('base64')}`;
    const token = ((await (await fetch(`${before.url}/v1/oauth2/token`, { method: 'POST', headers: { Authorization: basic }, body: 'grant_type=client_credentials' })).json()) as { access_token: string }).access_token;
    const api = (url: string, path: string, requestId?: string, body: unknown = {}) =>
      fetchAgain(`${url}${path}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...(requestId ? { 'PayPal-Request-Id': requestId } : {}) },
        body: JSON.stringify(body),
      });
    const created = (await (await api(before.url, '/v2/checkout/orders', 'ord_2:create', { intent: 'AUTHORIZE', purchase_units: [{ amount: { currency_code: 'USD', value: '12.99' } }] })).json()) as { id: string };
    before.approveOrder(created.id);
    const authorized = await api(before.url, `/v2/checkout/orders/${created.id}/authorize`, 'ord_2:authorize');
    expect(authorized.status).toBe(201);
    const firstAnswer = (await authorized.json()) as unknown;
    await before.stop();

    const after = await startPaypalSandbox({ ...credentials, dataDir, port: before.port });
    try {
      const record = after.order(created.id);
      expect(record).toMatchObject({ status: 'COMPLETED', authorizations: [{ status: 'CREATED', amount: { minor: 1299 } }] });
      // The token issued before the restart still works, and the request id replays the first answer.
      const replay = await api(after.url, `/v2/checkout/orders/${created.id}/authorize`, 'ord_2:authorize');
      expect(replay.status).toBe(201);
      expect(await replay.json()).toEqual(firstAnswer);
      const authorizationId = record?.authorizations[0]?.id;
      const captured = await api(after.url, `/v2/payments/authorizations/${authorizationId}/capture`, 'ord_2:capture');
      expect(captured.status).toBe(201);
      expect(after.order(created.id)).toMatchObject({ authorizations: [{ status: 'CAPTURED', capturedMinor: 1299 }], captures: [{ status: 'COMPLETED' }] });
    } finally {
      after.reset();
      await after.stop();
    }
  });

  it('forgets a PayPal-Request-Id after 6 hours', () => {
    let now = 5_000_000;
    const state = new PaypalState(Ledger.open(), () => now);
    state.storeResponse('POST /v2/x r1', { status: 201, json: {} });
    now += REQUEST_ID_TTL_MS + 1;
    expect(state.storedResponse('POST /v2/x r1')).toBeUndefined();
  });
});
