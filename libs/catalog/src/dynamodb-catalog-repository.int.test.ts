import { BatchGetCommand, type BatchGetCommandInput, BatchWriteCommand, DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { encodePageToken, keys, ProductNotFoundError, toErrorResponse, UnknownProductError, ValidationError } from '@orderflow/contracts';
import { createTestTable, type TestTable } from '@orderflow/dynamodb-local/test-table';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CatalogEntryInput } from './catalog-repository';
import { getProduct, getProductsByIds, listProducts, putProducts } from './catalog';
import { DynamoDbCatalogRepository } from './dynamodb-catalog-repository';
import { priceCart } from './price-cart';

const ids = Array.from({ length: 60 }, (_, i) => `item-${String(i).padStart(3, '0')}`);
const entries: CatalogEntryInput[] = ids.map((productId, i) => ({
  productId,
  name: `Item ${i}`,
  description: i % 2 ? `Description of item ${i}` : undefined,
  price: { amount: 100 + i, currency: 'USD' },
  stock: i,
}));

let table: TestTable;
let catalog: DynamoDbCatalogRepository;

beforeAll(async () => {
  table = await createTestTable('catalog');
  catalog = new DynamoDbCatalogRepository(table.documentClient, table.tableName);
  const result = await putProducts(catalog, entries);
  expect(result).toMatchObject({ total: 60, created: 60 });
});
afterAll(() => table.drop());

/**
 * The real table behind a client that, like a throttled table, processes only half of each
 * batch and hands the rest back as UnprocessedKeys / UnprocessedItems.
 */
function halfProcessing(doc: DynamoDBDocumentClient, tableName: string) {
  const stats = { partialAnswers: 0 };
  const client = new Proxy(doc, {
    get(target, prop, receiver) {
      if (prop !== 'send') return Reflect.get(target, prop, receiver);
      return async (command: unknown) => {
        if (command instanceof BatchGetCommand) {
          const requested = (command.input as BatchGetCommandInput).RequestItems?.[tableName]?.Keys ?? [];
          if (requested.length > 1) {
            const cut = Math.ceil(requested.length / 2);
            const result = await target.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: requested.slice(0, cut) } } }));
            stats.partialAnswers++;
            return { ...result, UnprocessedKeys: { [tableName]: { Keys: requested.slice(cut) } } };
          }
        }
        if (command instanceof BatchWriteCommand) {
          const requests = command.input.RequestItems?.[tableName] ?? [];
          if (requests.length > 1) {
            const cut = Math.ceil(requests.length / 2);
            await target.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests.slice(0, cut) } }));
            stats.partialAnswers++;
            return { UnprocessedItems: { [tableName]: requests.slice(cut) }, $metadata: {} };
          }
        }
        return (target.send as (c: unknown) => Promise<unknown>)(command);
      };
    },
  });
  return { client, stats };
}

