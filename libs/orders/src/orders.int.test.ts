import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { encodePageToken, keys, OrderNotFoundError, toErrorResponse, ValidationError } from '@orderflow/contracts';
import { createTestTable, type TestTable } from '@orderflow/dynamodb-local/test-table';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbOrderRepository } from './dynamodb-order-repository';
import { OrderConflictError, OrderRecordInvalidError, OrderUpdateRejectedError } from './errors';
import { getOrder, getOrderRecord, listCustomerOrders, saveOrder, updateOrder } from './orders';
import { sampleOrder } from './test-orders';

let table: TestTable;
let orders: DynamoDbOrderRepository;

beforeAll(async () => {
  table = await createTestTable('orders');
  orders = new DynamoDbOrderRepository(table.documentClient, table.tableName);
});
afterAll(() => table.drop());

describe('orders on DynamoDB Local', () => {
  it('saving an order twice does not overwrite it', async () => {
    const order = sampleOrder({ customerId: 'cust-save' });
    expect((await saveOrder(orders, order, { paymentReference: { provider: 'stripe', reference: 'pi_123' } })).created).toBe(true);

    const other = { ...order, total: { amount: 1, currency: 'USD' }, items: order.items.map((l) => ({ ...l, quantity: 9 })) };
    await expect(saveOrder(orders, other)).rejects.toBeInstanceOf(OrderConflictError);
    expect(await getOrderRecord(orders, order.orderId)).toEqual({ order, paymentReference: { provider: 'stripe', reference: 'pi_123' } });

    const again = await saveOrder(orders, order, { paymentReference: { provider: 'stripe', reference: 'pi_123' } });
    expect(again).toEqual({ order, created: false });
  });

  it('concurrent identical saves create the order exactly once', async () => {
    const order = sampleOrder({ customerId: 'cust-race' });
    const results = await Promise.all(Array.from({ length: 6 }, () => saveOrder(orders, order)));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(await getOrder(orders, order.orderId)).toEqual(order);
  });

  it('gets an order, or OrderNotFoundError (404)', async () => {
    const order = sampleOrder();
    await saveOrder(orders, order);
    expect(await getOrder(orders, order.orderId)).toEqual(order);
    const error = await getOrder(orders, 'ord_neversaved000').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OrderNotFoundError);
    expect(toErrorResponse(error).statusCode).toBe(404);
  });

  it("lists a customer's orders newest first across pages, and only theirs", async () => {
    const customerId = 'cust-pages';
    const base = Date.parse('2025-05-01T00:00:00.000Z');
    const saved = [];
    for (let i = 0; i < 23; i++) {
      // Two orders share an instant; one timestamp has no fraction: both must sort right.
      const at = i === 5 ? base + 4 * 60_000 : base + i * 60_000;
      const createdAt = i === 7 ? new Date(at).toISOString().replace('.000Z', 'Z') : new Date(at + (i === 8 ? 500 : 0)).toISOString();
      saved.push(sampleOrder({ customerId, createdAt }));
    }
    await Promise.all(saved.map((o) => saveOrder(orders, o)));
    await saveOrder(orders, sampleOrder({ customerId: 'cust-someone-else' }));

    const seen: string[] = [];
    const sizes: number[] = [];
    let nextToken: string | undefined;
    do {
      const page = await listCustomerOrders(orders, customerId, { limit: 10, ...(nextToken ? { nextToken } : {}) });
      sizes.push(page.items.length);
      seen.push(...page.items.map((o) => o.orderId));
      nextToken = page.nextToken ?? undefined;
    } while (nextToken);

    const expected = [...saved]
      .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || (a.orderId < b.orderId ? 1 : -1))
      .map((o) => o.orderId);
    expect(sizes).toEqual([10, 10, 3]);
    expect(seen).toEqual(expected);
    expect(new Set(seen).size).toBe(23);
  });

  it("refuses a tampered token or another customer's token with a ValidationError", async () => {
    const page = await listCustomerOrders(orders, 'cust-pages', { limit: 2 });
    const token = page.nextToken ?? '';
    for (const nextToken of [
      `${token.slice(0, -3)}abc`,
      encodePageToken({ PK: 'ORDER#ord_x', SK: 'ORDER', GSI1PK: 'CUSTOMER#cust-pages', GSI1SK: 'x' }),
      'Zm9v',
    ]) {
      await expect(listCustomerOrders(orders, 'cust-pages', { limit: 2, nextToken })).rejects.toBeInstanceOf(ValidationError);
    }
    const stolen = await listCustomerOrders(orders, 'cust-someone-else', { limit: 2, nextToken: token }).catch((e: unknown) => e);
    expect(stolen).toBeInstanceOf(ValidationError);
    expect(toErrorResponse(stolen).statusCode).toBe(400);
  });

  it('updates the payment status and cancels, under the state rules', async () => {
    const order = sampleOrder();
    await saveOrder(orders, order);
    expect((await updateOrder(orders, order.orderId, { paymentStatus: 'CAPTURED' })).payment.status).toBe('CAPTURED');
    await expect(updateOrder(orders, order.orderId, { paymentStatus: 'VOIDED' })).rejects.toBeInstanceOf(OrderUpdateRejectedError);
    const cancelled = await updateOrder(orders, order.orderId, { paymentStatus: 'REFUNDED', cancelled: true });
    expect(cancelled).toEqual({ ...order, status: 'CANCELLED', payment: { method: 'card', status: 'REFUNDED' } });
    expect(await getOrder(orders, order.orderId)).toEqual(cancelled);
    await expect(updateOrder(orders, 'ord_neversaved000', { paymentStatus: 'CAPTURED' })).rejects.toBeInstanceOf(OrderNotFoundError);
  });

  it('cancels with a refund an order whose capture was never recorded (compensation only)', async () => {
    const order = sampleOrder();
    await saveOrder(orders, order);
    await expect(updateOrder(orders, order.orderId, { paymentStatus: 'REFUNDED' })).rejects.toBeInstanceOf(OrderUpdateRejectedError);
    const cancelled = await updateOrder(orders, order.orderId, { paymentStatus: 'REFUNDED', cancelled: true });
    expect(cancelled).toEqual({ ...order, status: 'CANCELLED', payment: { method: 'card', status: 'REFUNDED' } });
    expect(await getOrder(orders, order.orderId)).toEqual(cancelled);
  });

  it('validates what it reads back', async () => {
    await table.documentClient.send(
      new PutCommand({
        TableName: table.tableName,
        Item: { ...keys.order('ord_corrupted00000'), orderId: 'ord_corrupted00000', status: 'SHIPPED' },
      }),
    );
    const error = await getOrder(orders, 'ord_corrupted00000').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OrderRecordInvalidError);
    expect(toErrorResponse(error).body.error.message).toBe('Something went wrong on our side.');
  });
});
