import { OrderflowError, toErrorResponse, UnknownProductError, ValidationError } from '@orderflow/contracts';
import { describe, expect, it } from 'vitest';
import { MixedCurrencyCartError } from './errors';
import { InMemoryCatalogRepository } from './in-memory-catalog-repository';
import { priceCart } from './price-cart';

const usd = (amount: number) => ({ amount, currency: 'USD' });

function catalog() {
  return new InMemoryCatalogRepository([
    { productId: 'mug-classic', name: 'Classic Mug', price: usd(1299), available: 10 },
    { productId: 'tee-black', name: 'Black Tee', price: usd(2500), available: 3 },
    { productId: 'tea-eu', name: 'Loose Leaf Tea', price: { amount: 900, currency: 'EUR' }, available: 5 },
  ]);
}

describe('priceCart', () => {
  it('prices lines from the catalog and totals them', async () => {
    const cart = await priceCart(catalog(), [
      { productId: 'mug-classic', quantity: 2 },
      { productId: 'tee-black', quantity: 1 },
    ]);
    expect(cart).toEqual({
      lines: [
        { productId: 'mug-classic', name: 'Classic Mug', quantity: 2, unitPrice: usd(1299), lineTotal: usd(2598) },
        { productId: 'tee-black', name: 'Black Tee', quantity: 1, unitPrice: usd(2500), lineTotal: usd(2500) },
      ],
      total: usd(5098),
      currency: 'USD',
    });
  });

  it('merges lines of the same product, keeping the order products first appear in', async () => {
    const cart = await priceCart(catalog(), [
      { productId: 'tee-black', quantity: 1 },
      { productId: 'mug-classic', quantity: 1 },
      { productId: 'tee-black', quantity: 2 },
    ]);
    expect(cart.lines.map((l) => [l.productId, l.quantity, l.lineTotal.amount])).toEqual([
      ['tee-black', 3, 7500],
      ['mug-classic', 1, 1299],
    ]);
    expect(cart.total).toEqual(usd(8799));
  });

  it('never takes a price from the client: a line carrying one is rejected', async () => {
    const line = { productId: 'mug-classic', quantity: 1, unitPrice: usd(1) };
    const error = await priceCart(catalog(), [line]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
  });

  it('names every unknown product in one UnknownProductError', async () => {
    const error = await priceCart(catalog(), [
      { productId: 'nope-1', quantity: 1 },
      { productId: 'mug-classic', quantity: 1 },
      { productId: 'nope-2', quantity: 1 },
    ]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownProductError);
    expect((error as UnknownProductError).productIds).toEqual(['nope-1', 'nope-2']);
    // Each detail points at the cart line that names the product.
    expect(toErrorResponse(error).body.error.details?.map((d) => d.path)).toEqual(['items[0].productId', 'items[2].productId']);
    expect(toErrorResponse(error).statusCode).toBe(422);
  });

  it('refuses a cart that mixes currencies with a clear validation error', async () => {
    const error = await priceCart(catalog(), [
      { productId: 'mug-classic', quantity: 1 },
      { productId: 'tea-eu', quantity: 1 },
    ]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MixedCurrencyCartError);
    const mixed = error as MixedCurrencyCartError;
    expect(mixed.name).toBe('MixedCurrencyCartError');
    expect(mixed.code).toBe('VALIDATION_FAILED');
    expect(mixed.message).toContain('EUR, USD');
    expect(mixed.details).toEqual([
      { path: 'items[0].productId', message: 'mug-classic is priced in USD' },
      { path: 'items[1].productId', message: 'tea-eu is priced in EUR' },
    ]);
  });

  it('rejects an empty cart and bad quantities before reading the catalog', async () => {
    const repo = catalog();
    await expect(priceCart(repo, [])).rejects.toBeInstanceOf(ValidationError);
    await expect(priceCart(repo, [{ productId: 'mug-classic', quantity: 0 }])).rejects.toBeInstanceOf(OrderflowError);
    expect(repo.calls).toEqual([]);
  });
});
