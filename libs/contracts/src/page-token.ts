import { ValidationError } from './errors';
import type { z } from 'zod';

/**
 * `nextToken` is opaque to clients: base64url of the DynamoDB key the next page starts
 * after. A token that does not decode to a key of this list is a ValidationError (400),
 * never a DynamoDB error (500).
 */
export function encodePageToken(key: Record<string, string>): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

export function decodePageToken<T>(token: string, keySchema: z.ZodType<T>): T {
  const invalid = () =>
    new ValidationError('The nextToken is not valid.', [
      { path: 'nextToken', message: 'must be a nextToken returned by the previous page of this list' },
    ]);
  if (!/^[A-Za-z0-9_-]{1,2048}$/.test(token)) throw invalid();
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const parsed = keySchema.safeParse(decoded);
  if (!parsed.success) throw invalid();
  return parsed.data;
}

/** One call of a query: DynamoDB's items and where it stopped (1 MB or Limit). */
export interface QueryCall<Item> {
  items: Item[];
  lastEvaluatedKey?: Record<string, unknown> | undefined;
}

export type RunQuery<Item> = (request: { limit?: number; exclusiveStartKey?: Record<string, unknown> }) => Promise<QueryCall<Item>>;

/**
 * A page of a list for clients: asks one item more than `limit`, so the last page has no token
 * (never a token leading to an empty page); the token is the key of the page's last item
 * (`keyOf`: its table and index keys), or where DynamoDB stopped when its 1 MB limit cut the
 * query short. The I/O is the caller's (`query`): this is only the paging.
 */
export async function queryPage<Item, Key>(options: {
  limit: number;
  nextToken?: string | undefined;
  keySchema: z.ZodType<Key>;
  keyOf: (item: Item) => Record<string, string>;
  query: RunQuery<Item>;
}): Promise<{ items: Item[]; nextToken: string | null }> {
  const startKey = options.nextToken === undefined ? undefined : decodePageToken(options.nextToken, options.keySchema);
  const result = await options.query({ limit: options.limit + 1, ...(startKey ? { exclusiveStartKey: startKey as Record<string, unknown> } : {}) });
  const items = result.items.slice(0, options.limit);
  const last = items.at(-1);
  let nextToken: string | null = null;
  if (result.items.length > options.limit && last !== undefined) nextToken = encodePageToken(options.keyOf(last));
  else if (result.lastEvaluatedKey) nextToken = encodePageToken(result.lastEvaluatedKey as Record<string, string>);
  return { items, nextToken };
}

/**
 * Every item of a query, page after page (DynamoDB stops at 1 MB), stopping early once `max`
 * items are in hand.
 */
export async function queryAll<Item>(query: RunQuery<Item>, max = Infinity): Promise<Item[]> {
  const all: Item[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const result = await query(startKey ? { exclusiveStartKey: startKey } : {});
    for (const item of result.items) {
      all.push(item);
      if (all.length >= max) return all;
    }
    startKey = result.lastEvaluatedKey;
  } while (startKey);
  return all;
}
