import { keys, type OrderPlacedDetail, orderEventId } from '@orderflow/contracts';
import { createTestTable, type TestTable } from '@orderflow/dynamodb-local/test-table';
import { buildEventEnvelope, buildPutEventsEntry } from '@orderflow/events';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventConsumer } from './consumer';
import { handler as recordMetrics } from './handlers/record-metrics';
import { handler as sendConfirmation } from './handlers/send-confirmation';
import { resetWiring } from './wiring';

/** The event consumers through DynamoDB Local: a redelivered event does not act twice. */

let table: TestTable;

beforeAll(async () => {
  table = await createTestTable('consumers');
  Object.assign(process.env, {
    TABLE_NAME: table.tableName,
    AWS_ENDPOINT_URL_DYNAMODB: table.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    POWERTOOLS_METRICS_DISABLED: 'true',
  });
  resetWiring();
});

afterAll(async () => {
  resetWiring();
  await table?.drop();
});

const detail = (orderId: string): OrderPlacedDetail => ({
  orderId,
  customerId: 'cust-42',
  total: { amount: 2598, currency: 'USD' },
  items: [{ productId: 'mug-classic', name: 'Classic mug', quantity: 2, unitPrice: { amount: 1299, currency: 'USD' } }],
  payment: { method: 'apple_pay', provider: 'stripe', reference: 'pi_1' },
  placedAt: '2025-01-01T10:00:00.000Z',
});
const placed = (orderId: string) =>
  buildEventEnvelope(buildPutEventsEntry({ detailType: 'OrderPlaced', detail: detail(orderId) }, { eventBusName: 'orderflow' }));
const rejected = (orderId: string) =>
  buildEventEnvelope(
    buildPutEventsEntry(
      { detailType: 'OrderRejected', detail: { orderId, customerId: 'cust-42', reason: { code: 'OUT_OF_STOCK', message: 'no' }, rejectedAt: '2025-01-01T10:00:00.000Z' } },
      { eventBusName: 'orderflow' },
    ),
  );

const confirmation = async (orderId: string) =>
  (await table.documentClient.send(new GetCommand({ TableName: table.tableName, Key: keys.orderConfirmation(orderId) }))).Item;

const processedEvents = async (consumer: string) =>
  (
    await table.documentClient.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.eventConsumerIdempotencyPartition(consumer) },
        ConsistentRead: true,
      }),
    )
  ).Items ?? [];

/** An OrderPlaced with the stable event id, as the checkout publishes it: each call a new envelope id. */
const placedWithEventId = (orderId: string) =>
  buildEventEnvelope(
    buildPutEventsEntry({ detailType: 'OrderPlaced', detail: { ...detail(orderId), eventId: orderEventId(orderId, 'OrderPlaced') } }, { eventBusName: 'orderflow' }),
  );

describe('send-confirmation', () => {
  it('writes the confirmation of an OrderPlaced event once, whatever the redeliveries, with no record of its own', async () => {
    const event = placed('ord_confirm000000001');
    expect(await sendConfirmation(event)).toEqual({ orderId: 'ord_confirm000000001', delivered: true });
    const item = await confirmation('ord_confirm000000001');
    expect(item).toMatchObject({ customerId: 'cust-42', subject: 'Your order ord_confirm000000001 is confirmed' });
    expect(String(item?.['text'])).toContain('2 x Classic mug (12.99 USD)');
    expect(String(item?.['text'])).toContain('paid by apple pay');
    // The same event again, or another publication for the same order: the confirmation's
    // conditional put refuses a second one.
    expect(await sendConfirmation(event)).toEqual({ orderId: 'ord_confirm000000001', delivered: false });
    expect(await sendConfirmation(placed('ord_confirm000000001'))).toEqual({ orderId: 'ord_confirm000000001', delivered: false });
    expect((await confirmation('ord_confirm000000001'))?.['createdAt']).toBe(item?.['createdAt']);
    // Idempotent by its work: no processed-event records.
    expect(await processedEvents('send-confirmation')).toEqual([]);
  });

  it('refuses an event that is not a valid order event', async () => {
    const bad = { ...placed('ord_confirm000000002'), detail: { orderId: 'x' } };
    await expect(sendConfirmation(bad)).rejects.toThrow(/not valid/);
    await expect(sendConfirmation({ ...placed('ord_confirm000000003'), source: 'someone.else' })).rejects.toThrow(/source/);
    expect(await confirmation('ord_confirm000000002')).toBeUndefined();
  });
});

