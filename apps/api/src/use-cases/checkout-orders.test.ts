import type { Order } from '@orderflow/contracts';
import { InMemoryOrderRepository } from '@orderflow/orders';
import { describe, expect, it } from 'vitest';
import { cancelCheckoutOrder, recordCheckoutCapture, saveCheckoutOrder } from './checkout-orders';

const order: Order = {
  orderId: 'ord_0123456789abcdef',
  customerId: 'cust-1',
  status: 'CONFIRMED',
  items: [{ productId: 'mug', name: 'Mug', quantity: 1, unitPrice: { amount: 100, currency: 'USD' }, lineTotal: { amount: 100, currency: 'USD' } }],
  total: { amount: 100, currency: 'USD' },
  payment: { method: 'card', status: 'AUTHORIZED' },
  createdAt: '2025-01-01T00:00:00.000Z',
};
const payment = { method: 'card' as const, provider: 'stripe' as const, authorizationId: 'pi_1', status: 'AUTHORIZED' as const };

describe('checkout orders', () => {
  it('saves with the payment reference, idempotently, then records the capture', async () => {
    const orders = new InMemoryOrderRepository();
    expect(await saveCheckoutOrder(orders, { order, payment })).toEqual(order);
    expect(await saveCheckoutOrder(orders, { order, payment })).toEqual(order);
    expect(orders.records.get(order.orderId)?.paymentReference).toEqual({ provider: 'stripe', reference: 'pi_1' });
    expect((await recordCheckoutCapture(orders, { orderId: order.orderId })).payment.status).toBe('CAPTURED');
  });

  it('cancels a saved order with its payment status, and finds nothing to cancel when the save never happened', async () => {
    const orders = new InMemoryOrderRepository();
    await saveCheckoutOrder(orders, { order, payment });
    const result = await cancelCheckoutOrder(orders, { orderId: order.orderId, paymentStatus: 'VOIDED' });
    expect(result).toMatchObject({ cancelled: true, order: { status: 'CANCELLED', payment: { status: 'VOIDED' } } });
    expect(await cancelCheckoutOrder(orders, { orderId: 'ord_99999999999999', paymentStatus: 'VOIDED' })).toEqual({
      cancelled: false,
      reason: 'not-saved',
    });
  });
});
