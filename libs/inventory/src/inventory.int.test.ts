import { PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { keys, UnknownProductError } from '@orderflow/contracts';
import { createTestTable, type TestTable } from '@orderflow/dynamodb-local/test-table';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbInventoryRepository } from './dynamodb-inventory-repository';
import { OutOfStockError, ReservationMismatchError, ReservationReleasedError } from './errors';
import { getStock, listReservations, release, reserve, reserveLine } from './inventory';

let table: TestTable;
let inventory: DynamoDbInventoryRepository;
let orderCounter = 0;

/** A fresh, valid order id per call. */
const newOrderId = () => `ord_${Date.now().toString(36)}${String(++orderCounter).padStart(6, '0')}`;

async function putStock(productId: string, available: number) {
  await table.documentClient.send(
    new PutCommand({ TableName: table.tableName, Item: { ...keys.stock(productId), type: 'STOCK', productId, available } }),
  );
}

const available = async (productId: string) => (await getStock(inventory, productId)).available;

async function reservationRecords(productId: string) {
  const scan = await table.documentClient.send(
    new ScanCommand({
      TableName: table.tableName,
      FilterExpression: 'SK = :sk',
      ExpressionAttributeValues: { ':sk': `${keys.reservationPrefix}${productId}` },
      ConsistentRead: true,
    }),
  );
  return scan.Items ?? [];
}

beforeAll(async () => {
  table = await createTestTable('inventory');
  inventory = new DynamoDbInventoryRepository(table.documentClient, table.tableName);
});
afterAll(() => table.drop());

