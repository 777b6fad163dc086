import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbCatalogRepository, getProduct, listProducts } from '@orderflow/catalog';
import { keys } from '@orderflow/contracts';
import { createTestTable, type TestTable } from '@orderflow/dynamodb-local/test-table';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CATALOG_PATH, loadCatalogFile } from './catalog-file';
import { seedCatalog, seedDefaultCatalog, type SeedProgress } from './seed';

let table: TestTable;
const catalog = loadCatalogFile(DEFAULT_CATALOG_PATH);

beforeAll(async () => {
  table = await createTestTable('seed');
});
afterAll(() => table.drop());

describe('seedCatalog on DynamoDB Local', () => {
  it('loads the default catalog, listable and with stock, reporting progress', async () => {
    const progress: SeedProgress[] = [];
    const report = await seedDefaultCatalog({ client: table.documentClient, tableName: table.tableName, onProgress: (p) => progress.push(p) });
    expect(report).toMatchObject({ total: catalog.products.length, created: catalog.products.length, updated: 0, unchanged: 0 });
    expect(report.itemsWritten).toBe(catalog.products.length * 2);
    expect(progress.at(0)).toEqual({ phase: 'reading', products: catalog.products.length });
    expect(progress.at(-1)).toEqual({ phase: 'writing', written: report.itemsWritten, total: report.itemsWritten });

    const repo = new DynamoDbCatalogRepository(table.documentClient, table.tableName);
    const listed = await listProducts(repo, { limit: 100 });
    expect(listed.items.map((p) => p.productId)).toEqual(catalog.products.map((p) => p.productId).sort());
    for (const entry of catalog.products) {
      const { stock, ...product } = entry;
      expect(listed.items.find((p) => p.productId === entry.productId)).toEqual({ ...product, available: stock });
    }
  });

  it('a second run changes nothing, and consumed stock survives unless --reset-stock', async () => {
    const mug = keys.stock('mug-classic');
    await table.documentClient.send(
      new UpdateCommand({ TableName: table.tableName, Key: mug, UpdateExpression: 'SET available = available - :n', ExpressionAttributeValues: { ':n': 7 } }),
    );
    const repo = new DynamoDbCatalogRepository(table.documentClient, table.tableName);
    const before = (await getProduct(repo, 'mug-classic')).available;

    const again = await seedCatalog({ client: table.documentClient, tableName: table.tableName, catalog });
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: catalog.products.length, itemsWritten: 0 });
    expect((await getProduct(repo, 'mug-classic')).available).toBe(before);

    const reset = await seedCatalog({ client: table.documentClient, tableName: table.tableName, catalog, resetStock: true });
    expect(reset).toMatchObject({ created: 0, updated: 1, unchanged: catalog.products.length - 1, itemsWritten: 1 });
    expect((await getProduct(repo, 'mug-classic')).available).toBe(before + 7);
  });
});
