import { type PaypalSandbox, startPaypalSandbox } from '@orderflow/payment-sandboxes';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  PaymentConfigurationError,
  PaymentDeclinedError,
  PaymentProviderUnavailableError,
  PaymentRequestRejectedError,
} from '../errors';
import { staticPaymentSecrets } from '../secrets';
import { capturingLogger, expectNoSecrets, failureOf, newOrderId } from '../test/harness';
import { type PaypalOperation, PaypalPaymentGateway } from './paypal-payment-gateway';

// The real @paypal/checkout-server-sdk over HTTP against the PayPal sandbox.

const usd = (amount: number) => ({ amount, currency: 'USD' });

let sandbox: PaypalSandbox;
const logger = capturingLogger();
const errorTexts: string[] = [];

interface GatewayOverrides {
  clientSecret?: string;
  clientId?: string | null;
  maxRetries?: number;
  timeoutMs?: number;
  mock?: Partial<Record<PaypalOperation, string>>;
}

function gateway(overrides: GatewayOverrides = {}) {
  const clientId = overrides.clientId === undefined ? sandbox.clientId : overrides.clientId;
  return new PaypalPaymentGateway({
    connection: {
      baseUrl: sandbox.url,
      timeoutMs: overrides.timeoutMs ?? 400,
      returnUrl: 'https://shop.example/paypal/return',
      cancelUrl: 'https://shop.example/paypal/cancel',
      brandName: 'orderflow test shop',
    },
    secrets: staticPaymentSecrets({
      ...(clientId ? { paypalClientId: clientId } : {}),
      paypalClientSecret: overrides.clientSecret ?? sandbox.clientSecret,
    }),
    retry: { maxRetries: overrides.maxRetries ?? 1, baseDelayMs: 5, maxDelayMs: 20 },
    logger,
    ...(overrides.mock
      ? {
          requestHeaders: (operation: PaypalOperation) => {
            const code = overrides.mock?.[operation];
            return code ? { 'PayPal-Mock-Response': JSON.stringify({ mock_application_codes: code }) } : undefined;
          },
        }
      : {}),
  });
}

/** The storefront flow: an order for the server's total, approved by the buyer. */
async function approvedOrder(amount = usd(2598), approve: Parameters<PaypalSandbox['approveOrder']>[1] = {}) {
  const created = await gateway().createPaypalOrder({ amount, customerId: 'cust-42' });
  sandbox.approveOrder(created.paypalOrderId, approve);
  return created.paypalOrderId;
}

const requestsWithKey = (key: string) => sandbox.requests().filter((r) => r.idempotencyKey === key);

beforeAll(async () => {
  sandbox = await startPaypalSandbox();
});
afterEach(() => sandbox.faults.clear());
afterAll(async () => {
  // Acceptance: no secret (client secret, its Basic form, access tokens) in any log line or error.
  expect(sandbox.issuedAccessTokens().length).toBeGreaterThan(0);
  expectNoSecrets(
    [...logger.lines, ...errorTexts],
    [sandbox.clientSecret, Buffer.from(`${sandbox.clientId}:${sandbox.clientSecret}`).toString('base64'), ...sandbox.issuedAccessTokens()],
  );
  await sandbox.stop();
});

