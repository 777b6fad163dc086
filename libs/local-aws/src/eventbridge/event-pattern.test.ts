import { describe, expect, it } from 'vitest';
import { assertValidEventPattern, type EventPattern, InvalidEventPatternError, matchesEventPattern } from './event-pattern';

const event = {
  version: '0',
  id: 'e-1',
  'detail-type': 'OrderPlaced',
  source: 'orderflow.orders',
  account: '123456789012',
  time: '2025-01-01T00:00:00Z',
  region: 'eu-west-1',
  resources: [],
  detail: {
    orderId: 'ord_0123456789',
    total: { amount: 2598, currency: 'USD' },
    items: [
      { productId: 'mug-classic', quantity: 2 },
      { productId: 'tee-black', quantity: 1 },
    ],
    payment: { method: 'card', provider: 'stripe' },
    tags: ['gift', 'express'],
    note: null,
  },
};

const cases: [string, EventPattern, boolean][] = [
  ['exact source and detail-type', { source: ['orderflow.orders'], 'detail-type': ['OrderPlaced'] }, true],
  ['one of several values', { 'detail-type': ['OrderRejected', 'OrderPlaced'] }, true],
  ['a different value', { 'detail-type': ['OrderRejected'] }, false],
  ['a missing field', { nope: ['x'] }, false],
  ['nested object', { detail: { payment: { method: ['card'] } } }, true],
  ['nested mismatch', { detail: { payment: { method: ['paypal'] } } }, false],
  ['number equality', { detail: { total: { amount: [2598] } } }, true],
  ['number is not a string', { detail: { total: { amount: ['2598'] } } }, false],
  ['null value', { detail: { note: [null] } }, true],
  ['array field: any element', { detail: { tags: ['express'] } }, true],
  ['array of objects: any element', { detail: { items: { productId: ['tee-black'] } } }, true],
  ['array of objects: none', { detail: { items: { productId: ['hat'] } } }, false],
  ['prefix', { source: [{ prefix: 'orderflow.' }] }, true],
  ['prefix mismatch', { source: [{ prefix: 'billing.' }] }, false],
  ['prefix ignoring case', { source: [{ prefix: { 'equals-ignore-case': 'ORDERFLOW.' } }] }, true],
  ['suffix', { source: [{ suffix: '.orders' }] }, true],
  ['equals-ignore-case', { 'detail-type': [{ 'equals-ignore-case': 'orderplaced' }] }, true],
  ['wildcard', { source: [{ wildcard: 'order*.ord*' }] }, true],
  ['wildcard mismatch', { source: [{ wildcard: '*.payments' }] }, false],
  ['anything-but value', { 'detail-type': [{ 'anything-but': 'OrderRejected' }] }, true],
  ['anything-but excludes', { 'detail-type': [{ 'anything-but': ['OrderPlaced', 'X'] }] }, false],
  ['anything-but prefix', { source: [{ 'anything-but': { prefix: 'billing' } }] }, true],
  ['anything-but on a missing field', { absent: [{ 'anything-but': 'x' }] }, false],
  ['numeric range', { detail: { total: { amount: [{ numeric: ['>', 1000, '<=', 2598] }] } } }, true],
  ['numeric out of range', { detail: { total: { amount: [{ numeric: ['<', 100] }] } } }, false],
  ['numeric on a string', { source: [{ numeric: ['>', 0] }] }, false],
  ['exists true', { detail: { orderId: [{ exists: true }] } }, true],
  ['exists false on a present field', { detail: { orderId: [{ exists: false }] } }, false],
  ['exists false on an absent field', { detail: { customerId: [{ exists: false }] } }, true],
  ['exists false under an absent object', { nothing: { here: [{ exists: false }] } }, true],
  ['$or one side matches', { $or: [{ source: ['x'] }, { 'detail-type': ['OrderPlaced'] }] }, true],
  ['$or no side matches', { $or: [{ source: ['x'] }, { 'detail-type': ['Y'] }] }, false],
  ['every key must match', { source: ['orderflow.orders'], 'detail-type': ['OrderRejected'] }, false],
  ['empty pattern matches everything', {}, true],
];

describe('matchesEventPattern', () => {
  it.each(cases)('%s', (_name, pattern, expected) => {
    assertValidEventPattern(pattern);
    expect(matchesEventPattern(pattern, event)).toBe(expected);
  });

  it('escaped wildcard stars match a literal star', () => {
    expect(matchesEventPattern({ v: [{ wildcard: 'a\\*b' }] }, { v: 'a*b' })).toBe(true);
    expect(matchesEventPattern({ v: [{ wildcard: 'a\\*b' }] }, { v: 'axxb' })).toBe(false);
  });
});

describe('assertValidEventPattern', () => {
  it.each([
    ['a leaf that is not an array', { source: 'orderflow.orders' }],
    ['an empty leaf', { source: [] }],
    ['an unknown operator', { source: [{ regex: 'x' }] }],
    ['cidr', { ip: [{ cidr: '10.0.0.0/24' }] }],
    ['odd numeric', { n: [{ numeric: ['>'] }] }],
    ['$or with one branch', { $or: [{ a: ['b'] }] }],
  ])('rejects %s', (_name, pattern) => {
    expect(() => assertValidEventPattern(pattern)).toThrow(InvalidEventPatternError);
  });
});
