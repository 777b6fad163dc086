import { type OrderPlacedDetail, orderEventId } from '@orderflow/contracts';
import { type EventPublisher, type OrderflowEvent, RecordingEventPublisher } from '@orderflow/events';
import { describe, expect, it } from 'vitest';
import { InMemoryPendingQueue } from '../test/in-memory-pending-queue';
import { type EventOutbox, type OutboxEntry, outboxEvent, redriveOutbox } from './redrive-outbox';

const detail = (orderId: string): OrderPlacedDetail => ({
  orderId,
  customerId: 'cust-1',
  total: { amount: 1299, currency: 'USD' },
  items: [{ productId: 'mug', name: 'Mug', quantity: 1, unitPrice: { amount: 1299, currency: 'USD' } }],
  payment: { method: 'card', provider: 'stripe', reference: 'pi_1' },
  placedAt: '2025-01-01T00:00:00.000Z',
});

const entry = (orderId: string, overrides: Partial<OutboxEntry> = {}): OutboxEntry => ({
  key: { PK: `OUTBOX#${orderId}`, SK: 'EVENT#OrderPlaced' },
  eventId: orderEventId(orderId, 'OrderPlaced'),
  detailType: 'OrderPlaced',
  detail: JSON.stringify({ ...detail(orderId), eventId: orderEventId(orderId, 'OrderPlaced') }),
  attempts: 0,
  createdAt: '2025-01-01T00:00:00.000Z',
  ...overrides,
});

/** The outbox in memory: pending until published or set aside; a lease blocks other runs. */
class InMemoryOutbox extends InMemoryPendingQueue<OutboxEntry> implements EventOutbox {
  async markPublished(e: OutboxEntry) {
    this.done(e, 'PUBLISHED');
  }
}

describe('redriveOutbox', () => {
  it('publishes each pending event once with its stable id; a second run publishes nothing', async () => {
    const outbox = new InMemoryOutbox([entry('ord_000000000001'), entry('ord_000000000002')]);
    const publisher = new RecordingEventPublisher();
    const first = await redriveOutbox(outbox, publisher);
    expect(first).toEqual({
      published: [orderEventId('ord_000000000001', 'OrderPlaced'), orderEventId('ord_000000000002', 'OrderPlaced')],
      failed: [],
      skipped: 0,
      deferred: 0,
    });
    expect(publisher.published.map((e) => e.detail.eventId)).toEqual(first.published);
    expect(await redriveOutbox(outbox, publisher)).toEqual({ published: [], failed: [], skipped: 0, deferred: 0 });
    expect(publisher.published).toHaveLength(2);
  });

  it('keeps an event whose publication failed for the next run', async () => {
    const outbox = new InMemoryOutbox([entry('ord_000000000003')]);
    let fail = true;
    const recording = new RecordingEventPublisher();
    const flaky: EventPublisher = {
      publish: async (events: readonly OrderflowEvent[]) => {
        if (fail) throw Object.assign(new Error('1 event(s) not published'), { name: 'EventPublishError' });
        return recording.publish(events);
      },
    };
    const failed = await redriveOutbox(outbox, flaky);
    expect(failed.failed).toEqual([
      { key: 'OUTBOX#ord_000000000003/EVENT#OrderPlaced', eventId: orderEventId('ord_000000000003', 'OrderPlaced'), error: 'EventPublishError: 1 event(s) not published', final: false },
    ]);
    expect(outbox.items.get('OUTBOX#ord_000000000003')).toMatchObject({ status: 'PENDING', attempts: 1 });
    fail = false;
    expect((await redriveOutbox(outbox, flaky)).published).toEqual([orderEventId('ord_000000000003', 'OrderPlaced')]);
    expect(outbox.items.get('OUTBOX#ord_000000000003')).toMatchObject({ status: 'PUBLISHED', attempts: 2 });
  });

  it('sets aside an entry that can never be a valid event, and skips one another run holds', async () => {
    const outbox = new InMemoryOutbox([
      entry('ord_000000000004', { detail: '{"orderId": "ord_000000000004"}' }),
      entry('ord_000000000005', { detail: 'not json' }),
      entry('ord_000000000006'),
    ]);
    const held = outbox.items.get('OUTBOX#ord_000000000006');
    if (held) held.leaseUntil = new Date(Date.now() + 60_000);
    const publisher = new RecordingEventPublisher();
    const result = await redriveOutbox(outbox, publisher);
    expect(result.published).toEqual([]);
    expect(result.skipped).toBe(1);
    expect(result.failed.map((f) => [f.key, f.final])).toEqual([
      ['OUTBOX#ord_000000000004/EVENT#OrderPlaced', true],
      ['OUTBOX#ord_000000000005/EVENT#OrderPlaced', true],
    ]);
    expect(result.failed[0]?.error).toMatch(/invalid OrderPlaced detail/);
    expect(outbox.items.get('OUTBOX#ord_000000000004')?.status).toBe('FAILED');
    expect(publisher.published).toHaveLength(0);
  });

  it('stops when asked, leaving the rest pending for the next run', async () => {
    const outbox = new InMemoryOutbox([entry('ord_000000000009'), entry('ord_000000000010'), entry('ord_000000000011')]);
    const publisher = new RecordingEventPublisher();
    let budget = 1;
    const result = await redriveOutbox(outbox, publisher, { shouldStop: () => budget-- <= 0 });
    expect(result).toMatchObject({ published: [orderEventId('ord_000000000009', 'OrderPlaced')], deferred: 2 });
    expect((await outbox.pending(10)).map((e) => e.key.PK)).toEqual(['OUTBOX#ord_000000000010', 'OUTBOX#ord_000000000011']);
  });
});

describe('outboxEvent', () => {
  it('keeps the entry id as the event id, even when the detail lacks one', () => {
    const event = outboxEvent(entry('ord_000000000007', { detail: JSON.stringify(detail('ord_000000000007')) }));
    expect(event).toEqual({ detailType: 'OrderPlaced', detail: { ...detail('ord_000000000007'), eventId: 'ord_000000000007#OrderPlaced' } });
    const legacy = outboxEvent(entry('ord_000000000008', { eventId: undefined, detail: JSON.stringify(detail('ord_000000000008')) }));
    expect(legacy.detail.eventId).toBe(orderEventId('ord_000000000008', 'OrderPlaced'));
  });
});
