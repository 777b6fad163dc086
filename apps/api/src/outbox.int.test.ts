import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { EVENT_SOURCE, keys, type OrderPlacedDetail, orderEventId, OUTBOX_STATUS } from '@orderflow/contracts';
import { createTestTable, type TestTable } from '@orderflow/dynamodb-local/test-table';
import { RecordingEventPublisher } from '@orderflow/events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbEventOutbox } from './adapters/dynamodb-event-outbox';
import { redriveOutbox } from './use-cases/redrive-outbox';

/** The outbox adapter and the redrive through DynamoDB Local (items as the workflow writes them). */

let table: TestTable;
let outbox: DynamoDbEventOutbox;

beforeAll(async () => {
  table = await createTestTable('outbox');
  outbox = new DynamoDbEventOutbox(table.documentClient, table.tableName);
});
afterAll(() => table?.drop());

const detail = (orderId: string): OrderPlacedDetail => ({
  eventId: orderEventId(orderId, 'OrderPlaced'),
  orderId,
  customerId: 'cust-1',
  total: { amount: 900, currency: 'USD' },
  items: [{ productId: 'socks', name: 'Socks', quantity: 1, unitPrice: { amount: 900, currency: 'USD' } }],
  payment: { method: 'card', provider: 'stripe', reference: 'pi_1' },
  placedAt: '2025-01-01T00:00:00.000Z',
});

/** An outbox item exactly as the checkout's RecordUnpublishedEvent state writes it. */
async function putOutboxItem(orderId: string, createdAt: string, detailText = JSON.stringify(detail(orderId))) {
  await table.documentClient.send(
    new PutCommand({
      TableName: table.tableName,
      Item: {
        ...keys.outbox(orderId, 'OrderPlaced'),
        ...keys.outboxPending(createdAt, orderId, 'OrderPlaced'),
        status: OUTBOX_STATUS.pending,
        attempts: 0,
        eventId: orderEventId(orderId, 'OrderPlaced'),
        eventBusName: 'orderflow',
        source: EVENT_SOURCE,
        detailType: 'OrderPlaced',
        detail: detailText,
        createdAt,
      },
    }),
  );
}
const item = async (orderId: string) =>
  (await table.documentClient.send(new GetCommand({ TableName: table.tableName, Key: keys.outbox(orderId, 'OrderPlaced'), ConsistentRead: true }))).Item;

describe('the outbox on DynamoDB Local', () => {
  it('lists pending events oldest first from GSI1, and forgets them once published', async () => {
    await putOutboxItem('ord_outbox00000002', '2025-01-01T00:00:02.000Z');
    await putOutboxItem('ord_outbox00000001', '2025-01-01T00:00:01.000Z');
    expect((await outbox.pending(10)).map((e) => e.eventId)).toEqual([
      orderEventId('ord_outbox00000001', 'OrderPlaced'),
      orderEventId('ord_outbox00000002', 'OrderPlaced'),
    ]);
    const publisher = new RecordingEventPublisher();
    const result = await redriveOutbox(outbox, publisher);
    expect(result.published).toHaveLength(2);
    expect(publisher.published.map((e) => e.detail.orderId)).toEqual(['ord_outbox00000001', 'ord_outbox00000002']);
    expect(await outbox.pending(10)).toEqual([]);
    const published = await item('ord_outbox00000001');
    expect(published).toMatchObject({ status: 'PUBLISHED', attempts: 1, publishedAt: expect.any(String), expiresAt: expect.any(Number) });
    expect(published).not.toHaveProperty('GSI1PK');
    expect(published).not.toHaveProperty('leaseUntil');
    expect((await redriveOutbox(outbox, publisher)).published).toEqual([]);
    expect(publisher.published).toHaveLength(2);
  });

  it('two redrives at once publish each event once', async () => {
    const ids = Array.from({ length: 6 }, (_, i) => `ord_outboxrace0000${i}`);
    for (const [i, id] of ids.entries()) await putOutboxItem(id, `2025-01-02T00:00:0${i}.000Z`);
    const a = new RecordingEventPublisher();
    const b = new RecordingEventPublisher();
    const results = await Promise.all([redriveOutbox(outbox, a), redriveOutbox(outbox, b)]);
    const published = [...a.published, ...b.published].map((e) => e.detail.orderId).sort();
    expect(published).toEqual(ids);
    expect(results.flatMap((r) => r.failed)).toEqual([]);
  });

  it('a claim holds an event until its lease ends', async () => {
    await putOutboxItem('ord_outboxlease0001', '2025-01-03T00:00:00.000Z');
    const [entry] = await outbox.pending(1);
    if (!entry) throw new Error('no pending entry');
    const now = new Date();
    expect(await outbox.claim(entry, now, new Date(now.getTime() + 60_000))).toBe(true);
    expect(await outbox.claim(entry, new Date(now.getTime() + 1_000), new Date(now.getTime() + 61_000))).toBe(false);
    // The run that claimed it died: after the lease, another run takes it.
    expect(await outbox.claim(entry, new Date(now.getTime() + 61_000), new Date(now.getTime() + 121_000))).toBe(true);
    expect(await item('ord_outboxlease0001')).toMatchObject({ attempts: 2, status: 'PENDING' });
    await outbox.markPublished(entry, new Date());
  });

  it('sets aside an invalid event with the reason, out of the pending index', async () => {
    await putOutboxItem('ord_outboxbroken001', '2025-01-04T00:00:00.000Z', '{"orderId":"ord_outboxbroken001"}');
    const result = await redriveOutbox(outbox, new RecordingEventPublisher());
    expect(result.failed).toEqual([expect.objectContaining({ final: true, eventId: orderEventId('ord_outboxbroken001', 'OrderPlaced') })]);
    expect(await item('ord_outboxbroken001')).toMatchObject({ status: 'FAILED', lastError: expect.stringContaining('invalid OrderPlaced detail') });
    expect(await outbox.pending(10)).toEqual([]);
  });
});
