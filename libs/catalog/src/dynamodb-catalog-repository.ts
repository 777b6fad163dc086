import {
  BatchGetCommand,
  type BatchGetCommandInput,
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { GSI1, keys, MoneySchema, queryPage, retryWithBackoff, sleep } from '@orderflow/contracts';
import { z } from 'zod';
import type {
  CatalogRepository,
  CatalogWrite,
  ProductDetails,
  StoredCatalogEntry,
  StoredCatalogPage,
  WriteProgress,
} from './catalog-repository';
import { BatchRetriesExhaustedError, CatalogRecordInvalidError } from './errors';
import { DEFAULT_BATCH_RETRY, type RetryPolicy } from './retry';

/** BatchGetItem takes at most 100 keys, BatchWriteItem at most 25 requests. */
export const BATCH_GET_MAX_KEYS = 100;
export const BATCH_WRITE_MAX_ITEMS = 25;

export interface DynamoDbCatalogRepositoryOptions {
  retry?: Partial<RetryPolicy>;
  /** Injected in tests to avoid real waiting. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

type Key = { PK: string; SK: string };
type Item = Record<string, unknown>;

const PRODUCT_PREFIX = 'PRODUCT#';

const ProductItemSchema = z.object({
  productId: z.string().min(1),
  name: z.string().min(1),
  description: z.string().optional(),
  price: MoneySchema,
});
const StockItemSchema = z.object({ available: z.number().int().min(0) });

/** The last product of a page, as GSI1 keys it: table key + index key. */
const CatalogPageKeySchema = z
  .strictObject({
    PK: z.string().startsWith(PRODUCT_PREFIX),
    SK: z.literal('PRODUCT'),
    GSI1PK: z.literal(keys.catalogPartition),
    GSI1SK: z.string().min(1).max(200),
  })
  .refine((key) => key.PK === keys.product(key.GSI1SK).PK);

/**
 * The catalog on the single table: product items (`PRODUCT#<id>`/`PRODUCT`, also indexed in
 * GSI1 under `CATALOG`/`<id>` so listing is a Query, not a Scan) and stock items
 * (`PRODUCT#<id>`/`STOCK`). Batches retry what DynamoDB leaves unprocessed, with backoff and jitter.
 */
export class DynamoDbCatalogRepository implements CatalogRepository {
  private readonly retry: RetryPolicy;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: DynamoDbCatalogRepositoryOptions = {},
  ) {
    this.retry = { ...DEFAULT_BATCH_RETRY, ...options.retry };
    this.sleep = options.sleep ?? sleep;
    this.random = options.random ?? Math.random;
  }

  async getEntries(productIds: readonly string[]): Promise<Map<string, StoredCatalogEntry>> {
    const ids = [...new Set(productIds)];
    const items = await this.batchGetAll(ids.flatMap((id) => [keys.product(id), keys.stock(id)]));
    const entries = new Map<string, StoredCatalogEntry>();
    for (const item of items) {
      const key = itemKey(item);
      const productId = key.PK.slice(PRODUCT_PREFIX.length);
      const entry = entries.get(productId) ?? { productId, product: undefined, available: undefined };
      if (key.SK === 'PRODUCT') entry.product = parseProduct(item, key);
      else if (key.SK === 'STOCK') entry.available = parseStock(item, key);
      entries.set(productId, entry);
    }
    return entries;
  }

  async listEntries(page: { limit: number; nextToken?: string | undefined }): Promise<StoredCatalogPage> {
    const { items: pageItems, nextToken } = await queryPage({
      limit: page.limit,
      nextToken: page.nextToken,
      keySchema: CatalogPageKeySchema,
      keyOf: (item: Item) => ({ ...itemKey(item), ...keys.catalogIndex(String(item['productId'])) }),
      query: async ({ limit, exclusiveStartKey }) => {
        const result = await this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: GSI1.indexName,
            KeyConditionExpression: '#pk = :pk',
            ExpressionAttributeNames: { '#pk': GSI1.partitionKey.name },
            ExpressionAttributeValues: { ':pk': keys.catalogPartition },
            Limit: limit,
            ...(exclusiveStartKey ? { ExclusiveStartKey: exclusiveStartKey } : {}),
          }),
        );
        return { items: result.Items ?? [], lastEvaluatedKey: result.LastEvaluatedKey };
      },
    });
    const products = pageItems.map((item) => parseProduct(item, itemKey(item)));
    const stockItems = await this.batchGetAll(products.map((p) => keys.stock(p.productId)));
    const stock = new Map(stockItems.map((item) => [itemKey(item).PK, parseStock(item, itemKey(item))]));
    const entries = products.map((product) => ({
      productId: product.productId,
      product,
      available: stock.get(keys.stock(product.productId).PK),
    }));

    return { entries, nextToken };
  }

  async writeEntries(writes: readonly CatalogWrite[], onProgress?: WriteProgress): Promise<void> {
    const now = new Date().toISOString();
    const items: Item[] = writes.flatMap((w) => [
      ...(w.product
        ? [{ ...keys.product(w.productId), ...keys.catalogIndex(w.productId), type: 'PRODUCT', ...productAttributes(w.product), updatedAt: now }]
        : []),
      ...(w.available !== undefined
        ? [{ ...keys.stock(w.productId), type: 'STOCK', productId: w.productId, available: w.available, updatedAt: now }]
        : []),
    ]);
    let written = 0;
    onProgress?.(0, items.length);
    for (const batch of chunk(items, BATCH_WRITE_MAX_ITEMS)) {
      await this.batchWrite(batch);
      written += batch.length;
      onProgress?.(written, items.length);
    }
  }

  /** BatchGet of any number of keys: chunks of 100, read in parallel. */
  private async batchGetAll(requestKeys: Key[]): Promise<Item[]> {
    const chunks = chunk(requestKeys, BATCH_GET_MAX_KEYS);
    return (await Promise.all(chunks.map((c) => this.batchGet(c)))).flat();
  }

  private async batchGet(requestKeys: Key[]): Promise<Item[]> {
    const found: Item[] = [];
    let pending: Record<string, unknown>[] = requestKeys;
    return retryWithBackoff(
      this.retry,
      async () => {
        const input: BatchGetCommandInput = { RequestItems: { [this.tableName]: { Keys: pending } } };
        const result = await this.client.send(new BatchGetCommand(input));
        found.push(...(result.Responses?.[this.tableName] ?? []));
        pending = result.UnprocessedKeys?.[this.tableName]?.Keys ?? [];
        return pending.length === 0 ? { done: true, value: found } : { done: false, reason: pending.length };
      },
      (left, attempts) => {
        throw new BatchRetriesExhaustedError('BatchGetItem', left, attempts);
      },
      { sleep: this.sleep, random: this.random },
    );
  }

  private async batchWrite(items: Item[]): Promise<void> {
    let pending = items.map((Item) => ({ PutRequest: { Item } }));
    await retryWithBackoff(
      this.retry,
      async () => {
        const result = await this.client.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: pending } }));
        pending = (result.UnprocessedItems?.[this.tableName] ?? []).flatMap((r) =>
          r.PutRequest?.Item ? [{ PutRequest: { Item: r.PutRequest.Item } }] : [],
        );
        return pending.length === 0 ? { done: true, value: undefined } : { done: false, reason: pending.length };
      },
      (left, attempts) => {
        throw new BatchRetriesExhaustedError('BatchWriteItem', left, attempts);
      },
      { sleep: this.sleep, random: this.random },
    );
  }
}

/** Explicit attributes: no `undefined` reaches the marshaller, whatever the client's options. */
function productAttributes(product: ProductDetails): Item {
  const { productId, name, description, price } = product;
  return { productId, name, ...(description === undefined ? {} : { description }), price: { amount: price.amount, currency: price.currency } };
}

function itemKey(item: Item): Key {
  return { PK: String(item['PK']), SK: String(item['SK']) };
}

function parseProduct(item: Item, key: Key): ProductDetails {
  const parsed = ProductItemSchema.safeParse(item);
  if (!parsed.success) throw new CatalogRecordInvalidError(key, parsed.error.issues.map((i) => i.message).join('; '));
  const { productId, name, description, price } = parsed.data;
  return { productId, name, ...(description === undefined ? {} : { description }), price };
}

function parseStock(item: Item, key: Key): number {
  const parsed = StockItemSchema.safeParse(item);
  if (!parsed.success) throw new CatalogRecordInvalidError(key, parsed.error.issues.map((i) => i.message).join('; '));
  return parsed.data.available;
}

function chunk<T>(values: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < values.length; i += size) chunks.push(values.slice(i, i + size));
  return chunks;
}
