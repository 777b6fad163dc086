import { EVENT_SOURCE, type OrderPlacedDetail, OrderflowError } from '@orderflow/contracts';
import { describe, expect, it } from 'vitest';
import { buildEventEnvelope, buildPutEventsEntry, InvalidEventError, parseOrderflowEvent } from './envelope';
import { RecordingEventPublisher } from './event-publisher';

const placed: OrderPlacedDetail = {
  orderId: 'ord_0123456789abcdef',
  customerId: 'cust-42',
  total: { amount: 2598, currency: 'USD' },
  items: [{ productId: 'mug-classic', name: 'Classic mug', quantity: 2, unitPrice: { amount: 1299, currency: 'USD' } }],
  payment: { method: 'card', provider: 'stripe', reference: 'pi_123' },
  placedAt: '2025-01-01T10:00:00.000Z',
};

describe('buildPutEventsEntry', () => {
  it('builds the entry of a valid event', () => {
    const entry = buildPutEventsEntry({ detailType: 'OrderPlaced', detail: placed }, { eventBusName: 'bus-1' });
    expect(entry).toEqual({
      EventBusName: 'bus-1',
      Source: EVENT_SOURCE,
      DetailType: 'OrderPlaced',
      Detail: JSON.stringify(placed),
    });
  });

  it('rejects a detail that breaks its schema, naming the field', () => {
    const bad = { ...placed, total: { amount: -1, currency: 'usd' } };
    try {
      buildPutEventsEntry({ detailType: 'OrderPlaced', detail: bad }, { eventBusName: 'b' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidEventError);
      expect(error).toBeInstanceOf(OrderflowError);
      const paths = (error as InvalidEventError).details?.map((d) => d.path);
      expect(paths).toEqual(expect.arrayContaining(['total.amount', 'total.currency']));
    }
  });

  it('rejects an entry over 256 KiB', () => {
    const huge = { ...placed, items: placed.items.map((item) => ({ ...item, name: 'x'.repeat(300 * 1024) })) };
    expect(() => buildPutEventsEntry({ detailType: 'OrderPlaced', detail: huge }, { eventBusName: 'b' })).toThrow(/bytes/);
  });
});

describe('envelopes', () => {
  it('round-trips an event through the envelope a target receives', () => {
    const entry = buildPutEventsEntry(
      { detailType: 'OrderRejected', detail: { orderId: placed.orderId, customerId: 'cust-42', reason: { code: 'OUT_OF_STOCK', message: 'no' }, rejectedAt: placed.placedAt } },
      { eventBusName: 'b', time: new Date('2025-01-02T03:04:05.678Z') },
    );
    const envelope = buildEventEnvelope(entry, { id: 'evt-1', region: 'eu-west-1' });
    expect(envelope).toMatchObject({ version: '0', id: 'evt-1', source: EVENT_SOURCE, time: '2025-01-02T03:04:05Z', region: 'eu-west-1' });
    const received = parseOrderflowEvent(envelope);
    expect(received.detailType).toBe('OrderRejected');
    expect(received.id).toBe('evt-1');
  });

  it.each([
    ['not an object', 'x'],
    ['no id', { source: EVENT_SOURCE, 'detail-type': 'OrderPlaced', detail: placed }],
    ['a foreign source', { id: '1', source: 'aws.s3', 'detail-type': 'OrderPlaced', detail: placed }],
    ['an unknown detail-type', { id: '1', source: EVENT_SOURCE, 'detail-type': 'Other', detail: placed }],
    ['an invalid detail', { id: '1', source: EVENT_SOURCE, 'detail-type': 'OrderPlaced', detail: { orderId: 'x' } }],
  ])('refuses %s', (_name, envelope) => {
    expect(() => parseOrderflowEvent(envelope)).toThrow(InvalidEventError);
  });
});

describe('RecordingEventPublisher', () => {
  it('keeps valid events and refuses invalid ones', async () => {
    const publisher = new RecordingEventPublisher();
    await publisher.publish([{ detailType: 'OrderPlaced', detail: placed }]);
    expect(publisher.published).toHaveLength(1);
    await expect(
      publisher.publish([{ detailType: 'OrderPlaced', detail: { ...placed, items: [] } }]),
    ).rejects.toThrow(InvalidEventError);
    expect(publisher.published).toHaveLength(1);
  });
});
