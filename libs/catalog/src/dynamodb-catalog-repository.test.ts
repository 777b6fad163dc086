import {
  BatchGetCommand,
  type BatchGetCommandInput,
  BatchWriteCommand,
  type BatchWriteCommandInput,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { keys } from '@orderflow/contracts';
import { describe, expect, it } from 'vitest';
import { DynamoDbCatalogRepository } from './dynamodb-catalog-repository';
import { BatchRetriesExhaustedError } from './errors';
import { fullJitterDelay } from '@orderflow/contracts';
import { DEFAULT_BATCH_RETRY } from './retry';

const TABLE = 'catalog-unit';

/**
 * A stand-in for DynamoDB that answers batches like a throttled table: it processes at most
 * `perCall` requests of each call and hands the rest back as unprocessed.
 */
class ThrottledDocumentClient {
  readonly calls: { kind: 'get' | 'write'; size: number }[] = [];
  readonly stored = new Map<string, Record<string, unknown>>();

  constructor(private readonly perCall: number) {}

  async send(command: unknown): Promise<unknown> {
    if (command instanceof BatchGetCommand) {
      const input = command.input as BatchGetCommandInput;
      const requested = input.RequestItems?.[TABLE]?.Keys ?? [];
      if (requested.length > 100) throw new Error('BatchGetItem takes at most 100 keys');
      this.calls.push({ kind: 'get', size: requested.length });
      const done = requested.slice(0, this.perCall);
      const rest = requested.slice(this.perCall);
      const responses = done.flatMap((k) => {
        const item = this.stored.get(`${String(k['PK'])}|${String(k['SK'])}`);
        return item ? [item] : [];
      });
      return { Responses: { [TABLE]: responses }, UnprocessedKeys: rest.length ? { [TABLE]: { Keys: rest } } : {} };
    }
    if (command instanceof BatchWriteCommand) {
      const input = command.input as BatchWriteCommandInput;
      const requests = input.RequestItems?.[TABLE] ?? [];
      if (requests.length > 25) throw new Error('BatchWriteItem takes at most 25 requests');
      this.calls.push({ kind: 'write', size: requests.length });
      for (const r of requests.slice(0, this.perCall)) {
        const item = r.PutRequest?.Item ?? {};
        this.stored.set(`${String(item['PK'])}|${String(item['SK'])}`, item);
      }
      const rest = requests.slice(this.perCall);
      return { UnprocessedItems: rest.length ? { [TABLE]: rest } : {} };
    }
    throw new Error(`unexpected command ${String(command)}`);
  }
}

function repository(client: ThrottledDocumentClient, maxAttempts = 50) {
  const delays: number[] = [];
  const repo = new DynamoDbCatalogRepository(
    // The adapter only calls send(); this fake implements exactly that.
    client as unknown as DynamoDBDocumentClient,
    TABLE,
    { retry: { maxAttempts }, sleep: async (ms) => void delays.push(ms) },
  );
  return { repo, delays };
}

const product = (id: string) => ({ productId: id, name: `P ${id}`, price: { amount: 100, currency: 'USD' } });

describe('DynamoDbCatalogRepository batches', () => {
  it('retries UnprocessedItems until every put is written, with backoff between tries', async () => {
    const client = new ThrottledDocumentClient(7);
    const { repo, delays } = repository(client);
    const progress: [number, number][] = [];
    const writes = Array.from({ length: 30 }, (_, i) => ({ productId: `p${i}`, product: product(`p${i}`), available: i }));

    await repo.writeEntries(writes, (written, total) => progress.push([written, total]));

    expect(client.stored.size).toBe(60);
    expect(client.stored.get(`${keys.stock('p29').PK}|STOCK`)).toMatchObject({ available: 29 });
    expect(client.calls.every((c) => c.size <= 25)).toBe(true);
    expect(delays.length).toBeGreaterThan(0);
    expect(progress.at(0)).toEqual([0, 60]);
    expect(progress.at(-1)).toEqual([60, 60]);
  });

  it('retries UnprocessedKeys and chunks reads at 100 keys', async () => {
    const client = new ThrottledDocumentClient(1000);
    const { repo: writer } = repository(client);
    const ids = Array.from({ length: 120 }, (_, i) => `p${i}`);
    await writer.writeEntries(ids.map((id) => ({ productId: id, product: product(id), available: 5 })));

    const throttled = new ThrottledDocumentClient(30);
    for (const [k, v] of client.stored) throttled.stored.set(k, v);
    const { repo, delays } = repository(throttled);

    const entries = await repo.getEntries(ids);

    expect(entries.size).toBe(120);
    expect([...entries.values()].every((e) => e.product?.name.startsWith('P ') && e.available === 5)).toBe(true);
    // 240 keys: chunks of 100, 100 and 40, each handed back with 30 fewer keys per call.
    expect(throttled.calls.map((c) => c.size).sort((a, b) => a - b)).toEqual([10, 10, 10, 40, 40, 40, 70, 70, 100, 100]);
    expect(delays.length).toBe(throttled.calls.length - 3);
  });

  it('gives up with BatchRetriesExhaustedError when DynamoDB keeps leaving work unprocessed', async () => {
    const client = new ThrottledDocumentClient(0);
    const { repo, delays } = repository(client, 4);
    const error = await repo.getEntries(['a', 'b']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BatchRetriesExhaustedError);
    expect((error as BatchRetriesExhaustedError).message).toBe('BatchGetItem left 4 request(s) unprocessed after 4 attempts.');
    expect(client.calls).toHaveLength(4);
    expect(delays).toHaveLength(3);
    // Clients never see the internals.
    expect((error as BatchRetriesExhaustedError).toBody()).toEqual({
      error: { code: 'INTERNAL', message: 'Something went wrong on our side.' },
    });
  });

  it('backs off exponentially with full jitter, capped', () => {
    const policy = { ...DEFAULT_BATCH_RETRY, baseDelayMs: 10, maxDelayMs: 100 };
    expect(fullJitterDelay(1, policy, () => 0.999)).toBe(19);
    expect(fullJitterDelay(3, policy, () => 0.999)).toBe(79);
    expect(fullJitterDelay(10, policy, () => 0.999)).toBe(99);
    expect(fullJitterDelay(3, policy, () => 0)).toBe(0);
    const spread = new Set(Array.from({ length: 50 }, () => fullJitterDelay(4, policy)));
    expect(spread.size).toBeGreaterThan(5);
  });
});
