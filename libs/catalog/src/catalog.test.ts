import { ProductNotFoundError, ValidationError } from '@orderflow/contracts';
import { describe, expect, it } from 'vitest';
import type { CatalogEntryInput } from './catalog-repository';
import { getProduct, getProductsByIds, listProducts, putProducts } from './catalog';
import { InMemoryCatalogRepository } from './in-memory-catalog-repository';

const entry = (productId: string, stock = 10, amount = 1000): CatalogEntryInput => ({
  productId,
  name: `Product ${productId}`,
  price: { amount, currency: 'USD' },
  stock,
});

describe('putProducts', () => {
  it('creates, then reports a second identical run as unchanged and writes nothing', async () => {
    const repo = new InMemoryCatalogRepository();
    const first = await putProducts(repo, [entry('a'), entry('b')]);
    expect(first).toMatchObject({ total: 2, created: 2, updated: 0, unchanged: 0 });

    repo.calls.length = 0;
    const second = await putProducts(repo, [entry('a'), entry('b')]);
    expect(second).toMatchObject({ total: 2, created: 0, updated: 0, unchanged: 2 });
    expect(repo.calls.find((c) => c.method === 'writeEntries')?.args[0]).toEqual([]);
  });

  it('keeps stock that orders consumed unless resetStock is set', async () => {
    const repo = new InMemoryCatalogRepository();
    await putProducts(repo, [entry('a', 10)]);
    repo.stock.set('a', 4); // four sold since

    expect(await putProducts(repo, [entry('a', 10)])).toMatchObject({ unchanged: 1 });
    expect(repo.stock.get('a')).toBe(4);

    expect(await putProducts(repo, [entry('a', 10)], { resetStock: true })).toMatchObject({ updated: 1 });
    expect(repo.stock.get('a')).toBe(10);
  });

  it('updates a changed product without touching its stock', async () => {
    const repo = new InMemoryCatalogRepository();
    await putProducts(repo, [entry('a', 10, 1000)]);
    repo.stock.set('a', 7);
    const result = await putProducts(repo, [entry('a', 10, 1200)]);
    expect(result.outcomes).toEqual([{ productId: 'a', outcome: 'updated' }]);
    expect(repo.products.get('a')?.price.amount).toBe(1200);
    expect(repo.stock.get('a')).toBe(7);
  });

  it('recreates a missing stock item', async () => {
    const repo = new InMemoryCatalogRepository([{ productId: 'a', name: 'Product a', price: { amount: 1000, currency: 'USD' } }]);
    expect(await putProducts(repo, [entry('a', 5)])).toMatchObject({ updated: 1 });
    expect(repo.stock.get('a')).toBe(5);
  });

  it('rejects invalid entries, naming them, and writes nothing', async () => {
    const repo = new InMemoryCatalogRepository();
    const bad = [entry('a'), { ...entry('b'), price: { amount: 12.5, currency: 'USD' } }];
    const error = await putProducts(repo, bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).details).toEqual([{ path: '[1].price.amount', message: expect.stringMatching(/^b: /) }]);

    const twice = await putProducts(repo, [entry('a'), entry('b'), entry('a')]).catch((e: unknown) => e);
    expect((twice as ValidationError).details).toEqual([
      { path: '[2].productId', message: 'a: a is listed twice (first at [0])' },
    ]);
    expect(repo.products.size).toBe(0);
  });
});

describe('reading products', () => {
  const repo = new InMemoryCatalogRepository([
    { productId: 'a', name: 'A', price: { amount: 100, currency: 'USD' }, available: 3 },
    { productId: 'b', name: 'B', price: { amount: 200, currency: 'USD' } },
  ]);

  it('gets products by ids in the order asked, once each, leaving out unknown ones', async () => {
    const products = await getProductsByIds(repo, ['b', 'zz', 'a', 'b']);
    expect(products.map((p) => [p.productId, p.available])).toEqual([
      ['b', 0],
      ['a', 3],
    ]);
  });

  it('gets one product or ProductNotFoundError, also for ids that cannot exist', async () => {
    expect((await getProduct(repo, 'a')).name).toBe('A');
    await expect(getProduct(repo, 'zz')).rejects.toBeInstanceOf(ProductNotFoundError);
    await expect(getProduct(repo, 'PRODUCT#a')).rejects.toBeInstanceOf(ProductNotFoundError);
  });

  it('validates the page limit', async () => {
    await expect(listProducts(repo, { limit: 0 })).rejects.toBeInstanceOf(ValidationError);
    await expect(listProducts(repo, { limit: 101 })).rejects.toBeInstanceOf(ValidationError);
    const page = await listProducts(repo, { limit: 1 });
    expect(page.items.map((p) => p.productId)).toEqual(['a']);
    const next = await listProducts(repo, { limit: 1, nextToken: page.nextToken ?? undefined });
    expect(next).toMatchObject({ items: [{ productId: 'b' }], nextToken: null });
  });
});
