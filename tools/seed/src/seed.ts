import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbCatalogRepository, type PutProductsResult, putProducts } from '@orderflow/catalog';
import { type CatalogFile, DEFAULT_CATALOG_PATH, loadCatalogFile } from './catalog-file';

export type SeedProgress =
  | { phase: 'reading'; products: number }
  | { phase: 'writing'; written: number; total: number };

export interface SeedOptions {
  client: DynamoDBDocumentClient;
  tableName: string;
  catalog: CatalogFile;
  /** Set stock back to the catalog's numbers even where orders consumed some. */
  resetStock?: boolean;
  onProgress?: (progress: SeedProgress) => void;
}

export interface SeedReport extends PutProductsResult {
  catalog: string;
  tableName: string;
  /** Items (product and stock) written; 0 when the table already held the catalog. */
  itemsWritten: number;
}

/**
 * Loads a catalog's products and stock into the table. Idempotent: only what differs is
 * written, and stock that orders consumed is kept unless `resetStock` is set, so a second
 * run reports every product unchanged and writes nothing.
 */
export async function seedCatalog(options: SeedOptions): Promise<SeedReport> {
  const repository = new DynamoDbCatalogRepository(options.client, options.tableName);
  options.onProgress?.({ phase: 'reading', products: options.catalog.products.length });
  let itemsWritten = 0;
  const result = await putProducts(repository, options.catalog.products, {
    resetStock: options.resetStock ?? false,
    onProgress: (written, total) => {
      itemsWritten = written;
      if (total > 0) options.onProgress?.({ phase: 'writing', written, total });
    },
  });
  return { ...result, catalog: options.catalog.name, tableName: options.tableName, itemsWritten };
}

/** Seeds the default catalog (what the one-machine stack starts with). Safe to call on every start. */
export async function seedDefaultCatalog(
  options: Omit<SeedOptions, 'catalog'> & { catalog?: CatalogFile },
): Promise<SeedReport> {
  return seedCatalog({ ...options, catalog: options.catalog ?? loadCatalogFile(DEFAULT_CATALOG_PATH) });
}

/** One line summing up a seed run. */
export function formatSeedReport(report: SeedReport): string {
  const what = `${report.total} product${report.total === 1 ? '' : 's'} of catalog "${report.catalog}" into table ${report.tableName}`;
  const counts = `${report.created} created, ${report.updated} updated, ${report.unchanged} unchanged`;
  return `seeded ${what}: ${counts} (${report.itemsWritten} item${report.itemsWritten === 1 ? '' : 's'} written)`;
}
