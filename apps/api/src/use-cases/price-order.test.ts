import { InMemoryCatalogRepository } from '@orderflow/catalog';
import type { PricedCartResult } from '@orderflow/contracts';
import { describe, expect, it } from 'vitest';
import { priceOrder, type QuoteStore } from './price-order';

class InMemoryQuoteStore implements QuoteStore {
  readonly quotes = new Map<string, PricedCartResult>();
  async get(orderId: string) {
    return this.quotes.get(orderId);
  }
  async keep(orderId: string, quote: PricedCartResult) {
    if (!this.quotes.has(orderId)) this.quotes.set(orderId, quote);
    return this.quotes.get(orderId) ?? quote;
  }
}

const ORDER_ID = 'ord_0123456789abcdef';
const items = [{ productId: 'mug', quantity: 2 }];
const catalogAt = (amount: number) =>
  new InMemoryCatalogRepository([{ productId: 'mug', name: 'Mug', price: { amount, currency: 'USD' }, available: 5 }]);

describe('priceOrder', () => {
  it('prices from the catalog and keeps nothing without a key', async () => {
    const quotes = new InMemoryQuoteStore();
    const priced = await priceOrder(catalogAt(1299), quotes, { orderId: ORDER_ID, items, quote: 'none' });
    expect(priced.total).toEqual({ amount: 2598, currency: 'USD' });
    expect(quotes.quotes.size).toBe(0);
  });

  it('keeps the first quote of a resumable order, and a resumed order gets it back whatever the catalog says now', async () => {
    const quotes = new InMemoryQuoteStore();
    const first = await priceOrder(catalogAt(1299), quotes, { orderId: ORDER_ID, items, quote: 'keep' });
    expect(first.total.amount).toBe(2598);
    // The price changed; the resumed order keeps its quote...
    expect(await priceOrder(catalogAt(1500), quotes, { orderId: ORDER_ID, items, quote: 'resume' })).toEqual(first);
    // ...and a retried pricing of the first execution too (its quote was kept before the answer got lost).
    expect(await priceOrder(catalogAt(1500), quotes, { orderId: ORDER_ID, items, quote: 'keep' })).toEqual(first);
  });

  it('prices a resumed order that was never quoted (its first execution died before pricing), and keeps that quote', async () => {
    const quotes = new InMemoryQuoteStore();
    const priced = await priceOrder(catalogAt(1500), quotes, { orderId: ORDER_ID, items, quote: 'resume' });
    expect(priced.total.amount).toBe(3000);
    expect(quotes.quotes.get(ORDER_ID)).toEqual(priced);
  });
});
