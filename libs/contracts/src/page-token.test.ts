import { ValidationError } from './errors';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { decodePageToken, encodePageToken, queryAll, queryPage, type RunQuery } from './page-token';

const KeySchema = z.strictObject({ PK: z.string(), SK: z.literal('PRODUCT') });

describe('page tokens', () => {
  it('round-trips a key as URL-safe text', () => {
    const token = encodePageToken({ PK: 'PRODUCT#a/b+c', SK: 'PRODUCT' });
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodePageToken(token, KeySchema)).toEqual({ PK: 'PRODUCT#a/b+c', SK: 'PRODUCT' });
  });

  it.each([
    ['not base64url', 'abc$%'],
    ['not JSON', Buffer.from('{nope').toString('base64url')],
    ['JSON of another shape', encodePageToken({ PK: 'PRODUCT#a', SK: 'STOCK' })],
    ['an extra attribute', Buffer.from(JSON.stringify({ PK: 'x', SK: 'PRODUCT', extra: 1 })).toString('base64url')],
    ['too long', 'a'.repeat(3000)],
  ])('rejects a token that is %s with a ValidationError on nextToken', (_what, token) => {
    let caught: unknown;
    try {
      decodePageToken(token, KeySchema);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    expect((caught as ValidationError).details?.[0]?.path).toBe('nextToken');
  });
});

describe('queryPage and queryAll', () => {
  const rows = Array.from({ length: 7 }, (_, i) => ({ PK: `P#${i}`, SK: 'S' }));
  const KeySchema = z.object({ PK: z.string(), SK: z.string() });
  /** A table that answers like DynamoDB: after the start key, Limit items at most, and it stops every `cut` items (its 1 MB). */
  const table = (cut = Infinity) => {
    const calls: Array<{ limit?: number; start?: string }> = [];
    const query: RunQuery<(typeof rows)[number]> = async ({ limit, exclusiveStartKey }) => {
      calls.push({ ...(limit !== undefined ? { limit } : {}), ...(exclusiveStartKey ? { start: String(exclusiveStartKey['PK']) } : {}) });
      const from = exclusiveStartKey ? rows.findIndex((r) => r.PK === exclusiveStartKey['PK']) + 1 : 0;
      const take = Math.min(limit ?? Infinity, cut);
      const items = rows.slice(from, from + take);
      const stopped = from + take < rows.length && take === cut;
      return { items, lastEvaluatedKey: stopped ? (items.at(-1) as Record<string, unknown>) : undefined };
    };
    return { query, calls };
  };

  it('pages with one item more than asked, so the last page has no token', async () => {
    const { query, calls } = table();
    const first = await queryPage({ limit: 3, keySchema: KeySchema, keyOf: (r) => r, query });
    expect(first.items.map((r) => r.PK)).toEqual(['P#0', 'P#1', 'P#2']);
    const second = await queryPage({ limit: 3, nextToken: first.nextToken ?? '', keySchema: KeySchema, keyOf: (r) => r, query });
    expect(second.items.map((r) => r.PK)).toEqual(['P#3', 'P#4', 'P#5']);
    const last = await queryPage({ limit: 3, nextToken: second.nextToken ?? '', keySchema: KeySchema, keyOf: (r) => r, query });
    expect(last).toEqual({ items: [rows[6]], nextToken: null });
    expect(calls.map((c) => c.limit)).toEqual([4, 4, 4]);
  });

  it('continues where DynamoDB stopped when its size limit cut a page short, and refuses a token of another list', async () => {
    const { query } = table(2);
    const cut = await queryPage({ limit: 5, keySchema: KeySchema, keyOf: (r) => r, query });
    expect(cut.items).toHaveLength(2);
    expect(decodePageToken(cut.nextToken ?? '', KeySchema)).toEqual(rows[1]);
    await expect(queryPage({ limit: 5, nextToken: encodePageToken({ other: 'x' }), keySchema: KeySchema, keyOf: (r) => r, query })).rejects.toBeInstanceOf(ValidationError);
  });

  it('reads every page, or stops once it has enough', async () => {
    const { query, calls } = table(3);
    expect((await queryAll(query)).map((r) => r.PK)).toEqual(rows.map((r) => r.PK));
    expect(calls.map((c) => c.start)).toEqual([undefined, 'P#2', 'P#5']);
    expect(await queryAll(table(3).query, 4)).toHaveLength(4);
  });
});
