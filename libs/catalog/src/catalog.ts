import {
  type Product,
  ProductIdSchema,
  ProductNotFoundError,
  type ProductPage,
  ValidationError,
  zodIssuesToDetails,
} from '@orderflow/contracts';
import { z } from 'zod';
import {
  CatalogEntriesInputSchema,
  type CatalogEntryInput,
  type CatalogRepository,
  type CatalogWrite,
  type ProductDetails,
  type StoredCatalogEntry,
  type WriteProgress,
} from './catalog-repository';

function toProduct(entry: StoredCatalogEntry & { product: ProductDetails }): Product {
  // A product without a stock item cannot be reserved: it shows as unavailable.
  return { ...entry.product, available: entry.available ?? 0 };
}

/**
 * Products with these ids, in the order first asked, each once; ids with no product are
 * left out (`priceCart` turns them into UnknownProductError).
 */
export async function getProductsByIds(catalog: CatalogRepository, productIds: readonly string[]): Promise<Product[]> {
  const ids = [...new Set(productIds)];
  if (ids.length === 0) return [];
  const entries = await catalog.getEntries(ids);
  return ids.flatMap((id) => {
    const entry = entries.get(id);
    return entry?.product ? [toProduct({ ...entry, product: entry.product })] : [];
  });
}

/** One product with its stock; ProductNotFoundError (404) when there is none. */
export async function getProduct(catalog: CatalogRepository, productId: string): Promise<Product> {
  // An id that cannot exist is simply not found: GET /products/<anything> answers 404.
  if (!ProductIdSchema.safeParse(productId).success) throw new ProductNotFoundError(productId);
  const [product] = await getProductsByIds(catalog, [productId]);
  if (!product) throw new ProductNotFoundError(productId);
  return product;
}

export const DEFAULT_PAGE_LIMIT = 20;
export const MAX_PAGE_LIMIT = 100;

const ListQuerySchema = z.object({
  limit: z.number().int('limit must be a whole number').min(1).max(MAX_PAGE_LIMIT).default(DEFAULT_PAGE_LIMIT),
  nextToken: z.string().min(1).max(2048).optional(),
});

/**
 * One page of products ordered by id (`GET /products`). Pass the page's `nextToken` back
 * for the next one; it is null on the last page. A token that was not handed out by this
 * list is a ValidationError.
 */
export async function listProducts(
  catalog: CatalogRepository,
  query: { limit?: number | undefined; nextToken?: string | undefined } = {},
): Promise<ProductPage> {
  const parsed = ListQuerySchema.safeParse(query);
  if (!parsed.success) throw ValidationError.fromZod(parsed.error, 'The page query is not valid.');
  const page = await catalog.listEntries(parsed.data);
  return {
    items: page.entries.flatMap((entry) => (entry.product ? [toProduct({ ...entry, product: entry.product })] : [])),
    nextToken: page.nextToken,
  };
}

export type PutProductOutcome = 'created' | 'updated' | 'unchanged';

export interface PutProductsOptions {
  /**
   * Set every stock item to the given `stock`, even where orders have consumed some. Off by
   * default: an existing stock item is left as it is, so running a seed twice changes nothing.
   */
  resetStock?: boolean;
  onProgress?: WriteProgress;
}

export interface PutProductsResult {
  total: number;
  created: number;
  updated: number;
  unchanged: number;
  /** Outcome per product id, in input order. */
  outcomes: { productId: string; outcome: PutProductOutcome }[];
}

/**
 * Admin write of products with their stock, used by seeding. Idempotent: only what differs
 * is written (`unchanged` entries cost a read and no write). A product that exists keeps its
 * stock unless `resetStock` is set; a missing stock item is created from `stock`.
 * Invalid entries are a ValidationError naming the entry, and nothing is written.
 */
export async function putProducts(
  catalog: CatalogRepository,
  entries: readonly CatalogEntryInput[],
  options: PutProductsOptions = {},
): Promise<PutProductsResult> {
  const parsed = CatalogEntriesInputSchema.safeParse(entries);
  if (!parsed.success) {
    // Name the entry as well as its index: "[3].price.amount" -> "mug-classic: ...".
    const details = zodIssuesToDetails(parsed.error.issues).map((detail, i) => {
      const index = parsed.error.issues[i]?.path[0];
      const productId = typeof index === 'number' ? (entries[index] as { productId?: unknown } | undefined)?.productId : undefined;
      return typeof productId === 'string' ? { ...detail, message: `${productId}: ${detail.message}` } : detail;
    });
    throw new ValidationError('The catalog entries are not valid.', details);
  }
  const inputs = parsed.data;
  const stored = inputs.length === 0 ? new Map<string, StoredCatalogEntry>() : await catalog.getEntries(inputs.map((e) => e.productId));

  const writes: CatalogWrite[] = [];
  const outcomes: PutProductsResult['outcomes'] = [];
  for (const input of inputs) {
    const { stock, ...rest } = input;
    const product: ProductDetails = { ...rest };
    const existing = stored.get(input.productId);
    const writeProduct = !existing?.product || !sameProduct(existing.product, product);
    const writeStock = existing?.available === undefined || (options.resetStock === true && existing.available !== stock);
    if (writeProduct || writeStock) {
      writes.push({
        productId: input.productId,
        ...(writeProduct ? { product } : {}),
        ...(writeStock ? { available: stock } : {}),
      });
    }
    const outcome: PutProductOutcome = !existing?.product ? 'created' : writeProduct || writeStock ? 'updated' : 'unchanged';
    outcomes.push({ productId: input.productId, outcome });
  }
  await catalog.writeEntries(writes, options.onProgress);

  const count = (o: PutProductOutcome) => outcomes.filter((x) => x.outcome === o).length;
  return { total: inputs.length, created: count('created'), updated: count('updated'), unchanged: count('unchanged'), outcomes };
}

function sameProduct(a: ProductDetails, b: ProductDetails): boolean {
  return (
    a.productId === b.productId &&
    a.name === b.name &&
    (a.description ?? undefined) === (b.description ?? undefined) &&
    a.price.amount === b.price.amount &&
    a.price.currency === b.price.currency
  );
}
