import { EVENT_SOURCE } from '@orderflow/contracts';
import { describe, expect, it } from 'vitest';
import { EVENT_CONSUMERS, EVENT_RULES } from '@orderflow/events';
import { assertValidEventPattern, matchesEventPattern } from '@orderflow/local-aws';

const envelope = (detailType: string, source = EVENT_SOURCE) => ({ id: '1', source, 'detail-type': detailType, detail: {} });

const consumersOf = (event: unknown) =>
  EVENT_RULES.filter((rule) => matchesEventPattern(rule.eventPattern, event)).map((rule) => rule.consumer);

describe('EVENT_RULES', () => {
  it('are valid patterns with unique ids', () => {
    for (const rule of EVENT_RULES) assertValidEventPattern(rule.eventPattern);
    expect(new Set(EVENT_RULES.map((r) => r.id)).size).toBe(EVENT_RULES.length);
  });

  it('route OrderPlaced to both consumers and OrderRejected to metrics only', () => {
    expect(consumersOf(envelope('OrderPlaced')).sort()).toEqual([...EVENT_CONSUMERS].sort());
    expect(consumersOf(envelope('OrderRejected'))).toEqual(['record-metrics']);
  });

  it('ignore other sources and types', () => {
    expect(consumersOf(envelope('OrderPlaced', 'someone.else'))).toEqual([]);
    expect(consumersOf(envelope('OrderShipped'))).toEqual([]);
  });
});
