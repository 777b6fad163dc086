import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CatalogFileError, DEFAULT_CATALOG_PATH, LOAD_CATALOG_PATH, loadCatalogFile, parseCatalog } from './catalog-file';

describe('the shipped catalogs', () => {
  it('default: about 20 real-looking products in USD, integer minor units, with stock', () => {
    const catalog = loadCatalogFile(DEFAULT_CATALOG_PATH);
    expect(catalog.name).toBe('default');
    expect(catalog.products.length).toBeGreaterThanOrEqual(18);
    expect(catalog.products.length).toBeLessThanOrEqual(25);
    for (const p of catalog.products) {
      expect(p.price.currency).toBe('USD');
      expect(Number.isInteger(p.price.amount) && p.price.amount > 0).toBe(true);
      expect(p.stock).toBeGreaterThan(0);
      expect(p.description?.length).toBeGreaterThan(20);
    }
    // DESIGN.md's example cart: two mug-classic for 2598.
    expect(catalog.products.find((p) => p.productId === 'mug-classic')?.price).toEqual({ amount: 1299, currency: 'USD' });
  });

  it('load: high-stock products for load tests', () => {
    const catalog = loadCatalogFile(LOAD_CATALOG_PATH);
    expect(catalog.products.length).toBe(50);
    expect(catalog.products.every((p) => p.stock >= 1_000_000 && p.productId.startsWith('load-'))).toBe(true);
  });
});

describe('catalog validation', () => {
  const good = { productId: 'a', name: 'A', price: { amount: 100, currency: 'USD' }, stock: 1 };

  it('names every bad entry by index and product id', () => {
    let caught: unknown;
    try {
      parseCatalog(
        { name: 'x', products: [good, { ...good, productId: 'b', price: { amount: 9.99, currency: 'USD' } }, { ...good, stock: -1 }] },
        'my.json',
      );
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CatalogFileError);
    expect((caught as CatalogFileError).problems).toEqual([
      'products[1] (b) price.amount: Invalid input: expected int, received number',
      'products[2] (a) stock: stock must not be negative',
    ]);
    expect((caught as Error).message).toMatch(/^my\.json is not a valid catalog:\n {2}- products\[1\] \(b\)/);
  });

  it('rejects duplicate ids, unknown fields, an empty catalog', () => {
    expect(() => parseCatalog({ name: 'x', products: [good, good] })).toThrow(/products\[1\] \(a\) productId: duplicate of products\[0\]/);
    expect(() => parseCatalog({ name: 'x', products: [{ ...good, colour: 'red' }] })).toThrow(/products\[0\] \(a\).*colour/);
    expect(() => parseCatalog({ name: 'x', products: [] })).toThrow(/at least one product/);
    expect(() => parseCatalog(null)).toThrow(CatalogFileError);
  });

  it('explains an unreadable or non-JSON file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'seed-'));
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{"name": "x", ');
    expect(() => loadCatalogFile(broken)).toThrow(/broken\.json is not a valid catalog:\n {2}- not JSON/);
    expect(() => loadCatalogFile(join(dir, 'missing.json'))).toThrow(/cannot read it \(ENOENT\)/);
  });
});