describe('inventory on DynamoDB Local', () => {
  it('50 concurrent one-unit reservations against stock 10: exactly 10 succeed, stock ends at 0, 10 records', async () => {
    await putStock('hot-item', 10);
    const orders = Array.from({ length: 50 }, newOrderId);

    const results = await Promise.allSettled(orders.map((orderId) => reserveLine(inventory, orderId, { productId: 'hot-item', quantity: 1 })));

    const succeeded = results.filter((r) => r.status === 'fulfilled');
    const failed = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    expect(succeeded).toHaveLength(10);
    expect(failed).toHaveLength(40);
    expect(failed.every((e) => e instanceof OutOfStockError && e.productId === 'hot-item' && e.requested === 1)).toBe(true);
    expect(await available('hot-item')).toBe(0);
    const records = await reservationRecords('hot-item');
    expect(records).toHaveLength(10);
    expect(records.every((r) => r['status'] === 'RESERVED' && r['quantity'] === 1)).toBe(true);
  });

  it('a repeated reservation (also concurrent, also once stock ran out) never decrements twice', async () => {
    await putStock('repeat-item', 3);
    const orderId = newOrderId();
    const first = await reserveLine(inventory, orderId, { productId: 'repeat-item', quantity: 3 });
    expect(first.alreadyReserved).toBe(false);
    expect(await available('repeat-item')).toBe(0);

    const repeats = await Promise.all(
      Array.from({ length: 5 }, () => reserveLine(inventory, orderId, { productId: 'repeat-item', quantity: 3 })),
    );
    expect(repeats.every((r) => r.alreadyReserved)).toBe(true);
    expect(await available('repeat-item')).toBe(0);
    expect(await reservationRecords('repeat-item')).toHaveLength(1);

    await expect(reserveLine(inventory, orderId, { productId: 'repeat-item', quantity: 2 })).rejects.toBeInstanceOf(
      ReservationMismatchError,
    );
  });

  it('concurrent first reservations of one order and product decrement once', async () => {
    await putStock('race-item', 10);
    const orderId = newOrderId();
    const results = await Promise.all(
      Array.from({ length: 8 }, () => reserveLine(inventory, orderId, { productId: 'race-item', quantity: 4 })),
    );
    expect(results.filter((r) => !r.alreadyReserved)).toHaveLength(1);
    expect(await available('race-item')).toBe(6);
  });

  it('OutOfStockError names the product, the requested and the available quantity; nothing changes', async () => {
    await putStock('scarce-item', 2);
    const orderId = newOrderId();
    const error = await reserveLine(inventory, orderId, { productId: 'scarce-item', quantity: 5 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutOfStockError);
    expect((error as OutOfStockError).shortages).toEqual([{ productId: 'scarce-item', requested: 5, available: 2 }]);
    expect(await available('scarce-item')).toBe(2);
    expect(await listReservations(inventory, orderId)).toEqual([]);
  });

  it('a product with no stock item is UnknownProductError', async () => {
    const error = await reserveLine(inventory, newOrderId(), { productId: 'no-such-item', quantity: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownProductError);
    expect((error as UnknownProductError).productIds).toEqual(['no-such-item']);
  });

  it('release twice (and concurrently) restores exactly once', async () => {
    await putStock('rel-a', 10);
    await putStock('rel-b', 10);
    const orderId = newOrderId();
    await reserve(inventory, orderId, [
      { productId: 'rel-a', quantity: 2 },
      { productId: 'rel-b', quantity: 3 },
    ]);
    expect([await available('rel-a'), await available('rel-b')]).toEqual([8, 7]);

    const first = await release(inventory, orderId);
    expect(first.released.sort((x, y) => x.productId.localeCompare(y.productId))).toEqual([
      { productId: 'rel-a', quantity: 2 },
      { productId: 'rel-b', quantity: 3 },
    ]);
    const second = await release(inventory, orderId);
    expect(second.released).toEqual([]);
    expect(second.alreadyReleased).toHaveLength(2);
    expect([await available('rel-a'), await available('rel-b')]).toEqual([10, 10]);

    const other = newOrderId();
    await reserveLine(inventory, other, { productId: 'rel-a', quantity: 4 });
    const concurrent = await Promise.all(Array.from({ length: 6 }, () => release(inventory, other)));
    expect(concurrent.reduce((n, r) => n + r.released.length, 0)).toBe(1);
    expect(await available('rel-a')).toBe(10);
    expect((await listReservations(inventory, other)).map((r) => r.status)).toEqual(['RELEASED']);
  });

  it('a reservation after release is refused and changes nothing (release is final)', async () => {
    await putStock('late-item', 5);
    const orderId = newOrderId();
    await reserveLine(inventory, orderId, { productId: 'late-item', quantity: 1 });
    await release(inventory, orderId);

    for (const productId of ['late-item', 'rel-a']) {
      const error = await reserveLine(inventory, orderId, { productId, quantity: 1 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ReservationReleasedError);
    }
    expect(await available('late-item')).toBe(5);
    expect((await listReservations(inventory, orderId)).map((r) => [r.productId, r.status])).toEqual([['late-item', 'RELEASED']]);
  });

  it('a release racing the reservations of its order leaks nothing', async () => {
    const products = Array.from({ length: 12 }, (_, i) => `race-rel-${i}`);
    await Promise.all(products.map((p) => putStock(p, 3)));
    const orderId = newOrderId();

    const reservations = products.map((productId) => reserveLine(inventory, orderId, { productId, quantity: 2 }));
    const releasing = release(inventory, orderId);
    const outcomes = await Promise.allSettled(reservations);
    await releasing;

    // Every reservation either made it before the release (and was given back) or was refused.
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') expect(outcome.reason).toBeInstanceOf(ReservationReleasedError);
    }
    const records = await listReservations(inventory, orderId);
    expect(records.every((r) => r.status === 'RELEASED')).toBe(true);
    expect(await Promise.all(products.map(available))).toEqual(products.map(() => 3));
  });

  it('reserve() keeps lines that succeeded when another runs out, and release() gives them back', async () => {
    await putStock('multi-a', 5);
    await putStock('multi-b', 1);
    const orderId = newOrderId();
    const error = await reserve(inventory, orderId, [
      { productId: 'multi-a', quantity: 2 },
      { productId: 'multi-b', quantity: 2 },
    ]).catch((e: unknown) => e);
    expect((error as OutOfStockError).shortages).toEqual([{ productId: 'multi-b', requested: 2, available: 1 }]);
    expect(await available('multi-a')).toBe(3);

    expect((await release(inventory, orderId)).released).toEqual([{ productId: 'multi-a', quantity: 2 }]);
    expect([await available('multi-a'), await available('multi-b')]).toEqual([5, 1]);
  });
});
