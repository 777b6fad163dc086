import { MoneySchema, ProductIdSchema, type Money } from '@orderflow/contracts';
import { z } from 'zod';

/** A product as the catalog holds it (the product item), without its stock. */
export interface ProductDetails {
  productId: string;
  name: string;
  description?: string;
  price: Money;
}

/** What the table holds for one product id: the product item and the stock item, each possibly absent. */
export interface StoredCatalogEntry {
  productId: string;
  product: ProductDetails | undefined;
  /** `available` of the stock item; undefined when there is no stock item. */
  available: number | undefined;
}

/** One write of `writeEntries`: the product item, the stock item, or both. */
export interface CatalogWrite {
  productId: string;
  product?: ProductDetails;
  available?: number;
}

export interface StoredCatalogPage {
  entries: StoredCatalogEntry[];
  nextToken: string | null;
}

/** Progress of a long write: items written so far out of all items. */
export type WriteProgress = (written: number, total: number) => void;

/**
 * The catalog's port. The use cases (getProductsByIds, listProducts, priceCart, ...) take it
 * as an argument; `DynamoDbCatalogRepository` is the adapter, `InMemoryCatalogRepository` a
 * test double.
 */
export interface CatalogRepository {
  /** Product and stock items of these ids. Ids with neither item are absent from the map. */
  getEntries(productIds: readonly string[]): Promise<Map<string, StoredCatalogEntry>>;
  /**
   * Products ordered by id, `limit` at a time, with stock. `nextToken` comes from the
   * previous page; a token this list did not hand out is a ValidationError.
   */
  listEntries(page: { limit: number; nextToken?: string | undefined }): Promise<StoredCatalogPage>;
  /** Puts product and stock items, unconditionally (admin and seeding only). */
  writeEntries(writes: readonly CatalogWrite[], onProgress?: WriteProgress): Promise<void>;
}

/** A catalog entry as an admin (or a seed catalog file) gives it: the product and its stock. */
export const CatalogEntryInputSchema = z.strictObject({
  productId: ProductIdSchema,
  name: z.string().trim().min(1, 'name must not be empty').max(200, 'name must be at most 200 characters'),
  description: z.string().max(2000, 'description must be at most 2000 characters').optional(),
  price: MoneySchema,
  stock: z.number().int('stock must be a whole number').min(0, 'stock must not be negative').max(1_000_000_000),
});
export type CatalogEntryInput = z.infer<typeof CatalogEntryInputSchema>;

/** Several entries: every product id at most once. */
export const CatalogEntriesInputSchema = z.array(CatalogEntryInputSchema).superRefine((entries, ctx) => {
  const seen = new Map<string, number>();
  entries.forEach((entry, index) => {
    const first = seen.get(entry.productId);
    if (first === undefined) seen.set(entry.productId, index);
    else ctx.addIssue({ code: 'custom', path: [index, 'productId'], message: `${entry.productId} is listed twice (first at [${first}])` });
  });
});
