import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CatalogEntryInput, CatalogEntryInputSchema } from '@orderflow/catalog';
import { z } from 'zod';

const catalogsDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'catalogs');

/** ~20 real-looking products in USD: what `npm run seed` loads and the one-machine stack starts with. */
export const DEFAULT_CATALOG_PATH = join(catalogsDir, 'default.json');
/** High-stock products (`load-001` … `load-050`, 1,000,000 units each) for load tests: `npm run seed -- --load`. */
export const LOAD_CATALOG_PATH = join(catalogsDir, 'load.json');

/** A catalog file: a name, and products with their initial stock (prices in integer minor units). */
export const CatalogFileSchema = z
  .strictObject({
    $schema: z.string().optional(),
    name: z.string().min(1),
    description: z.string().optional(),
    products: z.array(CatalogEntryInputSchema).min(1, 'the catalog must list at least one product'),
  })
  .superRefine((file, ctx) => {
    const first = new Map<string, number>();
    file.products.forEach((product, index) => {
      const seen = first.get(product.productId);
      if (seen === undefined) first.set(product.productId, index);
      else ctx.addIssue({ code: 'custom', path: ['products', index, 'productId'], message: `duplicate of products[${seen}]` });
    });
  });

export interface CatalogFile {
  name: string;
  description?: string;
  products: CatalogEntryInput[];
}

/** A catalog file that cannot be used; the message names the file and every bad entry. */
export class CatalogFileError extends Error {
  override name = 'CatalogFileError';
  constructor(
    readonly path: string,
    readonly problems: string[],
  ) {
    super(`${path} is not a valid catalog:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Validates parsed JSON as a catalog; errors name the entry by index and product id. */
export function parseCatalog(data: unknown, source = 'catalog'): CatalogFile {
  const parsed = CatalogFileSchema.safeParse(data);
  if (parsed.success) {
    const { $schema: _schema, ...catalog } = parsed.data;
    return catalog;
  }
  const products = (data as { products?: unknown } | null)?.products;
  const problems = parsed.error.issues.map((issue) => {
    const [head, index, ...rest] = issue.path;
    if (head === 'products' && typeof index === 'number') {
      const id = Array.isArray(products) ? (products[index] as { productId?: unknown } | undefined)?.productId : undefined;
      const entry = `products[${index}]${typeof id === 'string' ? ` (${id})` : ''}`;
      return `${entry}${rest.length ? ` ${rest.map(String).join('.')}` : ''}: ${issue.message}`;
    }
    return `${issue.path.length ? issue.path.map(String).join('.') : '(root)'}: ${issue.message}`;
  });
  throw new CatalogFileError(source, problems);
}

/** Reads and validates a catalog file. */
export function loadCatalogFile(path: string): CatalogFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new CatalogFileError(path, [`cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`]);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new CatalogFileError(path, [`not JSON: ${(error as Error).message}`]);
  }
  return parseCatalog(data, path);
}
