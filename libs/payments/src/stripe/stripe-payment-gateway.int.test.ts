import { type StripeSandbox, startStripeSandbox } from '@orderflow/payment-sandboxes';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  PaymentConfigurationError,
  PaymentDeclinedError,
  PaymentProviderUnavailableError,
  PaymentRequestRejectedError,
} from '../errors';
import { staticPaymentSecrets } from '../secrets';
import { capturingLogger, expectNoSecrets, failureOf, newOrderId } from '../test/harness';
import { StripePaymentGateway } from './stripe-payment-gateway';

// The real `stripe` SDK over HTTP against the Stripe sandbox.

const TIMEOUT_MS = 400;
const usd = (amount: number) => ({ amount, currency: 'USD' });

let sandbox: StripeSandbox;
const logger = capturingLogger();
const errorTexts: string[] = [];

function gateway(overrides: { secretKey?: string | null; maxRetries?: number; timeoutMs?: number } = {}) {
  const key = overrides.secretKey === undefined ? sandbox.secretKey : overrides.secretKey;
  return new StripePaymentGateway({
    connection: { host: sandbox.host, port: sandbox.port, protocol: 'http', apiVersion: undefined, timeoutMs: overrides.timeoutMs ?? TIMEOUT_MS },
    secrets: staticPaymentSecrets(key === null ? {} : { stripeSecretKey: key }),
    retry: { maxRetries: overrides.maxRetries ?? 1, baseDelayMs: 5, maxDelayMs: 20 },
    logger,
  });
}

const requestsWithKey = (key: string) => sandbox.requests().filter((r) => r.idempotencyKey === key);
const intentsOf = (orderId: string) => sandbox.paymentIntents().filter((pi) => pi.metadata.order_id === orderId);

beforeAll(async () => {
  sandbox = await startStripeSandbox();
});
afterEach(() => sandbox.faults.clear());
afterAll(async () => {
  // Acceptance: no secret in any log line or error these tests produced.
  expectNoSecrets([...logger.lines, ...errorTexts], [sandbox.secretKey]);
  await sandbox.stop();
});

