import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { keys, type Order, orderEventId, OrderPlacedDetailSchema, OrderRejectedDetailSchema, OrderSchema } from '@orderflow/contracts';
import { DynamoDbCatalogRepository, putProducts } from '@orderflow/catalog';
import { DynamoDbInventoryRepository, listReservations } from '@orderflow/inventory';
import { DynamoDbOrderRepository, getOrder } from '@orderflow/orders';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CheckoutHarness, startCheckoutHarness } from './test/checkout-harness';
import type { CompensationSweepResult } from './use-cases/complete-compensations';
import type { RedriveResult } from './use-cases/redrive-outbox';

/**
 * The checkout workflow as synthesized by CDK, run on the project's ASL runtime with the
 * real handlers in-process, DynamoDB Local and the payment sandboxes.
 */

let h: CheckoutHarness;

const PRODUCTS = [
  { productId: 'mug-classic', name: 'Classic mug', price: { amount: 1299, currency: 'USD' }, stock: 1000 },
  { productId: 'tee-black', name: 'Black tee', price: { amount: 2500, currency: 'USD' }, stock: 1000 },
  { productId: 'cap-navy', name: 'Navy cap', price: { amount: 1800, currency: 'USD' }, stock: 1000 },
  { productId: 'poster-rare', name: 'Rare poster', price: { amount: 4000, currency: 'USD' }, stock: 1 },
  { productId: 'socks-wool', name: 'Wool socks', price: { amount: 900, currency: 'USD' }, stock: 1000 },
];
const IDS = PRODUCTS.map((p) => p.productId);

let customerSeq = 0;
const customer = () => `cust-${process.pid}-${++customerSeq}`;
const card = (paymentMethodId = 'pm_card_visa') => ({ method: 'card', paymentMethodId });
const order = (items: { productId: string; quantity: number }[], payment: unknown = card(), customerId = customer()) => ({
  customerId,
  items,
  payment,
});

beforeAll(async () => {
  h = await startCheckoutHarness();
  await h.seed(PRODUCTS);
}, 180_000);

afterAll(async () => {
  await h?.close();
});

const ordersRepo = () => new DynamoDbOrderRepository(h.table.documentClient, h.table.tableName);
const inventoryRepo = () => new DynamoDbInventoryRepository(h.table.documentClient, h.table.tableName);
const intentsFor = (orderId: string) =>
  h.sandboxes.stripe.paymentIntents().filter((pi) => JSON.stringify(pi.metadata ?? {}).includes(orderId));
