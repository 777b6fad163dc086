import { toErrorResponse, UnknownProductError, ValidationError } from '@orderflow/contracts';
import { describe, expect, it } from 'vitest';
import { OutOfStockError, ReservationMismatchError, ReservationReleasedError } from './errors';
import { InMemoryInventoryRepository } from './in-memory-inventory-repository';
import { getStock, release, reserve, reserveLine } from './inventory';

const ORDER = 'ord_0123456789abcdef';

describe('reserveLine', () => {
  it('reserves, and a repeat is an idempotent success that takes nothing more', async () => {
    const inventory = new InMemoryInventoryRepository({ mug: 5 });
    expect(await reserveLine(inventory, ORDER, { productId: 'mug', quantity: 2 })).toEqual({
      orderId: ORDER,
      productId: 'mug',
      quantity: 2,
      alreadyReserved: false,
    });
    expect(await reserveLine(inventory, ORDER, { productId: 'mug', quantity: 2 })).toMatchObject({ alreadyReserved: true });
    expect(inventory.stock.get('mug')).toBe(3);
  });

  it('throws OutOfStockError naming the product, the requested and the available quantity', async () => {
    const inventory = new InMemoryInventoryRepository({ mug: 1 });
    const error = await reserveLine(inventory, ORDER, { productId: 'mug', quantity: 3 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutOfStockError);
    const oos = error as OutOfStockError;
    expect([oos.name, oos.code, oos.productId, oos.requested, oos.available]).toEqual(['OutOfStockError', 'OUT_OF_STOCK', 'mug', 3, 1]);
    expect(oos.message).toBe('Not enough stock for mug (requested 3, available 1).');
    expect(toErrorResponse(oos)).toEqual({
      statusCode: 409,
      body: {
        error: {
          code: 'OUT_OF_STOCK',
          message: 'Not enough stock for mug (requested 3, available 1).',
          details: [{ path: 'items', message: 'mug: requested 3, available 1' }],
        },
      },
    });
    expect(inventory.stock.get('mug')).toBe(1);
  });

  it('treats a product without a stock item as unknown', async () => {
    const error = await reserveLine(new InMemoryInventoryRepository(), ORDER, { productId: 'ghost', quantity: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownProductError);
  });

  it('refuses another quantity for a product the order already reserved', async () => {
    const inventory = new InMemoryInventoryRepository({ mug: 5 });
    await reserveLine(inventory, ORDER, { productId: 'mug', quantity: 2 });
    const error = await reserveLine(inventory, ORDER, { productId: 'mug', quantity: 3 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReservationMismatchError);
    expect(toErrorResponse(error).body.error).toEqual({ code: 'INTERNAL', message: 'Something went wrong on our side.' });
    expect(inventory.stock.get('mug')).toBe(3);
  });

  it('validates the order id and the line', async () => {
    const inventory = new InMemoryInventoryRepository({ mug: 5 });
    await expect(reserveLine(inventory, 'not-an-order', { productId: 'mug', quantity: 1 })).rejects.toBeInstanceOf(ValidationError);
    const error = await reserveLine(inventory, ORDER, { productId: 'mug', quantity: 0 }).catch((e: unknown) => e);
    expect((error as ValidationError).details).toEqual([{ path: 'quantity', message: 'quantity must be at least 1' }]);
    expect(inventory.stock.get('mug')).toBe(5);
  });
});

describe('reserve', () => {
  it('merges lines of one product and reserves each product once', async () => {
    const inventory = new InMemoryInventoryRepository({ mug: 5, tee: 5 });
    const result = await reserve(inventory, ORDER, [
      { productId: 'mug', quantity: 1 },
      { productId: 'tee', quantity: 2 },
      { productId: 'mug', quantity: 2 },
    ]);
    expect(result.lines.map((l) => [l.productId, l.quantity])).toEqual([
      ['mug', 3],
      ['tee', 2],
    ]);
    expect([inventory.stock.get('mug'), inventory.stock.get('tee')]).toEqual([2, 3]);
  });

  it('reports every shortage in one OutOfStockError and leaves the other lines for the saga to release', async () => {
    const inventory = new InMemoryInventoryRepository({ mug: 5, tee: 1, cap: 0 });
    const error = await reserve(inventory, ORDER, [
      { productId: 'mug', quantity: 1 },
      { productId: 'tee', quantity: 2 },
      { productId: 'cap', quantity: 1 },
    ]).catch((e: unknown) => e);
    expect((error as OutOfStockError).shortages).toEqual([
      { productId: 'tee', requested: 2, available: 1 },
      { productId: 'cap', requested: 1, available: 0 },
    ]);
    expect(inventory.stock.get('mug')).toBe(4);
    expect(await release(inventory, ORDER)).toEqual({ orderId: ORDER, released: [{ productId: 'mug', quantity: 1 }], alreadyReleased: [] });
    expect(inventory.stock.get('mug')).toBe(5);
  });

  it('prefers UnknownProductError over shortages, naming every unknown product', async () => {
    const inventory = new InMemoryInventoryRepository({ mug: 0 });
    const error = await reserve(inventory, ORDER, [
      { productId: 'mug', quantity: 1 },
      { productId: 'x', quantity: 1 },
      { productId: 'y', quantity: 1 },
    ]).catch((e: unknown) => e);
    expect((error as UnknownProductError).productIds).toEqual(['x', 'y']);
  });

  it('validates lines naming their index, before reserving anything', async () => {
    const inventory = new InMemoryInventoryRepository({ mug: 5 });
    const error = await reserve(inventory, ORDER, [
      { productId: 'mug', quantity: 1 },
      { productId: 'bad id', quantity: 1 },
    ]).catch((e: unknown) => e);
    expect((error as ValidationError).details?.[0]?.path).toBe('items[1].productId');
    expect(inventory.stock.get('mug')).toBe(5);
    await expect(reserve(inventory, ORDER, [])).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('release', () => {
  it('gives back what the order reserved, once, and is final for the order', async () => {
    const inventory = new InMemoryInventoryRepository({ mug: 5 });
    await reserveLine(inventory, ORDER, { productId: 'mug', quantity: 2 });
    expect((await release(inventory, ORDER)).released).toEqual([{ productId: 'mug', quantity: 2 }]);
    expect((await release(inventory, ORDER)).alreadyReleased).toEqual([{ productId: 'mug', quantity: 2 }]);
    expect(inventory.stock.get('mug')).toBe(5);

    const late = await reserveLine(inventory, ORDER, { productId: 'mug', quantity: 2 }).catch((e: unknown) => e);
    expect(late).toBeInstanceOf(ReservationReleasedError);
    expect(inventory.stock.get('mug')).toBe(5);
  });
});

describe('getStock', () => {
  it('returns the stock level or ProductNotFoundError', async () => {
    const inventory = new InMemoryInventoryRepository({ mug: 5 });
    expect(await getStock(inventory, 'mug')).toEqual({ productId: 'mug', available: 5 });
    await expect(getStock(inventory, 'nope')).rejects.toMatchObject({ code: 'PRODUCT_NOT_FOUND' });
  });
});
