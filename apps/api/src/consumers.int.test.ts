import { keys, type OrderPlacedDetail, orderEventId } from '@orderflow/contracts';
import { createTestTable, type TestTable } from '@orderflow/dynamodb-local/test-table';
import { buildEventEnvelope, buildPutEventsEntry } from '@orderflow/events';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as recordMetrics } from './handlers/record-metrics';
import { handler as sendConfirmation } from './handlers/send-confirmation';
import { resetWiring } from './wiring';

/** The event consumers through DynamoDB Local: idempotent on the event id. */

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

describe('send-confirmation', () => {
  it('writes the confirmation of an OrderPlaced event once, whatever the redeliveries', async () => {
    const event = placed('ord_confirm000000001');
    expect(await sendConfirmation(event)).toEqual({ orderId: 'ord_confirm000000001', delivered: true });
    const item = await confirmation('ord_confirm000000001');
    expect(item).toMatchObject({ customerId: 'cust-42', subject: 'Your order ord_confirm000000001 is confirmed' });
    expect(String(item?.['text'])).toContain('2 x Classic mug (12.99 USD)');
    expect(String(item?.['text'])).toContain('paid by apple pay');
    // The same event again: the stored result, no second run.
    expect(await sendConfirmation(event)).toEqual({ orderId: 'ord_confirm000000001', delivered: true });
    // Another event for the same order (a duplicate publish): the outbox refuses a second confirmation.
    expect(await sendConfirmation(placed('ord_confirm000000001'))).toEqual({ orderId: 'ord_confirm000000001', delivered: false });
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
    expect(await recordMetrics(event)).toEqual({ recorded: ['OrdersPlaced', 'OrderValue'] });
    const records = await table.documentClient.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.eventConsumerIdempotencyPartition('record-metrics') },
      }),
    );
    expect(records.Items).toHaveLength(2);
    expect(records.Items?.every((i) => typeof i['expiresAt'] === 'number')).toBe(true);
  });

  it('counts an event published twice (new envelope id, same stable event id) once', async () => {
    const orderId = 'ord_metrics000000003';
    const withId = (): ReturnType<typeof placed> => {
      const entry = buildPutEventsEntry(
        { detailType: 'OrderPlaced', detail: { ...detail(orderId), eventId: orderEventId(orderId, 'OrderPlaced') } },
        { eventBusName: 'orderflow' },
      );
      return buildEventEnvelope(entry);
    };
    const first = withId();
    const second = withId();
    expect(second.id).not.toBe(first.id);
    expect(await recordMetrics(first)).toEqual({ recorded: ['OrdersPlaced', 'OrderValue'] });
    const before = await table.documentClient.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.eventConsumerIdempotencyPartition('record-metrics') },
      }),
    );
    expect(await recordMetrics(second)).toEqual({ recorded: ['OrdersPlaced', 'OrderValue'] });
    const after = await table.documentClient.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.eventConsumerIdempotencyPartition('record-metrics') },
      }),
    );
    // The second publication found the first one's record: no new record, no second run.
    expect(after.Items).toHaveLength(before.Items?.length ?? -1);
  });
});