const eventsFor = (orderId: string) => h.events.filter((e) => (e.detail as { orderId?: string }).orderId === orderId);
const lastRejection = () => [...h.events].reverse().find((e) => e['detail-type'] === 'OrderRejected');
/** What the consumers answered a redelivered OrderPlaced, by consumer file. */
const actedAgain = (delivered: { consumer: string; result: unknown }[]) =>
  Object.fromEntries(delivered.map((d) => [d.consumer.replace(/^.*\//, ''), d.result]));
/** A redelivery acts on nothing: no second confirmation, no second count. */
const NOT_AGAIN = (orderId: string) => ({
  'send-confirmation.ts': { orderId, delivered: false },
  'record-metrics.ts': { duplicate: true, eventId: orderEventId(orderId, 'OrderPlaced') },
});

describe('a placed order', () => {
  it.each([
    ['card', card()],
    ['Apple Pay', { method: 'apple_pay', paymentMethodId: 'pm_card_mastercard' }],
  ])('with %s: 201, stock taken, money captured, OrderPlaced published', async (_name, payment) => {
    const before = await h.stock(['mug-classic', 'tee-black']);
    const { response, body, execution } = await h.checkout(
      order(
        [
          { productId: 'mug-classic', quantity: 2 },
          { productId: 'tee-black', quantity: 1 },
        ],
        payment,
      ),
    );
    expect(execution.status).toBe('SUCCEEDED');
    expect(response.statusCode).toBe(201);
    const placed = OrderSchema.parse(body);
    expect(response.headers['Location']).toBe(`/orders/${placed.orderId}`);
    expect(placed).toMatchObject({
      status: 'CONFIRMED',
      total: { amount: 2 * 1299 + 2500, currency: 'USD' },
      payment: { method: (payment as { method: string }).method, status: 'CAPTURED' },
    });
    expect(placed.items.map((i) => [i.productId, i.quantity, i.lineTotal.amount])).toEqual([
      ['mug-classic', 2, 2598],
      ['tee-black', 1, 2500],
    ]);
    expect(await h.stock(['mug-classic', 'tee-black'])).toEqual({
      'mug-classic': (before['mug-classic'] ?? 0) - 2,
      'tee-black': (before['tee-black'] ?? 0) - 1,
    });
    expect(await getOrder(ordersRepo(), placed.orderId)).toEqual(placed);
    const [intent, ...others] = intentsFor(placed.orderId);
    expect(others).toHaveLength(0);
    expect(intent).toMatchObject({ status: 'succeeded', amountReceived: 5098 });
    const [event] = eventsFor(placed.orderId);
    expect(event?.['detail-type']).toBe('OrderPlaced');
    expect(OrderPlacedDetailSchema.parse(event?.detail)).toMatchObject({ orderId: placed.orderId, payment: { provider: 'stripe' } });
  });

  it('with PayPal: the buyer approves an order created for the cart total, then checkout captures it', async () => {
    const customerId = customer();
    const items = [{ productId: 'cap-navy', quantity: 3 }];
    const created = (await h.handler('create-paypal-order')(
      {
        httpMethod: 'POST',
        path: '/paypal/orders',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ customerId, items }),
        requestContext: { requestId: 'req-paypal-1' },
      },
      undefined,
    )) as { statusCode: number; body: string };
    expect(created.statusCode).toBe(201);
    const paypalOrder = JSON.parse(created.body) as { paypalOrderId: string; total: { amount: number }; approveUrl: string | null };
    expect(paypalOrder.total.amount).toBe(3 * 1800);
    h.sandboxes.paypal.approveOrder(paypalOrder.paypalOrderId);

    const before = await h.stock(['cap-navy']);
    const { response, body } = await h.checkout(order(items, { method: 'paypal', paypalOrderId: paypalOrder.paypalOrderId }, customerId));
    expect(response.statusCode).toBe(201);
    expect(body).toMatchObject({ payment: { method: 'paypal', status: 'CAPTURED' }, total: { amount: 5400 } });
    expect(await h.stock(['cap-navy'])).toEqual({ 'cap-navy': (before['cap-navy'] ?? 0) - 3 });
    const record = h.sandboxes.paypal.order(paypalOrder.paypalOrderId);
    expect(record?.status).toBe('COMPLETED');
    expect(record?.authorizations[0]?.capturedMinor).toBe(5400);
  });

  it('delivers OrderPlaced to both consumers, once per event', async () => {
    const { body } = await h.checkout(order([{ productId: 'socks-wool', quantity: 1 }]));
    const events = eventsFor(String(body['orderId']));
    const delivered = await h.deliver(events);
    expect(delivered.map((d) => d.consumer).sort()).toEqual([
      'apps/api/src/handlers/record-metrics.ts',
      'apps/api/src/handlers/send-confirmation.ts',
    ]);
    expect(delivered.find((d) => d.consumer.endsWith('send-confirmation.ts'))?.result).toEqual({ orderId: body['orderId'], delivered: true });
    // EventBridge delivers at least once: a redelivery sends and counts nothing again.
    const again = await h.deliver(events);
    expect(actedAgain(again)).toEqual(NOT_AGAIN(String(body['orderId'])));
  });
});

describe('a rejected order changes nothing', () => {
  it('unknown product -> 422 UNKNOWN_PRODUCT', async () => {
    const before = await h.stock(IDS);
    const { response, body } = await h.checkout(order([{ productId: 'mug-classic', quantity: 1 }, { productId: 'no-such-thing', quantity: 1 }]));
    expect(response.statusCode).toBe(422);
    expect(body.error?.code).toBe('UNKNOWN_PRODUCT');
    expect(body.error?.message).toContain('no-such-thing');
    expect(await h.stock(IDS)).toEqual(before);
    expect(OrderRejectedDetailSchema.parse(lastRejection()?.detail).reason.code).toBe('UNKNOWN_PRODUCT');
  });

  it('out of stock on line 3 of 4 -> 409 naming the product, lines 1-2 released', async () => {
    const before = await h.stock(IDS);
    const { response, body } = await h.checkout(
      order([
        { productId: 'mug-classic', quantity: 1 },
        { productId: 'tee-black', quantity: 2 },
        { productId: 'poster-rare', quantity: 5 },
        { productId: 'socks-wool', quantity: 1 },
      ]),
    );
    expect(response.statusCode).toBe(409);
    expect(body.error?.code).toBe('OUT_OF_STOCK');
    expect(JSON.stringify(body.error?.details)).toContain('poster-rare');
    expect(await h.stock(IDS)).toEqual(before);
    const rejected = OrderRejectedDetailSchema.parse(lastRejection()?.detail);
    const reservations = await listReservations(inventoryRepo(), rejected.orderId);
    // Lines 1, 2 (and 4, reserved concurrently) were reserved, then every one released.
    expect(reservations.map((r) => r.productId).sort()).toEqual(expect.arrayContaining(['mug-classic', 'tee-black']));
    expect(reservations.every((r) => r.status === 'RELEASED')).toBe(true);
    expect(intentsFor(rejected.orderId)).toHaveLength(0);
  });

  it('declined card -> 402 with the decline code, every reservation released', async () => {
    const before = await h.stock(IDS);
    const { response, body } = await h.checkout(
      order(
        [
          { productId: 'mug-classic', quantity: 1 },
          { productId: 'cap-navy', quantity: 1 },
        ],
        card('pm_card_chargeDeclinedInsufficientFunds'),
      ),
    );
    expect(response.statusCode).toBe(402);
    expect(body.error).toMatchObject({ code: 'PAYMENT_DECLINED', declineCode: 'insufficient_funds' });
    expect(await h.stock(IDS)).toEqual(before);
    const rejected = OrderRejectedDetailSchema.parse(lastRejection()?.detail);
    expect((await listReservations(inventoryRepo(), rejected.orderId)).every((r) => r.status === 'RELEASED')).toBe(true);
  });

  it('a failure to save after authorization -> payment voided, reservations released, 500', async () => {
    const before = await h.stock(IDS);
    const restore = h.override('save-order', async () => {
      throw Object.assign(new Error('simulated outage of the orders table'), { name: 'InternalServerError' });
    });
    try {
      const { response, body, execution } = await h.checkout(order([{ productId: 'tee-black', quantity: 1 }]));
      expect(response.statusCode).toBe(500);
      expect(body).toEqual({ error: { code: 'INTERNAL', message: expect.any(String) } });
      expect(JSON.stringify(body)).not.toContain('simulated');
      const rejected = OrderRejectedDetailSchema.parse(lastRejection()?.detail);
      const [intent] = intentsFor(rejected.orderId);
      expect(intent?.status).toBe('canceled');
      expect(intent?.amountReceived ?? 0).toBe(0);
      expect(await h.stock(IDS)).toEqual(before);
      await expect(getOrder(ordersRepo(), rejected.orderId)).rejects.toThrow(/No order/);
      const states = execution.history.filter((e) => e.type === 'TaskStateEntered').map((e) => e.stateEnteredEventDetails?.name);
      expect(states).toEqual(expect.arrayContaining(['SaveOrder', 'ReleaseReservations', 'VoidPayment', 'CancelOrder', 'PublishOrderRejected']));
    } finally {
      restore();
    }
  });

  it('a capture the provider keeps failing -> 503, order cancelled with its payment voided, key released', async () => {
    const before = await h.stock(IDS);
    h.sandboxes.stripe.faults.set({ errorRate: 1, errorStatus: 503, match: { method: 'POST', pathPrefix: '/v1/payment_intents/' }, times: 3 });
    const customerId = customer();
    const body = order([{ productId: 'mug-classic', quantity: 1 }], card(), customerId);
    try {
      const first = await h.checkout(body, { idempotencyKey: 'capture-outage' });
      expect(first.response.statusCode).toBe(503);
      expect(first.body.error?.code).toBe('PAYMENT_PROVIDER_UNAVAILABLE');
      const rejected = OrderRejectedDetailSchema.parse(lastRejection()?.detail);
      const cancelled = await getOrder(ordersRepo(), rejected.orderId);
      expect(cancelled).toMatchObject({ status: 'CANCELLED', payment: { status: 'VOIDED' } });
      expect(await h.stock(IDS)).toEqual(before);
    } finally {
      h.sandboxes.stripe.faults.clear();
    }
    // A 503 releases the key: the same request with the same key is tried afresh.
    const retry = await h.checkout(body, { idempotencyKey: 'capture-outage' });
    expect(retry.response.statusCode).toBe(201);
  });
});

describe('after the capture', () => {
  it('recording the capture fails -> refunded, order CANCELLED with payment REFUNDED, stock back, 500, key released', async () => {
    const before = await h.stock(IDS);
    const restore = h.override('record-capture', async () => {
      throw Object.assign(new Error('simulated outage of the orders table'), { name: 'InternalServerError' });
    });
    const request = order([
      { productId: 'mug-classic', quantity: 2 },
      { productId: 'cap-navy', quantity: 1 },
    ]);
    try {
      const { response, body, execution } = await h.checkout(request, { idempotencyKey: 'record-capture-fails' });
      expect(execution.status).toBe('SUCCEEDED');
      expect(response.statusCode).toBe(500);
      expect(body).toEqual({ error: { code: 'INTERNAL', message: expect.any(String) } });
      expect(JSON.stringify(body)).not.toContain('simulated');
      const rejected = OrderRejectedDetailSchema.parse(lastRejection()?.detail);
      expect(rejected.reason.code).toBe('INTERNAL');
      // The money was taken, then given back in full, once.
      const [intent, ...others] = intentsFor(rejected.orderId);
      expect(others).toHaveLength(0);
      expect(intent).toMatchObject({ status: 'succeeded', amountReceived: 2 * 1299 + 1800, amountRefunded: 2 * 1299 + 1800 });
      expect(intent?.refunds).toHaveLength(1);
      // The order tells what happened.
      expect(await getOrder(ordersRepo(), rejected.orderId)).toMatchObject({
        status: 'CANCELLED',
        payment: { method: 'card', status: 'REFUNDED' },
      });
      expect(await h.stock(IDS)).toEqual(before);
      expect((await listReservations(inventoryRepo(), rejected.orderId)).every((r) => r.status === 'RELEASED')).toBe(true);
      const entered = execution.history.filter((e) => e.type === 'TaskStateEntered').map((e) => e.stateEnteredEventDetails?.name);
      expect(entered).toEqual(expect.arrayContaining(['RecordCapture', 'ReleaseReservations', 'RefundPayment', 'CancelOrder']));
      expect(entered).not.toContain('VoidPayment');
      expect(eventsFor(rejected.orderId).map((e) => e['detail-type'])).toEqual(['OrderRejected']);
    } finally {
      restore();
    }
    // A 500 releases the key: the client's retry is a new attempt, and succeeds.
    const retry = await h.checkout(request, { idempotencyKey: 'record-capture-fails' });
    expect(retry.response.statusCode).toBe(201);
  });

  it('a capture that went through at the provider but never answered -> refunded, order CANCELLED/REFUNDED, stock back', async () => {
    const before = await h.stock(IDS);
    const capture = h.handler('capture-payment');
    let attempts = 0;
    // The provider captures on every attempt (the same idempotency key: once), the answer never arrives.
    const restore = h.override('capture-payment', async (event, context) => {
      attempts++;
      await capture(event, context);
      throw Object.assign(new Error('the provider did not answer in time'), { name: 'PaymentProviderUnavailableError' });
    });
    try {
      const { response, body, execution } = await h.checkout(order([{ productId: 'tee-black', quantity: 1 }]));
      expect(execution.status).toBe('SUCCEEDED');
      expect(attempts).toBe(3);
      expect(response.statusCode).toBeGreaterThanOrEqual(500);
      expect(JSON.stringify(body)).not.toContain('did not answer');
      const rejected = OrderRejectedDetailSchema.parse(lastRejection()?.detail);
      // Captured once, refunded in full: the customer is not charged for a cancelled order.
      const [intent, ...others] = intentsFor(rejected.orderId);
      expect(others).toHaveLength(0);
      expect(intent).toMatchObject({ status: 'succeeded', amountReceived: 2500, amountRefunded: 2500 });
      expect(await getOrder(ordersRepo(), rejected.orderId)).toMatchObject({ status: 'CANCELLED', payment: { status: 'REFUNDED' } });
      expect(await h.stock(IDS)).toEqual(before);
      const entered = execution.history.filter((e) => e.type === 'TaskStateEntered').map((e) => e.stateEnteredEventDetails?.name);
      expect(entered).toEqual(expect.arrayContaining(['CapturePayment', 'ReleaseReservations', 'VoidPayment', 'CancelOrder']));
    } finally {
      restore();
    }
  });

  it('an OrderPlaced that cannot be published goes to the outbox; the scheduled redrive publishes it once', async () => {
    h.failNextEvents(10);
    let orderId: string;
    try {
      const { response, body, execution } = await h.checkout(order([{ productId: 'socks-wool', quantity: 1 }]));
      expect(response.statusCode).toBe(201);
      orderId = String(body['orderId']);
      expect(eventsFor(orderId)).toHaveLength(0);
      const entered = execution.history.filter((e) => e.type === 'TaskStateEntered').map((e) => e.stateEnteredEventDetails?.name);
      expect(entered).toContain('RecordUnpublishedEvent');
    } finally {
      h.failNextEvents(0);
    }
    const outboxItem = async () =>
      (await h.table.documentClient.send(new GetCommand({ TableName: h.table.tableName, Key: keys.outbox(orderId, 'OrderPlaced'), ConsistentRead: true })))
        .Item;
    const pending = await outboxItem();
    expect(pending).toMatchObject({ status: 'PENDING', eventId: orderEventId(orderId, 'OrderPlaced'), GSI1PK: keys.outboxPendingPartition });
    expect(OrderPlacedDetailSchema.parse(JSON.parse(String(pending?.['detail'])))).toMatchObject({ orderId, eventId: pending?.['eventId'] });

    // The bus is still failing at the first tick: the event stays pending, the failure noted.
    h.failNextEvents(10);
    try {
      const failing = (await h.runScheduled('redrive-outbox')) as RedriveResult;
      expect(failing.failed.map((f) => [f.eventId, f.final])).toContainEqual([orderEventId(orderId, 'OrderPlaced'), false]);
    } finally {
      h.failNextEvents(0);
    }
    expect(await outboxItem()).toMatchObject({ status: 'PENDING', attempts: 1, lastError: expect.stringContaining('EventPublishError') });
    expect(eventsFor(orderId)).toHaveLength(0);

    // The next tick publishes it, through the EventPublisher and the SDK, with its stable id.
    const first = (await h.runScheduled('redrive-outbox')) as RedriveResult;
    expect(first.published).toContain(orderEventId(orderId, 'OrderPlaced'));
    const [placed, ...more] = eventsFor(orderId);
    expect(more).toHaveLength(0);
    expect(placed?.['detail-type']).toBe('OrderPlaced');
    expect(OrderPlacedDetailSchema.parse(placed?.detail)).toMatchObject({ orderId, eventId: orderEventId(orderId, 'OrderPlaced') });
    const done = await outboxItem();
    expect(done).toMatchObject({ status: 'PUBLISHED', attempts: 2, expiresAt: expect.any(Number) });
    expect(done).not.toHaveProperty('GSI1PK');

    // A second tick finds nothing to do.
    const second = (await h.runScheduled('redrive-outbox')) as RedriveResult;
    expect(second.published).not.toContain(orderEventId(orderId, 'OrderPlaced'));
    expect(eventsFor(orderId)).toHaveLength(1);

    // The consumers get it; and were it published again (new envelope id), they would not act twice.
    const delivered = await h.deliver(eventsFor(orderId));
    expect(delivered.find((d) => d.consumer.endsWith('send-confirmation.ts'))?.result).toEqual({ orderId, delivered: true });
    if (!placed) throw new Error('OrderPlaced was not published');
    const again = await h.deliver([{ ...placed, id: crypto.randomUUID() }]);
    expect(actedAgain(again)).toEqual(NOT_AGAIN(orderId));
  });
});

describe('a rejection the bus cannot take', () => {
  it('goes to the outbox too, and the redrive publishes it once', async () => {
    h.failNextEvents(10);
    let orderId: string;
    try {
      const { response } = await h.checkout(order([{ productId: 'mug-classic', quantity: 1 }], card('pm_card_chargeDeclined')));
      expect(response.statusCode).toBe(402);
      const item = (await h.table.documentClient.send(
        new QueryCommand({
          TableName: h.table.tableName,
          IndexName: 'GSI1',
          KeyConditionExpression: 'GSI1PK = :pk',
          ExpressionAttributeValues: { ':pk': keys.outboxPendingPartition },
        }),
      )).Items?.find((i) => i['detailType'] === 'OrderRejected');
      expect(item).toMatchObject({ status: 'PENDING', SK: 'EVENT#OrderRejected' });
      orderId = String(item?.['PK']).replace(/^OUTBOX#/, '');
      expect(eventsFor(orderId)).toHaveLength(0);
    } finally {
      h.failNextEvents(0);
    }
    const run = (await h.runScheduled('redrive-outbox')) as RedriveResult;
    expect(run.published).toContain(orderEventId(orderId, 'OrderRejected'));
    const rejected = eventsFor(orderId);
    expect(rejected.map((e) => e['detail-type'])).toEqual(['OrderRejected']);
    expect(OrderRejectedDetailSchema.parse(rejected[0]?.detail)).toMatchObject({ orderId, reason: { code: 'PAYMENT_DECLINED' } });
    expect(((await h.runScheduled('redrive-outbox')) as RedriveResult).published).not.toContain(orderEventId(orderId, 'OrderRejected'));
    expect(eventsFor(orderId)).toHaveLength(1);
  });
});

describe('a compensation that still fails after the retries', () => {
  const compensationItem = async (orderId: string, action: string) =>
    (await h.table.documentClient.send(new GetCommand({ TableName: h.table.tableName, Key: keys.compensation(orderId, action), ConsistentRead: true }))).Item;
  const sweep = async () => (await h.runScheduled('complete-compensations')) as CompensationSweepResult;
  const enteredStates = (call: { execution: { history: { type: string; stateEnteredEventDetails?: { name: string } }[] } }) =>
    call.execution.history.filter((e) => e.type === 'TaskStateEntered').map((e) => e.stateEnteredEventDetails?.name);

  it('a release DynamoDB keeps failing is recorded, and the scheduled sweep gives the stock back', async () => {
    const before = await h.stock(IDS);
    // DynamoDB fails every release transaction (the reservations' and the stock's update), as a 500 would.
    const restore = h.failDynamoDb((input) => 'TransactItems' in input && JSON.stringify(input).includes('":released"'));
    let orderId: string;
    try {
      const declined = await h.checkout(
        order(
          [
            { productId: 'mug-classic', quantity: 2 },
            { productId: 'cap-navy', quantity: 1 },
          ],
          card('pm_card_chargeDeclined'),
        ),
      );
      expect(declined.response.statusCode).toBe(402);
      expect(enteredStates(declined)).toEqual(expect.arrayContaining(['ReleaseReservations', 'RecordUnfinishedRelease', 'PublishOrderRejected']));
      orderId = OrderRejectedDetailSchema.parse(lastRejection()?.detail).orderId;
      // The stock is still held...
      expect(await h.stock(IDS)).toEqual({ ...before, 'mug-classic': (before['mug-classic'] ?? 0) - 2, 'cap-navy': (before['cap-navy'] ?? 0) - 1 });
      // ...and the release is recorded for the sweep.
      expect(await compensationItem(orderId, 'RELEASE_RESERVATIONS')).toMatchObject({
        status: 'PENDING',
        orderId,
        attempts: 0,
        lastError: 'InternalServerError',
        GSI1PK: keys.compensationPendingPartition,
      });
      // A tick while DynamoDB still fails: it stays pending, the failure noted.
      const failing = await sweep();
      expect(failing.failed).toContainEqual(expect.objectContaining({ id: `${orderId}/RELEASE_RESERVATIONS`, final: false }));
      // Since when it has waited, read from the pending index (the age the operators' alarm watches).
      // (the workflow's clock and the test's may differ by a little; the age is clamped at 0)
      expect(Math.abs(Date.now() - Date.parse(String(failing.oldestLeftPendingSince)))).toBeLessThan(120_000);
      expect(await compensationItem(orderId, 'RELEASE_RESERVATIONS')).toMatchObject({ status: 'PENDING', attempts: 1, lastError: expect.stringContaining('InternalServerError') });
    } finally {
      restore();
    }

    const done = await sweep();
    expect(done.completed).toContainEqual({ orderId, action: 'RELEASE_RESERVATIONS', released: expect.arrayContaining(['mug-classic', 'cap-navy']), alreadyReleased: [] });
    expect(await h.stock(IDS)).toEqual(before);
    expect((await listReservations(inventoryRepo(), orderId)).every((r) => r.status === 'RELEASED')).toBe(true);
    const item = await compensationItem(orderId, 'RELEASE_RESERVATIONS');
    expect(item).toMatchObject({ status: 'DONE', attempts: 2, completedAt: expect.any(String), expiresAt: expect.any(Number) });
    expect(item).not.toHaveProperty('GSI1PK');
    // Nothing left to do for it: a second tick changes nothing.
    expect((await sweep()).completed.map((c) => c.orderId)).not.toContain(orderId);
    expect(await h.stock(IDS)).toEqual(before);
  });

  it('a void the provider keeps refusing is recorded; the sweep voids it and the cancelled order says VOIDED', async () => {
    const before = await h.stock(IDS);
    // Stripe answers 503 to every capture and cancel: the capture fails, then the void.
    h.sandboxes.stripe.faults.set({ errorRate: 1, errorStatus: 503, match: { method: 'POST', pathPrefix: '/v1/payment_intents/' } });
    const request = order([{ productId: 'tee-black', quantity: 1 }]);
    let orderId: string;
    try {
      const failed = await h.checkout(request, { idempotencyKey: 'void-kept' });
      expect(failed.response.statusCode).toBe(503);
      // The money is held: the key keeps its answer, a retry with it replays the 503.
      const replayed = await h.checkout(request, { idempotencyKey: 'void-kept' });
      expect(replayed.response).toMatchObject({ statusCode: 503, headers: { 'Idempotent-Replayed': 'true' } });
      expect(enteredStates(failed)).toEqual(expect.arrayContaining(['CapturePayment', 'VoidPayment', 'RecordUnfinishedVoid', 'CancelOrder']));
      orderId = OrderRejectedDetailSchema.parse(lastRejection()?.detail).orderId;
      expect(await h.stock(IDS)).toEqual(before);
      // The money is still held (authorized), and the order says so.
      expect(intentsFor(orderId)).toEqual([expect.objectContaining({ status: 'requires_capture' })]);
      expect(await getOrder(ordersRepo(), orderId)).toMatchObject({ status: 'CANCELLED', payment: { status: 'AUTHORIZED' } });
      const item = await compensationItem(orderId, 'VOID_PAYMENT');
      expect(item).toMatchObject({ status: 'PENDING', lastError: 'PaymentProviderUnavailableError', GSI1PK: keys.compensationPendingPartition });
      expect(JSON.parse(String(item?.['payment']))).toMatchObject({ provider: 'stripe', status: 'AUTHORIZED', authorizationId: intentsFor(orderId)[0]?.id });
      expect(JSON.parse(String(item?.['amount']))).toEqual({ amount: 2500, currency: 'USD' });
      // Still failing at the first tick.
      expect((await sweep()).failed).toContainEqual(expect.objectContaining({ id: `${orderId}/VOID_PAYMENT`, final: false }));
    } finally {
      h.sandboxes.stripe.faults.clear();
    }
    const done = await sweep();
    expect(done.completed).toContainEqual({ orderId, action: 'VOID_PAYMENT', paymentStatus: 'VOIDED', orderCancelled: true, keyReleased: true });
    expect(intentsFor(orderId)).toEqual([expect.objectContaining({ status: 'canceled', amountReceived: 0 })]);
    expect(await getOrder(ordersRepo(), orderId)).toMatchObject({ status: 'CANCELLED', payment: { status: 'VOIDED' } });
    expect(await compensationItem(orderId, 'VOID_PAYMENT')).toMatchObject({ status: 'DONE' });
    expect((await sweep()).completed.map((c) => c.orderId)).not.toContain(orderId);
    // Voided once at the provider: the sweep's attempts all used the workflow's idempotency key.
    expect(new Set(h.sandboxes.stripe.requests().filter((r) => r.path.endsWith('/cancel') && r.idempotencyKey?.startsWith(orderId)).map((r) => r.idempotencyKey)).size).toBe(1);
    // Nothing is held any more: the key was released, and the client's retry with it places the order.
    const retried = await h.checkout(request, { idempotencyKey: 'void-kept' });
    expect(retried.response.statusCode).toBe(201);
    expect(retried.response.headers).not.toHaveProperty('Idempotent-Replayed');
  });

  it('a cancel that still fails is recorded: the order never stays CONFIRMED once its money and stock are back, and the key waits for the sweep', async () => {
    const before = await h.stock(IDS);
    const captureDown = h.override('capture-payment', async () => {
      throw Object.assign(new Error('the provider did not answer in time'), { name: 'PaymentProviderUnavailableError' });
    });
    const cancelDown = h.override('cancel-order', async () => {
      throw Object.assign(new Error('simulated outage of the orders table'), { name: 'InternalServerError' });
    });
    const request = order([{ productId: 'cap-navy', quantity: 1 }]);
    let orderId: string;
    try {
      const failed = await h.checkout(request, { idempotencyKey: 'cancel-kept' });
      const status = failed.response.statusCode;
      expect(status).toBeGreaterThanOrEqual(500);
      expect(enteredStates(failed)).toEqual(expect.arrayContaining(['VoidPayment', 'CancelOrder', 'RecordUnfinishedCancel']));
      orderId = OrderRejectedDetailSchema.parse(lastRejection()?.detail).orderId;
      // Stock and money are back; the order still says CONFIRMED, so the cancel waits for the sweep...
      expect(await h.stock(IDS)).toEqual(before);
      expect(intentsFor(orderId)).toEqual([expect.objectContaining({ status: 'canceled' })]);
      expect(await compensationItem(orderId, 'CANCEL_ORDER')).toMatchObject({ status: 'PENDING', lastError: 'InternalServerError' });
      // ...and the key keeps its answer meanwhile.
      expect((await h.checkout(request, { idempotencyKey: 'cancel-kept' })).response).toMatchObject({ statusCode: status, headers: { 'Idempotent-Replayed': 'true' } });
    } finally {
      cancelDown();
      captureDown();
    }
    const done = await sweep();
    expect(done.completed).toContainEqual({ orderId, action: 'CANCEL_ORDER', paymentStatus: 'VOIDED', orderCancelled: true, keyReleased: true });
    expect(await getOrder(ordersRepo(), orderId)).toMatchObject({ status: 'CANCELLED', payment: { status: 'VOIDED' } });
  });

  it('a refund the provider keeps refusing is recorded; the sweep refunds it once and the order says REFUNDED', async () => {
    const before = await h.stock(IDS);
    const restore = h.override('record-capture', async () => {
      throw Object.assign(new Error('simulated outage of the orders table'), { name: 'InternalServerError' });
    });
    h.sandboxes.stripe.faults.set({ errorRate: 1, errorStatus: 503, match: { method: 'POST', pathPrefix: '/v1/refunds' } });
    let orderId: string;
    try {
      const failed = await h.checkout(order([{ productId: 'socks-wool', quantity: 4 }]));
      expect(failed.response.statusCode).toBe(500);
      expect(enteredStates(failed)).toEqual(expect.arrayContaining(['RefundPayment', 'RecordUnfinishedRefund', 'CancelOrder']));
      orderId = OrderRejectedDetailSchema.parse(lastRejection()?.detail).orderId;
      expect(await h.stock(IDS)).toEqual(before);
      // Captured and not given back yet; the order tells it.
      expect(intentsFor(orderId)).toEqual([expect.objectContaining({ status: 'succeeded', amountReceived: 3600, amountRefunded: 0 })]);
      expect(await getOrder(ordersRepo(), orderId)).toMatchObject({ status: 'CANCELLED', payment: { status: 'CAPTURED' } });
      const item = await compensationItem(orderId, 'REFUND_PAYMENT');
      expect(JSON.parse(String(item?.['payment']))).toMatchObject({ status: 'CAPTURED', captureId: expect.any(String) });
    } finally {
      restore();
      h.sandboxes.stripe.faults.clear();
    }
    const done = await sweep();
    expect(done.completed).toContainEqual({ orderId, action: 'REFUND_PAYMENT', paymentStatus: 'REFUNDED', orderCancelled: true, keyReleased: true });
    const [intent, ...others] = intentsFor(orderId);
    expect(others).toHaveLength(0);
    expect(intent).toMatchObject({ amountReceived: 3600, amountRefunded: 3600 });
    expect(intent?.refunds).toHaveLength(1);
    expect(await getOrder(ordersRepo(), orderId)).toMatchObject({ status: 'CANCELLED', payment: { status: 'REFUNDED' } });
    // Run again (as a run that died before marking it done would be): the provider replays the refund, nothing moves.
    const entry = await compensationItem(orderId, 'REFUND_PAYMENT');
    expect(entry).toMatchObject({ status: 'DONE' });
    expect((await sweep()).completed.map((c) => c.orderId)).not.toContain(orderId);
    expect(intentsFor(orderId)[0]?.refunds).toHaveLength(1);
  });
});

describe('transient faults', () => {
  it('a provider fault is retried and the order succeeds, charged once', async () => {
    h.sandboxes.stripe.faults.set({ errorRate: 1, errorStatus: 503, match: { method: 'POST', pathPrefix: '/v1/payment_intents' }, times: 1 });
    try {
      const { response, body, execution } = await h.checkout(order([{ productId: 'socks-wool', quantity: 2 }]));
      expect(response.statusCode).toBe(201);
      const authorizeAttempts = execution.history.filter(
        (e) => e.type === 'TaskFailed' || e.type === 'TaskSucceeded',
      );
      expect(authorizeAttempts.some((e) => e.type === 'TaskFailed')).toBe(true);
      expect(h.sandboxes.stripe.requests().some((r) => r.fault)).toBe(true);
      expect(intentsFor(String(body['orderId']))).toHaveLength(1);
    } finally {
      h.sandboxes.stripe.faults.clear();
    }
  });
});

/**
 * The first execution with this key reserves, authorizes and saves, then dies before the
 * capture (aborted while the capture hangs): its key stays IN_PROGRESS until the lock expires.
 */
async function dieAtCapture(request: ReturnType<typeof order>, idempotencyKey: string) {
  let reachedCapture!: () => void;
  const atCapture = new Promise<void>((resolve) => (reachedCapture = resolve));
  let releaseHungCapture!: () => void;
  const hung = new Promise<void>((resolve) => (releaseHungCapture = resolve));
  const restore = h.override('capture-payment', async () => {
    reachedCapture();
    await hung;
    throw new Error('the execution was stopped');
  });
  const stop = new AbortController();
  let first: Awaited<ReturnType<CheckoutHarness['checkout']>>;
  try {
    const running = h.checkout(request, { idempotencyKey, signal: stop.signal });
    await atCapture;
    stop.abort();
    first = await running;
  } finally {
    restore();
    releaseHungCapture();
  }
  expect(first.execution.status).toBe('ABORTED');
  const key = keys.idempotency(request.customerId, idempotencyKey);
  const record = (await h.table.documentClient.send(new GetCommand({ TableName: h.table.tableName, Key: key, ConsistentRead: true }))).Item;
  expect(record).toMatchObject({ status: 'IN_PROGRESS', orderId: expect.stringMatching(/^ord_/) });
  const orderId = String(record?.['orderId']);
  expect(await getOrder(ordersRepo(), orderId)).toMatchObject({ status: 'CONFIRMED', payment: { status: 'AUTHORIZED' } });
  return { orderId, record };
}

describe('idempotency', () => {
  it('the same Idempotency-Key replays the first response: same order, one charge', async () => {
    const request = order([{ productId: 'mug-classic', quantity: 1 }]);
    const before = await h.stock(['mug-classic']);
    const first = await h.checkout(request, { idempotencyKey: 'replay-1' });
    const second = await h.checkout(request, { idempotencyKey: 'replay-1' });
    expect(first.response.statusCode).toBe(201);
    // The same answer, marked as a replay (as Stripe's API marks one); the first is not.
    expect(first.response.headers).not.toHaveProperty('Idempotent-Replayed');
    expect(second.response).toEqual({ ...first.response, headers: { ...first.response.headers, 'Idempotent-Replayed': 'true' } });
    const placed = first.body as unknown as Order;
    expect(intentsFor(placed.orderId)).toHaveLength(1);
    expect(h.sandboxes.stripe.paymentIntents().filter((pi) => pi.amount === 1299 && JSON.stringify(pi.metadata).includes(request.customerId))).toHaveLength(1);
    expect(await h.stock(['mug-classic'])).toEqual({ 'mug-classic': (before['mug-classic'] ?? 0) - 1 });
  });

  it('the same key with another body -> 422 IDEMPOTENCY_KEY_REUSED, nothing done', async () => {
    const customerId = customer();
    const first = await h.checkout(order([{ productId: 'mug-classic', quantity: 1 }], card(), customerId), { idempotencyKey: 'reuse-1' });
    expect(first.response.statusCode).toBe(201);
    const before = await h.stock(IDS);
    const intents = h.sandboxes.stripe.paymentIntents().length;
    const second = await h.checkout(order([{ productId: 'mug-classic', quantity: 2 }], card(), customerId), { idempotencyKey: 'reuse-1' });
    expect(second.response.statusCode).toBe(422);
    expect(second.body.error?.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await h.stock(IDS)).toEqual(before);
    expect(h.sandboxes.stripe.paymentIntents()).toHaveLength(intents);
  });

  it('two requests with one key at once: one order, one charge; the other waits its turn (409) or replays', async () => {
    const request = order([{ productId: 'cap-navy', quantity: 1 }]);
    const before = await h.stock(['cap-navy']);
    const results = await Promise.all([1, 2, 3].map(() => h.checkout(request, { idempotencyKey: 'concurrent-1' })));
    const statuses = results.map((r) => r.response.statusCode).sort();
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThanOrEqual(1);
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    const placed = results.filter((r) => r.response.statusCode === 201).map((r) => r.body['orderId']);
    expect(new Set(placed).size).toBe(1);
    for (const busy of results.filter((r) => r.response.statusCode === 409)) expect(busy.body.error?.code).toBe('IDEMPOTENCY_IN_PROGRESS');
    expect(intentsFor(String(placed[0]))).toHaveLength(1);
    expect(await h.stock(['cap-navy'])).toEqual({ 'cap-navy': (before['cap-navy'] ?? 0) - 1 });
  });

  it('a key whose execution died is taken over once its lock expires: the same order resumes, nothing twice', async () => {
    const request = order([
      { productId: 'tee-black', quantity: 2 },
      { productId: 'socks-wool', quantity: 3 },
    ]);
    const before = await h.stock(['tee-black', 'socks-wool']);
    const intentsBefore = h.sandboxes.stripe.paymentIntents().length;

    const { orderId, record } = await dieAtCapture(request, 'takeover-1');

    // While the lock holds, the key is busy.
    const busy = await h.checkout(request, { idempotencyKey: 'takeover-1' });
    expect(busy.response.statusCode).toBe(409);
    expect(busy.body.error?.code).toBe('IDEMPOTENCY_IN_PROGRESS');

    // Past the lock (longer than any execution may run), the next request resumes that order.
    h.advanceClock(181_000);
    try {
      const resumed = await h.checkout(request, { idempotencyKey: 'takeover-1' });
      expect(resumed.response.statusCode).toBe(201);
      expect(resumed.body['orderId']).toBe(orderId);
      expect(resumed.body).toMatchObject({ status: 'CONFIRMED', payment: { status: 'CAPTURED' }, createdAt: record?.['createdAt'] });
      const entered = resumed.execution.history.filter((e) => e.type === 'TaskStateEntered').map((e) => e.stateEnteredEventDetails?.name);
      expect(entered).toEqual(expect.arrayContaining(['ClaimIdempotencyKey', 'ReadIdempotencyRecord', 'TakeOverIdempotencyKey']));

      // Reserved once, authorized once (the provider's idempotency key), captured once.
      expect(await h.stock(['tee-black', 'socks-wool'])).toEqual({
        'tee-black': (before['tee-black'] ?? 0) - 2,
        'socks-wool': (before['socks-wool'] ?? 0) - 3,
      });
      expect(h.sandboxes.stripe.paymentIntents()).toHaveLength(intentsBefore + 1);
      expect(intentsFor(orderId)).toEqual([expect.objectContaining({ status: 'succeeded', amountReceived: 2 * 2500 + 3 * 900 })]);
      expect(await getOrder(ordersRepo(), orderId)).toMatchObject({ status: 'CONFIRMED', payment: { status: 'CAPTURED' } });
      expect(eventsFor(orderId).map((e) => e['detail-type'])).toEqual(['OrderPlaced']);

      // The answer is now the key's: replayed, not run again.
      const replay = await h.checkout(request, { idempotencyKey: 'takeover-1' });
      expect(replay.response.statusCode).toBe(201);
      expect(replay.response.headers['Idempotent-Replayed']).toBe('true');
      expect(replay.body['orderId']).toBe(orderId);
      expect(replay.execution.history.some((e) => e.stateEnteredEventDetails?.name === 'ReplayResponse')).toBe(true);
      expect(intentsFor(orderId)).toHaveLength(1);
    } finally {
      h.advanceClock(-181_000);
    }
  });

  it('a takeover after the price changed keeps the price first quoted: the authorized amount is captured, 201', async () => {
    const request = order([{ productId: 'cap-navy', quantity: 2 }]);
    const { orderId } = await dieAtCapture(request, 'takeover-price-1');
    const catalog = new DynamoDbCatalogRepository(h.table.documentClient, h.table.tableName);
    const capNavy = PRODUCTS.find((p) => p.productId === 'cap-navy');
    if (!capNavy) throw new Error('no cap-navy');
    await putProducts(catalog, [{ ...capNavy, price: { amount: 2100, currency: 'USD' } }]);
    h.advanceClock(181_000);
    try {
      const resumed = await h.checkout(request, { idempotencyKey: 'takeover-price-1' });
      expect(resumed.response.statusCode).toBe(201);
      expect(resumed.body).toMatchObject({ orderId, total: { amount: 2 * 1800 }, payment: { status: 'CAPTURED' } });
      expect(intentsFor(orderId)).toEqual([expect.objectContaining({ status: 'succeeded', amount: 3600, amountReceived: 3600 })]);
      expect(await getOrder(ordersRepo(), orderId)).toMatchObject({ status: 'CONFIRMED', total: { amount: 3600 } });
      // A new order is priced anew.
      const fresh = await h.checkout(order([{ productId: 'cap-navy', quantity: 2 }]));
      expect(fresh.body).toMatchObject({ total: { amount: 4200 } });
    } finally {
      h.advanceClock(-181_000);
      await putProducts(catalog, [capNavy]);
    }
  });

  it('keys are scoped to the customer', async () => {
    const a = await h.checkout(order([{ productId: 'socks-wool', quantity: 1 }]), { idempotencyKey: 'shared-key' });
    const b = await h.checkout(order([{ productId: 'socks-wool', quantity: 1 }]), { idempotencyKey: 'shared-key' });
    expect(a.response.statusCode).toBe(201);
    expect(b.response.statusCode).toBe(201);
    expect(b.body['orderId']).not.toBe(a.body['orderId']);
  });

  it('a rejection is final for its key: replayed, not retried', async () => {
    const request = order([{ productId: 'mug-classic', quantity: 1 }], card('pm_card_chargeDeclined'));
    const first = await h.checkout(request, { idempotencyKey: 'declined-1' });
    const second = await h.checkout(request, { idempotencyKey: 'declined-1' });
    expect(first.response.statusCode).toBe(402);
    expect(second.response).toEqual({ ...first.response, headers: { ...first.response.headers, 'Idempotent-Replayed': 'true' } });
  });
});

describe('the shape checks of the workflow itself', () => {
  it('answers 400 VALIDATION_FAILED with details when called directly with a bad body', async () => {
    const before = await h.stock(IDS);
    const { response, body } = await h.execute({
      body: { customerId: 'c 1', items: [{ productId: 'mug-classic', quantity: 0 }], payment: { method: 'cash' } },
      idempotencyKey: null,
      authorizedCustomerId: null,
      requestId: 'direct-1',
    });
    expect(response.statusCode).toBe(400);
    expect(body.error?.code).toBe('VALIDATION_FAILED');
    expect((body.error?.details as { path: string }[]).map((d) => d.path).sort()).toEqual(['customerId', 'items[0].quantity', 'payment.method']);
    expect(await h.stock(IDS)).toEqual(before);
  });

  it('refuses a body naming another customer than the authorized one (403)', async () => {
    const { response, body } = await h.execute({
      body: order([{ productId: 'mug-classic', quantity: 1 }], card(), 'cust-a'),
      idempotencyKey: null,
      authorizedCustomerId: 'cust-b',
      requestId: 'direct-2',
    });
    expect(response.statusCode).toBe(403);
    expect(body.error?.code).toBe('FORBIDDEN');
  });

  it('never lets a bad input fail the execution', async () => {
    for (const input of [{}, { body: 'text' }, { body: null, idempotencyKey: 5 }]) {
      const { execution, response } = await h.execute(input);
      expect(execution.status).toBe('SUCCEEDED');
      expect(response.statusCode).toBe(400);
    }
  });
});
