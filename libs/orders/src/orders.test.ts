import { OrderNotFoundError, toErrorResponse, ValidationError } from '@orderflow/contracts';
import { describe, expect, it } from 'vitest';
import { OrderConflictError, OrderUpdateRejectedError } from './errors';
import { InMemoryOrderRepository } from './in-memory-order-repository';
import { getOrder, getOrderRecord, listCustomerOrders, saveOrder, updateOrder } from './orders';
import { sampleOrder } from './test-orders';

describe('saveOrder', () => {
  it('saves once; an identical re-save is an idempotent success', async () => {
    const repo = new InMemoryOrderRepository();
    const order = sampleOrder();
    expect(await saveOrder(repo, order)).toEqual({ order, created: true });
    expect(await saveOrder(repo, structuredClone(order))).toEqual({ order, created: false });
  });

  it('refuses a different order under the same id and keeps the first', async () => {
    const repo = new InMemoryOrderRepository();
    const order = sampleOrder();
    await saveOrder(repo, order, { paymentReference: { provider: 'stripe', reference: 'pi_1' } });
    const different = { ...order, total: { amount: 1, currency: 'USD' } };
    const error = await saveOrder(repo, different).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OrderConflictError);
    expect(toErrorResponse(error)).toEqual({ statusCode: 500, body: { error: { code: 'INTERNAL', message: 'Something went wrong on our side.' } } });
    await expect(saveOrder(repo, order, { paymentReference: { provider: 'stripe', reference: 'pi_2' } })).rejects.toBeInstanceOf(OrderConflictError);
    expect(await getOrder(repo, order.orderId)).toEqual(order);
  });

  it('treats a late retry of the save, after the payment moved on, as the same order', async () => {
    const repo = new InMemoryOrderRepository();
    const order = sampleOrder();
    await saveOrder(repo, order);
    await updateOrder(repo, order.orderId, { paymentStatus: 'CAPTURED' });
    const again = await saveOrder(repo, order);
    expect(again.created).toBe(false);
    expect(again.order.payment.status).toBe('CAPTURED');
  });

  it('validates the order', async () => {
    const repo = new InMemoryOrderRepository();
    const error = await saveOrder(repo, { ...sampleOrder(), items: [] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).details?.[0]?.path).toBe('items');
    expect(repo.records.size).toBe(0);
  });
});

describe('getOrder', () => {
  it('returns the order with its payment reference, or OrderNotFoundError (also for impossible ids)', async () => {
    const repo = new InMemoryOrderRepository();
    const order = sampleOrder();
    await saveOrder(repo, order, { paymentReference: { provider: 'paypal', reference: 'AUTH-1' } });
    expect(await getOrderRecord(repo, order.orderId)).toEqual({ order, paymentReference: { provider: 'paypal', reference: 'AUTH-1' } });
    await expect(getOrder(repo, 'ord_doesnotexist00')).rejects.toBeInstanceOf(OrderNotFoundError);
    await expect(getOrder(repo, '../etc/passwd')).rejects.toBeInstanceOf(OrderNotFoundError);
  });
});

describe('updateOrder', () => {
  it('follows the payment lifecycle; repeats are successes; invalid moves change nothing', async () => {
    const repo = new InMemoryOrderRepository();
    const order = sampleOrder();
    await saveOrder(repo, order);

    expect((await updateOrder(repo, order.orderId, { paymentStatus: 'CAPTURED' })).payment.status).toBe('CAPTURED');
    expect((await updateOrder(repo, order.orderId, { paymentStatus: 'CAPTURED' })).payment.status).toBe('CAPTURED');

    const error = await updateOrder(repo, order.orderId, { paymentStatus: 'VOIDED' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OrderUpdateRejectedError);
    expect((error as Error).message).toBe(`Order ${order.orderId}: payment CAPTURED cannot become VOIDED.`);

    const refunded = await updateOrder(repo, order.orderId, { paymentStatus: 'REFUNDED', cancelled: true });
    expect([refunded.status, refunded.payment.status]).toEqual(['CANCELLED', 'REFUNDED']);
    await expect(updateOrder(repo, 'ord_doesnotexist00', { paymentStatus: 'CAPTURED' })).rejects.toBeInstanceOf(OrderNotFoundError);
  });

  it('lets compensation refund a capture the order never recorded, but only when cancelling', async () => {
    const repo = new InMemoryOrderRepository();
    const order = sampleOrder();
    await saveOrder(repo, order);
    await expect(updateOrder(repo, order.orderId, { paymentStatus: 'REFUNDED' })).rejects.toBeInstanceOf(OrderUpdateRejectedError);
    expect((await getOrder(repo, order.orderId)).payment.status).toBe('AUTHORIZED');
    const cancelled = await updateOrder(repo, order.orderId, { paymentStatus: 'REFUNDED', cancelled: true });
    expect([cancelled.status, cancelled.payment.status]).toEqual(['CANCELLED', 'REFUNDED']);
    expect((await updateOrder(repo, order.orderId, { paymentStatus: 'REFUNDED', cancelled: true })).status).toBe('CANCELLED');
    await expect(updateOrder(repo, order.orderId, { paymentStatus: 'CAPTURED' })).rejects.toBeInstanceOf(OrderUpdateRejectedError);
  });
});

describe('listCustomerOrders', () => {
  it('validates the customer id and the limit', async () => {
    const repo = new InMemoryOrderRepository();
    await expect(listCustomerOrders(repo, 'bad id')).rejects.toBeInstanceOf(ValidationError);
    await expect(listCustomerOrders(repo, 'cust-1', { limit: 0 })).rejects.toBeInstanceOf(ValidationError);
    expect(await listCustomerOrders(repo, 'cust-1')).toEqual({ items: [], nextToken: null });
  });
});