describe('catalog on DynamoDB Local', () => {
  it('gets products by ids with their stock, across BatchGet chunks of 100 keys', async () => {
    const wanted = [...ids].reverse(); // 120 keys: two chunks
    const products = await getProductsByIds(catalog, [...wanted, 'no-such-product']);
    expect(products.map((p) => p.productId)).toEqual(wanted);
    expect(products.find((p) => p.productId === 'item-007')).toEqual({
      productId: 'item-007',
      name: 'Item 7',
      description: 'Description of item 7',
      price: { amount: 107, currency: 'USD' },
      available: 7,
    });
  });

  it('gets one product, or ProductNotFoundError (404)', async () => {
    expect((await getProduct(catalog, 'item-010')).available).toBe(10);
    const error = await getProduct(catalog, 'item-999').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProductNotFoundError);
    expect(toErrorResponse(error).statusCode).toBe(404);
  });

  it('lists every product once, in id order, across pages, with no empty last page', async () => {
    const seen: string[] = [];
    const sizes: number[] = [];
    let nextToken: string | undefined;
    do {
      const page = await listProducts(catalog, { limit: 7, ...(nextToken ? { nextToken } : {}) });
      sizes.push(page.items.length);
      seen.push(...page.items.map((p) => p.productId));
      expect(page.items.every((p) => p.available === Number(p.productId.slice(5)))).toBe(true);
      nextToken = page.nextToken ?? undefined;
    } while (nextToken);
    expect(seen).toEqual(ids);
    expect(sizes).toEqual([7, 7, 7, 7, 7, 7, 7, 7, 4]);

    const exact = await listProducts(catalog, { limit: 60 });
    expect(exact.items).toHaveLength(60);
    expect(exact.nextToken).toBeNull();
  });

  it('answers a tampered or foreign nextToken with a ValidationError, never a DynamoDB error', async () => {
    const page = await listProducts(catalog, { limit: 2 });
    const token = page.nextToken ?? '';
    const tampered = [
      `${token.slice(0, -2)}xx`,
      encodePageToken({ PK: 'PRODUCT#item-001', SK: 'STOCK', GSI1PK: 'CATALOG', GSI1SK: 'item-001' }),
      encodePageToken({ PK: 'PRODUCT#item-001', SK: 'PRODUCT', GSI1PK: 'CUSTOMER#x', GSI1SK: 'item-001' }),
      encodePageToken({ PK: 'PRODUCT#item-002', SK: 'PRODUCT', GSI1PK: 'CATALOG', GSI1SK: 'item-001' }),
      'e30',
    ];
    for (const nextToken of tampered) {
      const error = await listProducts(catalog, { limit: 2, nextToken }).catch((e: unknown) => e);
      expect(error, nextToken).toBeInstanceOf(ValidationError);
      expect(toErrorResponse(error).statusCode).toBe(400);
    }
  });

  it('prices a cart from the stored prices', async () => {
    const cart = await priceCart(catalog, [
      { productId: 'item-001', quantity: 2 },
      { productId: 'item-002', quantity: 1 },
      { productId: 'item-001', quantity: 1 },
    ]);
    expect(cart.lines.map((l) => [l.productId, l.quantity, l.lineTotal.amount])).toEqual([
      ['item-001', 3, 303],
      ['item-002', 1, 102],
    ]);
    expect(cart.total).toEqual({ amount: 405, currency: 'USD' });
    await expect(priceCart(catalog, [{ productId: 'gone', quantity: 1 }])).rejects.toBeInstanceOf(UnknownProductError);
  });

  it('puts products idempotently: a second run writes nothing and keeps consumed stock', async () => {
    await table.documentClient.send(
      new PutCommand({ TableName: table.tableName, Item: { ...keys.stock('item-003'), type: 'STOCK', productId: 'item-003', available: 1 } }),
    );
    const again = await putProducts(catalog, entries);
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 60 });
    expect((await getProduct(catalog, 'item-003')).available).toBe(1);

    const reset = await putProducts(catalog, entries, { resetStock: true });
    expect(reset).toMatchObject({ updated: 1, unchanged: 59 });
    expect((await getProduct(catalog, 'item-003')).available).toBe(3);
  });

  it('writes with a document client that keeps default marshalling (undefined attributes)', async () => {
    const plain = new DynamoDbCatalogRepository(DynamoDBDocumentClient.from(table.client), table.tableName);
    const entry = { productId: 'plain-1', name: 'Plain', description: undefined, price: { amount: 1, currency: 'USD' }, stock: 1 };
    expect(await putProducts(plain, [entry])).toMatchObject({ created: 1 });
    expect(await getProduct(plain, 'plain-1')).toEqual({ productId: 'plain-1', name: 'Plain', price: { amount: 1, currency: 'USD' }, available: 1 });
  });

  it('retries unprocessed keys and items against the real table until the batch is done', async () => {
    const { client, stats } = halfProcessing(table.documentClient, table.tableName);
    const throttled = new DynamoDbCatalogRepository(client, table.tableName, { retry: { baseDelayMs: 1, maxDelayMs: 5 } });

    const products = await getProductsByIds(throttled, ids);
    expect(products).toHaveLength(60);
    expect(products.map((p) => p.available)).toEqual(ids.map((_, i) => i));

    const more: CatalogEntryInput[] = Array.from({ length: 30 }, (_, i) => ({
      productId: `extra-${i}`,
      name: `Extra ${i}`,
      price: { amount: 500, currency: 'USD' },
      stock: 2,
    }));
    expect(await putProducts(throttled, more)).toMatchObject({ created: 30 });
    expect(stats.partialAnswers).toBeGreaterThan(5);
    const stored = await getProductsByIds(catalog, more.map((m) => m.productId));
    expect(stored.map((p) => p.available)).toEqual(more.map(() => 2));
  });
});
