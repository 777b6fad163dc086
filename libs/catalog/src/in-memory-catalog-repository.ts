import { z } from 'zod';
import { decodePageToken, encodePageToken } from '@orderflow/contracts';
import type {
  CatalogRepository,
  CatalogWrite,
  ProductDetails,
  StoredCatalogEntry,
  StoredCatalogPage,
  WriteProgress,
} from './catalog-repository';

const InMemoryPageKeySchema = z.strictObject({ after: z.string().min(1) });

/** A CatalogRepository in memory, for unit tests of code that uses the catalog. */
export class InMemoryCatalogRepository implements CatalogRepository {
  readonly products = new Map<string, ProductDetails>();
  readonly stock = new Map<string, number>();
  /** Every call, for tests that check what was read or written. */
  readonly calls: { method: keyof CatalogRepository; args: unknown[] }[] = [];

  constructor(seed: readonly (ProductDetails & { available?: number })[] = []) {
    for (const { available, ...product } of seed) {
      this.products.set(product.productId, product);
      if (available !== undefined) this.stock.set(product.productId, available);
    }
  }

  async getEntries(productIds: readonly string[]): Promise<Map<string, StoredCatalogEntry>> {
    this.calls.push({ method: 'getEntries', args: [productIds] });
    const entries = new Map<string, StoredCatalogEntry>();
    for (const productId of new Set(productIds)) {
      const product = this.products.get(productId);
      const available = this.stock.get(productId);
      if (product || available !== undefined) entries.set(productId, { productId, product, available });
    }
    return entries;
  }

  async listEntries(page: { limit: number; nextToken?: string | undefined }): Promise<StoredCatalogPage> {
    this.calls.push({ method: 'listEntries', args: [page] });
    const after = page.nextToken === undefined ? undefined : decodePageToken(page.nextToken, InMemoryPageKeySchema).after;
    const ids = [...this.products.keys()].sort().filter((id) => after === undefined || id > after);
    const pageIds = ids.slice(0, page.limit);
    const last = pageIds.at(-1);
    return {
      entries: pageIds.map((productId) => ({ productId, product: this.products.get(productId), available: this.stock.get(productId) })),
      nextToken: ids.length > page.limit && last ? encodePageToken({ after: last }) : null,
    };
  }

  async writeEntries(writes: readonly CatalogWrite[], onProgress?: WriteProgress): Promise<void> {
    this.calls.push({ method: 'writeEntries', args: [writes] });
    for (const write of writes) {
      if (write.product) this.products.set(write.productId, { ...write.product });
      if (write.available !== undefined) this.stock.set(write.productId, write.available);
    }
    onProgress?.(writes.length, writes.length);
  }
}