describe('PaypalPaymentGateway against the PayPal sandbox', () => {
  it('creates an order (intent AUTHORIZE) for the server total, with an approve link the buyer opens', async () => {
    const created = await gateway().createPaypalOrder({ amount: usd(2598), customerId: 'cust-42' });
    expect(created).toMatchObject({ status: 'CREATED', total: usd(2598) });
    expect(created.paypalOrderId).toMatch(/^[A-Z0-9]{17}$/);
    expect(created.approveUrl).toBe(`${sandbox.url}/checkoutnow?token=${created.paypalOrderId}`);
    expect(sandbox.order(created.paypalOrderId)).toMatchObject({
      intent: 'AUTHORIZE',
      status: 'CREATED',
      amount: { currency: 'USD', value: '25.98', minor: 2598 },
      customId: 'cust-42',
    });
    // The approve link's page is what a browser would show.
    const page = await fetch(created.approveUrl ?? '');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Pay 25.98 USD to orderflow test shop');
  });

  it('creates one order per request key', async () => {
    const a = await gateway().createPaypalOrder({ amount: usd(500), requestKey: 'cust-42:key-1' });
    const b = await gateway().createPaypalOrder({ amount: usd(500), requestKey: 'cust-42:key-1' });
    const c = await gateway().createPaypalOrder({ amount: usd(500), requestKey: 'cust-42:key-2' });
    expect(b.paypalOrderId).toBe(a.paypalOrderId);
    expect(c.paypalOrderId).not.toBe(a.paypalOrderId);
  });

  it('formats zero-decimal currencies as PayPal expects', async () => {
    const created = await gateway().createPaypalOrder({ amount: { amount: 1500, currency: 'JPY' } });
    expect(sandbox.order(created.paypalOrderId)?.amount).toEqual({ currency: 'JPY', value: '1500', minor: 1500 });
  });

  it('authorizes an approved order, then captures and refunds it', async () => {
    const paypalOrderId = await approvedOrder();
    const orderId = newOrderId();
    const auth = await gateway().authorize({ orderId, amount: usd(2598), payment: { method: 'paypal', paypalOrderId } });
    expect(auth).toMatchObject({ provider: 'paypal', method: 'paypal', status: 'AUTHORIZED', providerOrderId: paypalOrderId, amount: usd(2598), providerStatus: 'CREATED' });

    const capture = await gateway().capture({ orderId, method: 'paypal', authorizationId: auth.authorizationId });
    expect(capture).toMatchObject({ status: 'CAPTURED', amount: usd(2598), providerStatus: 'COMPLETED' });

    const refund = await gateway().refund({ orderId, method: 'paypal', authorizationId: auth.authorizationId, captureId: capture.captureId });
    expect(refund).toMatchObject({ status: 'REFUNDED', amount: usd(2598), providerStatus: 'COMPLETED' });

    const record = sandbox.order(paypalOrderId);
    expect(record?.authorizations).toEqual([expect.objectContaining({ id: auth.authorizationId, status: 'CAPTURED', capturedMinor: 2598, requestId: `${orderId}:authorize` })]);
    expect(record?.captures).toEqual([expect.objectContaining({ id: capture.captureId, status: 'REFUNDED', refundedMinor: 2598, invoiceId: orderId, requestId: `${orderId}:capture` })]);
    expect(record?.refunds).toHaveLength(1);
  });

  it('charges once when authorize, capture and refund are repeated with their keys', async () => {
    const paypalOrderId = await approvedOrder(usd(1000));
    const orderId = newOrderId();
    const input = { orderId, amount: usd(1000), payment: { method: 'paypal' as const, paypalOrderId } };
    const first = await gateway().authorize(input);
    const again = await Promise.all([gateway().authorize(input), gateway().authorize(input)]);
    for (const a of again) expect(a.authorizationId).toBe(first.authorizationId);
    const capture = await gateway().capture({ orderId, method: 'paypal', authorizationId: first.authorizationId });
    const captureAgain = await gateway().capture({ orderId, method: 'paypal', authorizationId: first.authorizationId });
    expect(captureAgain.captureId).toBe(capture.captureId);
    const ref = { orderId, method: 'paypal' as const, authorizationId: first.authorizationId, captureId: capture.captureId, amount: usd(400) };
    const refund = await gateway().refund(ref);
    expect((await gateway().refund(ref)).refundId).toBe(refund.refundId);

    const record = sandbox.order(paypalOrderId);
    expect(record?.authorizations).toHaveLength(1);
    expect(record?.captures).toHaveLength(1);
    expect(record?.captures[0]?.refundedMinor).toBe(400);
    expect(requestsWithKey(`${orderId}:authorize`).filter((r) => r.replayed)).toHaveLength(2);
  });

  it('voids an authorization; voiding again is a no-op; a capture after the void is refused', async () => {
    const paypalOrderId = await approvedOrder(usd(700));
    const orderId = newOrderId();
    const auth = await gateway().authorize({ orderId, amount: usd(700), payment: { method: 'paypal', paypalOrderId } });
    await expect(gateway().void({ orderId, method: 'paypal', authorizationId: auth.authorizationId })).resolves.toMatchObject({ status: 'VOIDED' });
    expect(sandbox.order(paypalOrderId)?.authorizations[0]?.status).toBe('VOIDED');
    await expect(gateway().void({ orderId, method: 'paypal', authorizationId: auth.authorizationId })).resolves.toMatchObject({ status: 'VOIDED' });

    const refused = await failureOf(gateway({ maxRetries: 2 }).capture({ orderId, method: 'paypal', authorizationId: auth.authorizationId }), errorTexts);
    expect(refused).toBeInstanceOf(PaymentRequestRejectedError);
    expect(refused).toMatchObject({ providerCode: 'AUTHORIZATION_VOIDED', providerStatus: 422 });
    expect(requestsWithKey(`${orderId}:capture`)).toHaveLength(1);
    expect(sandbox.order(paypalOrderId)?.captures).toHaveLength(0);
  });

  it('refuses to refund more than was captured', async () => {
    const paypalOrderId = await approvedOrder(usd(1000));
    const orderId = newOrderId();
    const auth = await gateway().authorize({ orderId, amount: usd(1000), payment: { method: 'paypal', paypalOrderId } });
    const capture = await gateway().capture({ orderId, method: 'paypal', authorizationId: auth.authorizationId });
    const refused = await failureOf(
      gateway().refund({ orderId, method: 'paypal', authorizationId: auth.authorizationId, captureId: capture.captureId, amount: usd(1001) }),
      errorTexts,
    );
    expect(refused).toMatchObject({ name: 'PaymentRequestRejectedError', providerCode: 'REFUND_AMOUNT_EXCEEDED' });
  });

  it('declines an approved order whose amount or currency differs from the server total, and never retries it', async () => {
    const paypalOrderId = await approvedOrder(usd(1000));
    const orderId = newOrderId();
    const tooLittle = await failureOf(
      gateway({ maxRetries: 3 }).authorize({ orderId, amount: usd(2598), payment: { method: 'paypal', paypalOrderId } }),
      errorTexts,
    );
    expect(tooLittle).toBeInstanceOf(PaymentDeclinedError);
    expect(tooLittle).toMatchObject({ declineCode: 'AMOUNT_MISMATCH', status: 402 });
    expect(tooLittle.message).toBe('The approved PayPal order is for 10.00 USD, but the order total is 25.98 USD.');
    const otherCurrency = await failureOf(
      gateway().authorize({ orderId, amount: { amount: 1000, currency: 'EUR' }, payment: { method: 'paypal', paypalOrderId } }),
      errorTexts,
    );
    expect(otherCurrency).toMatchObject({ declineCode: 'AMOUNT_MISMATCH' });
    expect(requestsWithKey(`${orderId}:authorize`)).toHaveLength(0);
    expect(sandbox.order(paypalOrderId)?.authorizations).toHaveLength(0);
  });

  it('declines an order the buyer has not approved, and an unknown order', async () => {
    const created = await gateway().createPaypalOrder({ amount: usd(1000) });
    const notApproved = await failureOf(
      gateway().authorize({ orderId: newOrderId(), amount: usd(1000), payment: { method: 'paypal', paypalOrderId: created.paypalOrderId } }),
      errorTexts,
    );
    expect(notApproved).toMatchObject({ name: 'PaymentDeclinedError', declineCode: 'ORDER_NOT_APPROVED' });
    const unknown = await failureOf(
      gateway().authorize({ orderId: newOrderId(), amount: usd(1000), payment: { method: 'paypal', paypalOrderId: 'NOSUCHORDER000000' } }),
      errorTexts,
    );
    expect(unknown).toMatchObject({ name: 'PaymentDeclinedError', declineCode: 'INVALID_RESOURCE_ID' });
  });

  it('declines a second orderflow order paying with an already authorized PayPal order', async () => {
    const paypalOrderId = await approvedOrder(usd(1000));
    await gateway().authorize({ orderId: newOrderId(), amount: usd(1000), payment: { method: 'paypal', paypalOrderId } });
    const reused = await failureOf(
      gateway().authorize({ orderId: newOrderId(), amount: usd(1000), payment: { method: 'paypal', paypalOrderId } }),
      errorTexts,
    );
    expect(reused).toMatchObject({ name: 'PaymentDeclinedError', declineCode: 'ORDER_ALREADY_AUTHORIZED' });
  });

  it.each(['INSTRUMENT_DECLINED', 'TRANSACTION_REFUSED', 'PAYER_CANNOT_PAY'])(
    'a decline forced with the negative-testing header (%s) is a PaymentDeclinedError, not retried',
    async (code) => {
      const paypalOrderId = await approvedOrder(usd(1500));
      const orderId = newOrderId();
      const error = await failureOf(
        gateway({ maxRetries: 3, mock: { authorize: code } }).authorize({ orderId, amount: usd(1500), payment: { method: 'paypal', paypalOrderId } }),
        errorTexts,
      );
      expect(error).toBeInstanceOf(PaymentDeclinedError);
      expect(error).toMatchObject({ declineCode: code });
      expect((error as PaymentDeclinedError).toBody().error).toMatchObject({ code: 'PAYMENT_DECLINED', declineCode: code });
      expect(requestsWithKey(`${orderId}:authorize`)).toHaveLength(1);
      expect(sandbox.order(paypalOrderId)?.authorizations).toHaveLength(0);
    },
  );

  it('a decline of the buyer funding chosen at approval surfaces on authorize', async () => {
    const paypalOrderId = await approvedOrder(usd(1500), { mockApplicationCodes: 'INSTRUMENT_DECLINED' });
    const error = await failureOf(
      gateway().authorize({ orderId: newOrderId(), amount: usd(1500), payment: { method: 'paypal', paypalOrderId } }),
      errorTexts,
    );
    expect(error).toMatchObject({ name: 'PaymentDeclinedError', declineCode: 'INSTRUMENT_DECLINED' });
  });

  it('a capture declined by PayPal is a PaymentDeclinedError', async () => {
    const paypalOrderId = await approvedOrder(usd(800));
    const orderId = newOrderId();
    const auth = await gateway().authorize({ orderId, amount: usd(800), payment: { method: 'paypal', paypalOrderId } });
    const error = await failureOf(
      gateway({ mock: { capture: 'INSTRUMENT_DECLINED' } }).capture({ orderId, method: 'paypal', authorizationId: auth.authorizationId }),
      errorTexts,
    );
    expect(error).toMatchObject({ name: 'PaymentDeclinedError', declineCode: 'INSTRUMENT_DECLINED' });
  });

  it('gets a new access token when the cached one expired (the SDK retries the 401)', async () => {
    const gw = gateway();
    await gw.createPaypalOrder({ amount: usd(100) });
    const before = sandbox.issuedAccessTokens().length;
    sandbox.expireAccessTokens();
    await expect(gw.createPaypalOrder({ amount: usd(100) })).resolves.toMatchObject({ status: 'CREATED' });
    expect(sandbox.issuedAccessTokens().length).toBe(before + 1);
  });

  describe('transient faults', () => {
    it('turns persistent 5xx answers into PaymentProviderUnavailableError after the configured retries', async () => {
      const paypalOrderId = await approvedOrder(usd(900));
      const orderId = newOrderId();
      sandbox.faults.set({ errorRate: 1, errorStatus: 503, match: { pathPrefix: '/v2/checkout/orders/', method: 'POST' } });
      const error = await failureOf(
        gateway({ maxRetries: 2 }).authorize({ orderId, amount: usd(900), payment: { method: 'paypal', paypalOrderId } }),
        errorTexts,
      );
      expect(error).toBeInstanceOf(PaymentProviderUnavailableError);
      expect(error).toMatchObject({ reason: 'server_error', providerStatus: 503, provider: 'paypal' });
      expect(requestsWithKey(`${orderId}:authorize`)).toHaveLength(3);
      expect(sandbox.order(paypalOrderId)?.authorizations).toHaveLength(0);
    });

    it('a 5xx forced by the negative-testing header is transient too', async () => {
      const error = await failureOf(gateway({ maxRetries: 1, mock: { 'create-order': 'INTERNAL_SERVER_ERROR' } }).createPaypalOrder({ amount: usd(100) }), errorTexts);
      expect(error).toMatchObject({ name: 'PaymentProviderUnavailableError', providerStatus: 500 });
    });

    it('retries after a lost answer and gets the stored authorization (PayPal-Request-Id), charging once', async () => {
      const paypalOrderId = await approvedOrder(usd(900));
      const orderId = newOrderId();
      sandbox.faults.set({ errorRate: 1, errorStatus: 500, errorAfterProcessing: true, times: 1, match: { pathPrefix: `/v2/checkout/orders/${paypalOrderId}/authorize` } });
      const auth = await gateway().authorize({ orderId, amount: usd(900), payment: { method: 'paypal', paypalOrderId } });
      expect(requestsWithKey(`${orderId}:authorize`).map((r) => [r.status, r.replayed])).toEqual([
        [500, false],
        [201, true],
      ]);
      expect(sandbox.order(paypalOrderId)?.authorizations.map((a) => a.id)).toEqual([auth.authorizationId]);
    });

    it('turns a hung request into PaymentProviderUnavailableError (timeout) within the configured timeout', async () => {
      const paypalOrderId = await approvedOrder(usd(900));
      const orderId = newOrderId();
      sandbox.faults.set({ hangRate: 1, match: { pathPrefix: '/v2/payments/authorizations/' } });
      const auth = await gateway().authorize({ orderId, amount: usd(900), payment: { method: 'paypal', paypalOrderId } });
      const error = await failureOf(
        gateway({ timeoutMs: 250, maxRetries: 1 }).capture({ orderId, method: 'paypal', authorizationId: auth.authorizationId }),
        errorTexts,
      );
      expect(error).toBeInstanceOf(PaymentProviderUnavailableError);
      expect(error).toMatchObject({ reason: 'timeout' });
      expect(requestsWithKey(`${orderId}:capture`).map((r) => r.status)).toEqual([null, null]);
      expect(sandbox.order(paypalOrderId)?.captures).toHaveLength(0);
    });

    it('a hung token request times out too', async () => {
      sandbox.faults.set({ hangRate: 1, match: { pathPrefix: '/v1/oauth2/token' } });
      // A new client id has no cached token.
      const error = await failureOf(
        gateway({ timeoutMs: 200, maxRetries: 0, clientId: 'client-without-token' }).createPaypalOrder({ amount: usd(100) }),
        errorTexts,
      );
      expect(error).toMatchObject({ name: 'PaymentProviderUnavailableError', reason: 'timeout' });
    });
  });

  describe('configuration', () => {
    it('reports client credentials PayPal rejects as PaymentConfigurationError, without the secret', async () => {
      const wrongSecret = `wrong-secret-${'y'.repeat(24)}`;
      const error = await failureOf(gateway({ clientSecret: wrongSecret, maxRetries: 3 }).createPaypalOrder({ amount: usd(100) }), errorTexts);
      expect(error).toBeInstanceOf(PaymentConfigurationError);
      expect(error).toMatchObject({ setting: 'PAYPAL_CLIENT_SECRET', code: 'INTERNAL' });
      expectNoSecrets([...logger.lines, ...errorTexts], [wrongSecret, Buffer.from(`${sandbox.clientId}:${wrongSecret}`).toString('base64')]);
    });

    it('names the missing setting when PayPal is not configured', async () => {
      const error = await failureOf(gateway({ clientId: null }).createPaypalOrder({ amount: usd(100) }), errorTexts);
      expect(error).toMatchObject({ name: 'PaymentConfigurationError', setting: 'PAYPAL_CLIENT_ID' });
      expect(error.message).toContain('PAYPAL_CLIENT_ID');
    });
  });
});
