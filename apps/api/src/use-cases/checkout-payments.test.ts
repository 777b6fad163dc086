import type { WorkflowPayment } from '@orderflow/contracts';
import { PaymentProviderUnavailableError, PaymentRequestRejectedError } from '@orderflow/payments';
import { describe, expect, it } from 'vitest';
import { fakeGateway } from '../test/fake-payment-gateway';
import {
  authorizeCheckoutPayment,
  captureCheckoutPayment,
  NothingToRefundError,
  refundCheckoutPayment,
  voidCheckoutPayment,
} from './checkout-payments';

const correlation = { executionName: 'e', requestId: 'r' };
const amount = { amount: 2598, currency: 'USD' };
const authorized: WorkflowPayment = { method: 'apple_pay', provider: 'stripe', authorizationId: 'pi_1', status: 'AUTHORIZED' };

describe('checkout payments', () => {
  it('authorizes the server total and keeps what later steps need', async () => {
    const gateway = fakeGateway();
    const payment = await authorizeCheckoutPayment(gateway, {
      orderId: 'ord_0123456789abcdef',
      customerId: 'cust-1',
      payment: { method: 'apple_pay', paymentMethodId: 'pm_card_visa' },
      amount,
    });
    expect(payment).toEqual({ method: 'apple_pay', provider: 'stripe', authorizationId: 'pi_1', status: 'AUTHORIZED' });
    expect(gateway.calls[0]?.[1]).toMatchObject({ amount, customerId: 'cust-1' });
  });

  it('captures, voids and refunds the authorization it was given', async () => {
    const gateway = fakeGateway();
    const input = { orderId: 'ord_0123456789abcdef', payment: authorized, amount, correlation };
    const captured = await captureCheckoutPayment(gateway, input);
    expect(captured).toEqual({ ...authorized, captureId: 'ch_1', status: 'CAPTURED' });
    expect(await voidCheckoutPayment(gateway, input)).toEqual({ ...authorized, status: 'VOIDED' });
    expect(await refundCheckoutPayment(gateway, { ...input, payment: captured })).toEqual({ ...captured, status: 'REFUNDED' });
    expect(gateway.calls.map(([op, args]) => [op, (args as { authorizationId: string }).authorizationId])).toEqual([
      ['capture', 'pi_1'],
      ['void', 'pi_1'],
      ['refund', 'pi_1'],
    ]);
  });

  it('refunds instead of voiding when the provider says the payment was captured after all', async () => {
    for (const [provider, code] of [
      ['stripe', 'payment_intent_unexpected_state'],
      ['paypal', 'PREVIOUSLY_CAPTURED'],
    ] as const) {
      const gateway = fakeGateway();
      gateway.void = async (input) => {
        gateway.calls.push(['void', input]);
        throw new PaymentRequestRejectedError(provider, code, 'cannot void a captured payment');
      };
      const input = { orderId: 'ord_0123456789abcdef', payment: authorized, amount, correlation };
      expect(await voidCheckoutPayment(gateway, input)).toEqual({ ...authorized, captureId: 'ch_1', status: 'REFUNDED' });
      expect(gateway.calls.map(([op]) => op)).toEqual(['void', 'capture', 'refund']);
      expect(gateway.calls[2]?.[1]).toMatchObject({ captureId: 'ch_1', authorizationId: 'pi_1' });
    }
  });

  it('never captures when a void fails for another reason', async () => {
    for (const failure of [
      new PaymentRequestRejectedError('paypal', 'AUTHORIZATION_EXPIRED', 'expired'),
      new PaymentProviderUnavailableError('stripe', 'timeout', 'timed out'),
    ]) {
      const gateway = fakeGateway();
      gateway.void = async () => {
        throw failure;
      };
      const input = { orderId: 'ord_0123456789abcdef', payment: authorized, amount, correlation };
      await expect(voidCheckoutPayment(gateway, input)).rejects.toBe(failure);
      expect(gateway.calls).toEqual([]);
    }
  });

  it('refuses to refund what was never captured', async () => {
    await expect(
      refundCheckoutPayment(fakeGateway(), { orderId: 'ord_0123456789abcdef', payment: authorized, amount }),
    ).rejects.toThrow(NothingToRefundError);
  });
});
