import { describe, expect, it } from 'vitest';
import { PaymentRequestRejectedError } from './errors';
import type { PaymentGateway, PaypalOrderGateway } from './payment-gateway';
import { PaymentRouter } from './payment-router';

// Unit test of the routing with recording fakes of the port; the real adapters are
// exercised in the *.int.test.ts files.

function recordingGateway(provider: 'stripe' | 'paypal', calls: string[]): PaymentGateway & PaypalOrderGateway {
  const base = { provider, status: 'X', providerStatus: 'x' };
  return {
    authorize: async (i) => {
      calls.push(`${provider}.authorize`);
      return { ...base, status: 'AUTHORIZED', method: i.payment.method, orderId: i.orderId, authorizationId: 'a', amount: i.amount };
    },
    capture: async (i) => {
      calls.push(`${provider}.capture`);
      return { ...base, status: 'CAPTURED', method: i.method, orderId: i.orderId, authorizationId: 'a', captureId: 'c', amount: { amount: 1, currency: 'USD' } };
    },
    void: async (i) => {
      calls.push(`${provider}.void`);
      return { ...base, status: 'VOIDED', method: i.method, orderId: i.orderId, authorizationId: 'a' };
    },
    refund: async (i) => {
      calls.push(`${provider}.refund`);
      return { ...base, status: 'REFUNDED', method: i.method, orderId: i.orderId, authorizationId: 'a', captureId: 'c', refundId: 'r', amount: { amount: 1, currency: 'USD' } };
    },
    createPaypalOrder: async (i) => {
      calls.push(`${provider}.createPaypalOrder`);
      return { paypalOrderId: 'PP', status: 'CREATED', total: i.amount, approveUrl: null };
    },
  };
}

const orderId = 'ord_0123456789abcdef';
const amount = { amount: 2598, currency: 'USD' };

describe('PaymentRouter', () => {
  it('sends card and apple_pay to Stripe, paypal to PayPal, for every step', async () => {
    const calls: string[] = [];
    const router = new PaymentRouter({ stripe: recordingGateway('stripe', calls), paypal: recordingGateway('paypal', calls) });
    await router.authorize({ orderId, amount, payment: { method: 'card', paymentMethodId: 'pm_card_visa' } });
    await router.authorize({ orderId, amount, payment: { method: 'apple_pay', paymentMethodId: 'pm_card_visa' } });
    await router.authorize({ orderId, amount, payment: { method: 'paypal', paypalOrderId: '5O190127TN364715T' } });
    await router.capture({ orderId, method: 'apple_pay', authorizationId: 'pi_1' });
    await router.void({ orderId, method: 'paypal', authorizationId: 'AUTH1' });
    await router.refund({ orderId, method: 'card', authorizationId: 'pi_1', captureId: 'ch_1' });
    await router.createPaypalOrder({ amount });
    expect(calls).toEqual([
      'stripe.authorize',
      'stripe.authorize',
      'paypal.authorize',
      'stripe.capture',
      'paypal.void',
      'stripe.refund',
      'paypal.createPaypalOrder',
    ]);
  });

  it.each([
    ['a zero amount', { orderId, amount: { amount: 0, currency: 'USD' }, payment: { method: 'card', paymentMethodId: 'pm_card_visa' } }, 'amount'],
    ['an unknown method', { orderId, amount, payment: { method: 'cash' } }, 'payment'],
    ['a client price field', { orderId, amount, payment: { method: 'card', paymentMethodId: 'pm_card_visa' }, price: 1 }, 'price'],
    ['a bad order id', { orderId: '1; drop', amount, payment: { method: 'card', paymentMethodId: 'pm_card_visa' } }, 'orderId'],
  ])('rejects %s without calling a provider', async (_what, input, path) => {
    const calls: string[] = [];
    const router = new PaymentRouter({ stripe: recordingGateway('stripe', calls), paypal: recordingGateway('paypal', calls) });
    // Deliberately ill-typed: the router is the guard against payloads that do not fit.
    const error = await router.authorize(input as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaymentRequestRejectedError);
    expect(error).toMatchObject({ providerCode: 'invalid_input' });
    expect((error as Error).message).toContain(path);
    expect(calls).toEqual([]);
  });
});
