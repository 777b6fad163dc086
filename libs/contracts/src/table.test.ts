import { describe, expect, it } from 'vitest';
import { createTableInput, keys, ORDER_TABLE } from './table';

describe('table definition', () => {
  it('builds a CreateTable input with PK/SK, GSI1 and every key attribute defined once', () => {
    const input = createTableInput('orders');
    expect(input.KeySchema).toEqual([
      { AttributeName: 'PK', KeyType: 'HASH' },
      { AttributeName: 'SK', KeyType: 'RANGE' },
    ]);
    expect(input.GlobalSecondaryIndexes.map((g) => g.IndexName)).toEqual(['GSI1']);
    expect(input.AttributeDefinitions.map((a) => a.AttributeName).sort()).toEqual(['GSI1PK', 'GSI1SK', 'PK', 'SK']);
    expect(ORDER_TABLE.timeToLiveAttribute).toBe('expiresAt');
  });

  it('uses the key formats of DESIGN.md', () => {
    expect(keys.stock('mug')).toEqual({ PK: 'PRODUCT#mug', SK: 'STOCK' });
    expect(keys.reservation('ord_1', 'mug')).toEqual({ PK: 'ORDER#ord_1', SK: 'RESERVATION#mug' });
    expect(keys.idempotency('cust-1', 'k1')).toEqual({ PK: 'IDEMPOTENCY#cust-1#k1', SK: 'IDEMPOTENCY' });
    expect(keys.customerOrders('cust-1', '2025-01-01T00:00:00.000Z', 'ord_1')).toEqual({
      GSI1PK: 'CUSTOMER#cust-1',
      GSI1SK: '2025-01-01T00:00:00.000Z#ord_1',
    });
    expect(keys.catalogIndex('mug')).toEqual({ GSI1PK: 'CATALOG', GSI1SK: 'mug' });
    expect(keys.outbox('ord_1', 'OrderPlaced')).toEqual({ PK: 'OUTBOX#ord_1', SK: 'EVENT#OrderPlaced' });
    expect(keys.processedEvent('record-metrics', 'ord_1#OrderPlaced')).toEqual({ PK: 'EVENT_CONSUMER#record-metrics', SK: 'EVENT#ord_1#OrderPlaced' });
    expect(keys.processedEvent('record-metrics', 'e').PK).toBe(keys.eventConsumerIdempotencyPartition('record-metrics'));
    expect(keys.outboxPending('2025-01-01T00:00:00.000Z', 'ord_1', 'OrderPlaced')).toEqual({
      GSI1PK: keys.outboxPendingPartition,
      GSI1SK: '2025-01-01T00:00:00.000Z#ord_1#OrderPlaced',
    });
    // The release marker must not match the reservation prefix, or a reservation query would return it.
    expect(keys.reservationRelease('ord_1').SK.startsWith(keys.reservationPrefix)).toBe(false);
  });
});
