import type { PaymentGateway } from '@orderflow/payments';

/** A PaymentGateway fake that records what it was asked (replace an operation to make it fail). */
export function fakeGateway(): PaymentGateway & { calls: [string, unknown][] } {
  const calls: [string, unknown][] = [];
  const base = { orderId: 'ord_0123456789abcdef', method: 'card' as const, provider: 'stripe' as const, authorizationId: 'pi_1', providerStatus: 'x' };
  return {
    calls,
    authorize: async (input) => {
      calls.push(['authorize', input]);
      return { ...base, method: input.payment.method, amount: input.amount, status: 'AUTHORIZED' };
    },
    capture: async (input) => {
      calls.push(['capture', input]);
      return { ...base, captureId: 'ch_1', amount: input.amount ?? { amount: 0, currency: 'USD' }, status: 'CAPTURED' };
    },
    void: async (input) => {
      calls.push(['void', input]);
      return { ...base, status: 'VOIDED' };
    },
    refund: async (input) => {
      calls.push(['refund', input]);
      return { ...base, captureId: input.captureId, refundId: 're_1', amount: { amount: 1, currency: 'USD' }, status: 'REFUNDED' };
    },
  };
}