describe('record-metrics', () => {
  it('records placed and rejected orders once per event', async () => {
    const event = placed('ord_metrics000000001');
    expect(await recordMetrics(event)).toEqual({ recorded: ['OrdersPlaced', 'OrderValue'] });
    expect(await recordMetrics(rejected('ord_metrics000000002'))).toEqual({ recorded: ['OrdersRejected'] });
    expect(await recordMetrics(event)).toEqual({ duplicate: true, eventId: event.id });
    const records = await processedEvents('record-metrics');
    expect(records).toHaveLength(2);
    expect(records.map((r) => r['SK'])).toContain(keys.processedEvent('record-metrics', event.id).SK);
    expect(records.every((r) => typeof r['expiresAt'] === 'number' && r['expiresAt'] > Date.now() / 1000)).toBe(true);
  });

  it('counts an event published twice (new envelope id, same stable event id) once', async () => {
    const orderId = 'ord_metrics000000003';
    const first = placedWithEventId(orderId);
    const second = placedWithEventId(orderId);
    expect(second.id).not.toBe(first.id);
    expect(await recordMetrics(first)).toEqual({ recorded: ['OrdersPlaced', 'OrderValue'] });
    expect(await recordMetrics(second)).toEqual({ duplicate: true, eventId: orderEventId(orderId, 'OrderPlaced') });
    const records = (await processedEvents('record-metrics')).filter((r) => r['eventId'] === orderEventId(orderId, 'OrderPlaced'));
    expect(records).toHaveLength(1);
  });
});

describe('a consumer deduplicating on the event id', () => {
  it('runs its work once when the same event is delivered several times at once', async () => {
    const delivered: string[] = [];
    const consume = eventConsumer('record-metrics', 'event-id', async (event) => {
      delivered.push(event.detail.orderId);
      return { counted: true };
    });
    const event = placedWithEventId('ord_duplicates00001');
    const results = await Promise.all([consume(event), consume(placedWithEventId('ord_duplicates00001')), consume(event)]);
    expect(delivered).toEqual(['ord_duplicates00001']);
    expect(results.filter((r) => 'counted' in r)).toHaveLength(1);
    expect(results.filter((r) => 'duplicate' in r)).toHaveLength(2);
  });

  it('releases the claim when its work fails, so the retry of the event runs it', async () => {
    let attempts = 0;
    const consume = eventConsumer('record-metrics', 'event-id', async () => {
      attempts += 1;
      if (attempts === 1) throw new Error('metrics sink unavailable');
      return { counted: attempts };
    });
    const event = placedWithEventId('ord_failure00000001');
    const eventId = orderEventId('ord_failure00000001', 'OrderPlaced');
    await expect(consume(event)).rejects.toThrow('metrics sink unavailable');
    expect((await processedEvents('record-metrics')).some((r) => r['eventId'] === eventId)).toBe(false);
    // Lambda's retry of the asynchronous invocation: runs, then the event counts as processed.
    expect(await consume(event)).toEqual({ counted: 2 });
    expect(await consume(event)).toEqual({ duplicate: true, eventId });
    expect(attempts).toBe(2);
  });

  it('writes no claim for an event it refuses as invalid', async () => {
    const consume = eventConsumer('record-metrics', 'event-id', async () => ({ counted: true }));
    const before = (await processedEvents('record-metrics')).length;
    await expect(consume({ ...placed('ord_invalid00000001'), detail: { orderId: 'x' } })).rejects.toThrow(/not valid/);
    expect(await processedEvents('record-metrics')).toHaveLength(before);
  });
});
