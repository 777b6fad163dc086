import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '@orderflow/contracts';
import { createTestTable, type TestTable } from '@orderflow/dynamodb-local/test-table';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbProcessedEventLog } from './dynamodb-processed-event-log';

let table: TestTable;

beforeAll(async () => {
  table = await createTestTable('processed-events');
});

afterAll(async () => {
  await table?.drop();
});

const item = async (consumer: string, eventId: string) =>
  (await table.documentClient.send(new GetCommand({ TableName: table.tableName, Key: keys.processedEvent(consumer, eventId), ConsistentRead: true }))).Item;

describe('DynamoDbProcessedEventLog', () => {
  it('claims an event id once per consumer, with the TTL attribute set', async () => {
    const now = Date.parse('2026-01-01T00:00:00.000Z');
    const log = new DynamoDbProcessedEventLog(table.documentClient, table.tableName, 3600, () => now);
    expect(await log.claim('record-metrics', 'ord_1#OrderPlaced')).toBe(true);
    expect(await log.claim('record-metrics', 'ord_1#OrderPlaced')).toBe(false);
    expect(await log.claim('other-consumer', 'ord_1#OrderPlaced')).toBe(true);
    expect(await item('record-metrics', 'ord_1#OrderPlaced')).toEqual({
      ...keys.processedEvent('record-metrics', 'ord_1#OrderPlaced'),
      eventId: 'ord_1#OrderPlaced',
      processedAt: '2026-01-01T00:00:00.000Z',
      expiresAt: now / 1000 + 3600,
    });
  });

  it('lets exactly one of concurrent claims of the same id win', async () => {
    const log = new DynamoDbProcessedEventLog(table.documentClient, table.tableName, 3600);
    const claims = await Promise.all(Array.from({ length: 8 }, () => log.claim('record-metrics', 'concurrent')));
    expect(claims.filter(Boolean)).toHaveLength(1);
  });

  it('forgets a released claim, and treats an expired one (TTL not yet applied) as absent', async () => {
    let now = Date.parse('2026-01-01T00:00:00.000Z');
    const log = new DynamoDbProcessedEventLog(table.documentClient, table.tableName, 60, () => now);
    expect(await log.claim('record-metrics', 'released')).toBe(true);
    await log.release('record-metrics', 'released');
    expect(await item('record-metrics', 'released')).toBeUndefined();
    expect(await log.claim('record-metrics', 'released')).toBe(true);

    expect(await log.claim('record-metrics', 'expiring')).toBe(true);
    now += 59_000;
    expect(await log.claim('record-metrics', 'expiring')).toBe(false);
    now += 1_000;
    expect(await log.claim('record-metrics', 'expiring')).toBe(true);
    expect((await item('record-metrics', 'expiring'))?.['expiresAt']).toBe(now / 1000 + 60);
  });
});