describe('StripePaymentGateway against the Stripe sandbox', () => {
  it.each(['pm_card_visa', 'pm_card_mastercard', 'pm_card_amex'])('authorizes a card payment with %s for the server amount, manual capture', async (pm) => {
    const orderId = newOrderId();
    const auth = await gateway().authorize({ orderId, amount: usd(2598), payment: { method: 'card', paymentMethodId: pm } });
    expect(auth).toMatchObject({ provider: 'stripe', method: 'card', orderId, status: 'AUTHORIZED', amount: usd(2598), providerStatus: 'requires_capture' });
    const pi = sandbox.paymentIntent(auth.authorizationId);
    expect(pi).toMatchObject({
      status: 'requires_capture',
      amount: 2598,
      currency: 'usd',
      captureMethod: 'manual',
      amountCapturable: 2598,
      amountReceived: 0,
      paymentMethod: pm,
      idempotencyKey: `${orderId}:authorize`,
    });
    expect(pi?.metadata).toMatchObject({ order_id: orderId, wallet: 'none', payment_method: 'card' });
  });

  it('authorizes Apple Pay as a card wallet in the same PaymentIntent flow, recording the wallet', async () => {
    const orderId = newOrderId();
    const auth = await gateway().authorize({
      orderId,
      amount: usd(1299),
      customerId: 'cust-42',
      payment: { method: 'apple_pay', paymentMethodId: 'pm_card_visa' },
    });
    expect(auth).toMatchObject({ provider: 'stripe', method: 'apple_pay', status: 'AUTHORIZED' });
    expect(sandbox.paymentIntent(auth.authorizationId)?.metadata).toEqual({
      order_id: orderId,
      payment_method: 'apple_pay',
      wallet: 'apple_pay',
      customer_id: 'cust-42',
    });
  });

  it.each([
    ['pm_card_chargeDeclined', 'generic_decline'],
    ['pm_card_chargeDeclinedInsufficientFunds', 'insufficient_funds'],
    ['pm_card_chargeDeclinedExpiredCard', 'expired_card'],
    ['pm_card_chargeDeclinedProcessingError', 'processing_error'],
    ['pm_card_chargeDeclinedLostCard', 'lost_card'],
    ['pm_card_chargeDeclinedIncorrectCvc', 'incorrect_cvc'],
  ])('%s surfaces as PaymentDeclinedError %s, and is not retried', async (pm, code) => {
    const orderId = newOrderId();
    const error = await failureOf(gateway({ maxRetries: 3 }).authorize({ orderId, amount: usd(2598), payment: { method: 'card', paymentMethodId: pm } }), errorTexts);
    expect(error).toBeInstanceOf(PaymentDeclinedError);
    const declined = error as PaymentDeclinedError;
    expect(declined.name).toBe('PaymentDeclinedError');
    expect(declined.declineCode).toBe(code);
    expect(declined.status).toBe(402);
    expect(declined.toBody().error).toMatchObject({ code: 'PAYMENT_DECLINED', declineCode: code });
    expect(requestsWithKey(`${orderId}:authorize`)).toHaveLength(1);
    expect(intentsOf(orderId)[0]?.status).toBe('requires_payment_method');
  });

  it('declines a card that needs 3-D Secure, and an unknown PaymentMethod', async () => {
    const needs3ds = await failureOf(
      gateway().authorize({ orderId: newOrderId(), amount: usd(500), payment: { method: 'card', paymentMethodId: 'pm_card_authenticationRequired' } }),
      errorTexts,
    );
    expect(needs3ds).toMatchObject({ name: 'PaymentDeclinedError', declineCode: 'authentication_required' });
    const unknown = await failureOf(
      gateway().authorize({ orderId: newOrderId(), amount: usd(500), payment: { method: 'card', paymentMethodId: 'pm_does_not_exist' } }),
      errorTexts,
    );
    expect(unknown).toMatchObject({ name: 'PaymentDeclinedError', declineCode: 'resource_missing' });
  });

  it('charges once when the same authorize is repeated with its key, one after the other and at once', async () => {
    const orderId = newOrderId();
    const input = { orderId, amount: usd(2598), payment: { method: 'card' as const, paymentMethodId: 'pm_card_visa' } };
    const first = await gateway().authorize(input);
    const again = await gateway().authorize(input);
    const concurrent = await Promise.all([gateway().authorize(input), gateway().authorize(input)]);
    for (const auth of [again, ...concurrent]) expect(auth.authorizationId).toBe(first.authorizationId);
    expect(intentsOf(orderId)).toHaveLength(1);
    const requests = requestsWithKey(`${orderId}:authorize`);
    expect(requests).toHaveLength(4);
    expect(requests.filter((r) => r.replayed)).toHaveLength(3);
  });

  it('captures an authorization once, however often the capture is repeated', async () => {
    const orderId = newOrderId();
    const auth = await gateway().authorize({ orderId, amount: usd(4200), payment: { method: 'card', paymentMethodId: 'pm_card_visa' } });
    const capture = await gateway().capture({ orderId, method: 'card', authorizationId: auth.authorizationId });
    expect(capture).toMatchObject({ status: 'CAPTURED', amount: usd(4200), authorizationId: auth.authorizationId, providerStatus: 'succeeded' });
    expect(capture.captureId).toMatch(/^ch_/);
    const again = await gateway().capture({ orderId, method: 'card', authorizationId: auth.authorizationId });
    expect(again.captureId).toBe(capture.captureId);
    expect(sandbox.paymentIntent(auth.authorizationId)).toMatchObject({ status: 'succeeded', amountReceived: 4200, amountCapturable: 0 });
  });

  it('voids an authorization (cancels the PaymentIntent); a capture after the void is refused', async () => {
    const orderId = newOrderId();
    const auth = await gateway().authorize({ orderId, amount: usd(999), payment: { method: 'card', paymentMethodId: 'pm_card_visa' } });
    const voided = await gateway().void({ orderId, method: 'card', authorizationId: auth.authorizationId });
    expect(voided).toMatchObject({ status: 'VOIDED', providerStatus: 'canceled' });
    expect(sandbox.paymentIntent(auth.authorizationId)).toMatchObject({ status: 'canceled', amountCapturable: 0, cancellationReason: 'abandoned' });
    // Voiding again is a no-op.
    await expect(gateway().void({ orderId, method: 'card', authorizationId: auth.authorizationId })).resolves.toMatchObject({ status: 'VOIDED' });

    const refused = await failureOf(gateway({ maxRetries: 2 }).capture({ orderId, method: 'card', authorizationId: auth.authorizationId }), errorTexts);
    expect(refused).toBeInstanceOf(PaymentRequestRejectedError);
    expect(refused).toMatchObject({ name: 'PaymentRequestRejectedError', providerCode: 'payment_intent_unexpected_state', providerStatus: 400 });
    expect((refused as PaymentRequestRejectedError).toBody().error.code).toBe('INTERNAL');
    expect(requestsWithKey(`${orderId}:capture`)).toHaveLength(1);
    expect(sandbox.paymentIntent(auth.authorizationId)?.amountReceived).toBe(0);
  });

  it('refuses to void a captured payment (it must be refunded)', async () => {
    const orderId = newOrderId();
    const auth = await gateway().authorize({ orderId, amount: usd(999), payment: { method: 'card', paymentMethodId: 'pm_card_visa' } });
    await gateway().capture({ orderId, method: 'card', authorizationId: auth.authorizationId });
    const refused = await failureOf(gateway().void({ orderId, method: 'card', authorizationId: auth.authorizationId }), errorTexts);
    expect(refused).toMatchObject({ name: 'PaymentRequestRejectedError', providerCode: 'payment_intent_unexpected_state' });
  });

  it('refunds after capture, once per key, and never beyond what was captured', async () => {
    const orderId = newOrderId();
    const auth = await gateway().authorize({ orderId, amount: usd(3000), payment: { method: 'card', paymentMethodId: 'pm_card_visa' } });
    const capture = await gateway().capture({ orderId, method: 'card', authorizationId: auth.authorizationId });
    const ref = { orderId, method: 'card' as const, authorizationId: auth.authorizationId, captureId: capture.captureId };

    const partial = await gateway().refund({ ...ref, amount: usd(1000), refundKey: 'r1' });
    expect(partial).toMatchObject({ status: 'REFUNDED', amount: usd(1000), captureId: capture.captureId });
    expect(partial.refundId).toMatch(/^re_/);
    const repeated = await gateway().refund({ ...ref, amount: usd(1000), refundKey: 'r1' });
    expect(repeated.refundId).toBe(partial.refundId);

    const tooMuch = await failureOf(gateway().refund({ ...ref, amount: usd(2500), refundKey: 'r2' }), errorTexts);
    expect(tooMuch).toMatchObject({ name: 'PaymentRequestRejectedError', providerCode: 'amount_too_large' });

    const rest = await gateway().refund(ref);
    expect(rest.amount).toEqual(usd(2000));
    expect(sandbox.paymentIntent(auth.authorizationId)).toMatchObject({ amountReceived: 3000, amountRefunded: 3000 });

    const nothingLeft = await failureOf(gateway().refund({ ...ref, refundKey: 'r3' }), errorTexts);
    expect(nothingLeft).toMatchObject({ name: 'PaymentRequestRejectedError', providerCode: 'charge_already_refunded' });
  });

  it('refuses a refund of an uncaptured payment', async () => {
    const orderId = newOrderId();
    const auth = await gateway().authorize({ orderId, amount: usd(800), payment: { method: 'card', paymentMethodId: 'pm_card_visa' } });
    const refused = await failureOf(
      gateway().refund({ orderId, method: 'card', authorizationId: auth.authorizationId, captureId: auth.authorizationId }),
      errorTexts,
    );
    expect(refused).toMatchObject({ name: 'PaymentRequestRejectedError', providerCode: 'payment_intent_unexpected_state' });
    expect(sandbox.paymentIntent(auth.authorizationId)?.amountRefunded).toBe(0);
  });

  describe('transient faults', () => {
    it('turns persistent 5xx answers into PaymentProviderUnavailableError after the configured retries', async () => {
      sandbox.faults.set({ errorRate: 1, errorStatus: 500 });
      const orderId = newOrderId();
      const error = await failureOf(gateway({ maxRetries: 2 }).authorize({ orderId, amount: usd(2598), payment: { method: 'card', paymentMethodId: 'pm_card_visa' } }), errorTexts);
      expect(error).toBeInstanceOf(PaymentProviderUnavailableError);
      expect(error).toMatchObject({ name: 'PaymentProviderUnavailableError', reason: 'server_error', providerStatus: 500, code: 'PAYMENT_PROVIDER_UNAVAILABLE' });
      expect((error as PaymentProviderUnavailableError).toBody().error).toEqual({
        code: 'PAYMENT_PROVIDER_UNAVAILABLE',
        message: 'The payment provider is unavailable. Try again later.',
      });
      expect(requestsWithKey(`${orderId}:authorize`)).toHaveLength(3);
      expect(intentsOf(orderId)).toHaveLength(0);
    });

    it('retries a transient 503 and succeeds, charging once', async () => {
      sandbox.faults.set({ errorRate: 1, errorStatus: 503, times: 1 });
      const orderId = newOrderId();
      const auth = await gateway().authorize({ orderId, amount: usd(2598), payment: { method: 'card', paymentMethodId: 'pm_card_visa' } });
      expect(auth.status).toBe('AUTHORIZED');
      expect(requestsWithKey(`${orderId}:authorize`).map((r) => r.status)).toEqual([503, 200]);
      expect(intentsOf(orderId)).toHaveLength(1);
    });

    it('retries after a lost answer (the charge happened) and gets the stored result, charging once', async () => {
      sandbox.faults.set({ errorRate: 1, errorStatus: 502, errorAfterProcessing: true, times: 1 });
      const orderId = newOrderId();
      const auth = await gateway().authorize({ orderId, amount: usd(2598), payment: { method: 'card', paymentMethodId: 'pm_card_visa' } });
      const requests = requestsWithKey(`${orderId}:authorize`);
      expect(requests.map((r) => [r.status, r.replayed])).toEqual([
        [502, false],
        [200, true],
      ]);
      expect(intentsOf(orderId).map((pi) => pi.id)).toEqual([auth.authorizationId]);
    });

    it('turns a hung request into PaymentProviderUnavailableError (timeout) within the configured timeout', async () => {
      sandbox.faults.set({ hangRate: 1 });
      const orderId = newOrderId();
      const error = await failureOf(
        gateway({ timeoutMs: 250, maxRetries: 1 }).authorize({ orderId, amount: usd(2598), payment: { method: 'card', paymentMethodId: 'pm_card_visa' } }),
        errorTexts,
      );
      expect(error).toBeInstanceOf(PaymentProviderUnavailableError);
      expect(error).toMatchObject({ reason: 'timeout' });
      expect(error.message).toMatch(/250 ?ms/);
      // Retried once, then given up: both attempts hung at the sandbox.
      expect(requestsWithKey(`${orderId}:authorize`).map((r) => r.status)).toEqual([null, null]);
    });

    it('treats a 429 as transient', async () => {
      sandbox.faults.set({ errorRate: 1, errorStatus: 429 });
      const error = await failureOf(
        gateway({ maxRetries: 0 }).capture({ orderId: newOrderId(), method: 'card', authorizationId: 'pi_123' }),
        errorTexts,
      );
      expect(error).toMatchObject({ name: 'PaymentProviderUnavailableError', reason: 'rate_limited', providerStatus: 429 });
    });
  });

  describe('configuration', () => {
    it('reports a key Stripe rejects as PaymentConfigurationError, without the key, and does not retry', async () => {
      const wrongKey = `sk_test_wrong_${'x'.repeat(20)}1234`;
      const orderId = newOrderId();
      const error = await failureOf(
        gateway({ secretKey: wrongKey, maxRetries: 3 }).authorize({ orderId, amount: usd(100), payment: { method: 'card', paymentMethodId: 'pm_card_visa' } }),
        errorTexts,
      );
      expect(error).toBeInstanceOf(PaymentConfigurationError);
      expect(error).toMatchObject({ name: 'PaymentConfigurationError', setting: 'STRIPE_SECRET_KEY', code: 'INTERNAL' });
      expect((error as PaymentConfigurationError).toBody()).toEqual({ error: { code: 'INTERNAL', message: 'Something went wrong on our side.' } });
      expect(requestsWithKey(`${orderId}:authorize`)).toHaveLength(1);
      expectNoSecrets([...logger.lines, ...errorTexts], [wrongKey]);
    });

    it('names the missing setting when no key is configured', async () => {
      const error = await failureOf(
        gateway({ secretKey: null }).authorize({ orderId: newOrderId(), amount: usd(100), payment: { method: 'card', paymentMethodId: 'pm_card_visa' } }),
        errorTexts,
      );
      expect(error).toMatchObject({ name: 'PaymentConfigurationError', setting: 'STRIPE_SECRET_KEY' });
      expect(error.message).toContain('STRIPE_SECRET_KEY');
    });
  });
});
