import { describe, expect, it } from 'vitest';
import { freshValue, substitute, traceFromCalls } from './dynamodb-replay';
import type { CapturedCall } from './probe-client';

const call = (target: string, start: number, end: number, body: string, kind = 'dynamodb'): CapturedCall => ({
  kind,
  target,
  startMs: start,
  endMs: end,
  status: 200,
  method: 'POST',
  path: '/',
  headers: { 'Content-Length': '10', Host: 'x', 'X-Amz-Target': `DynamoDB_20120810.${target.split(':')[1]}`, 'amz-sdk-request': 'attempt=1' },
  body,
});

const ORDER = 'ord_0123456789abcdef0123456789abcdef';

describe('traceFromCalls', () => {
  it('groups calls that overlapped, keeps order, drops other calls and per-request headers', () => {
    const trace = traceFromCalls(
      'checkout',
      [
        call('dynamodb:PutItem', 0, 2, `{"PK":"IDEMPOTENCY#c#key-1","orderId":"${ORDER}"}`),
        call('dynamodb:TransactWriteItems', 5, 9, `{"PK":"ORDER#${ORDER}"}`),
        call('dynamodb:TransactWriteItems', 6, 8, `{"PK":"ORDER#${ORDER}","x":2}`),
        call('http:127.0.0.1:1', 9, 12, 'amount=1', 'http'),
        call('dynamodb:UpdateItem', 13, 14, '{"execution":"c-0f8fad5b-d9cb-469f-a165-70867728950e"}'),
      ],
      ['key-1'],
    );
    expect(trace.groups.map((g) => g.map((c) => c.target))).toEqual([
      ['dynamodb:PutItem'],
      ['dynamodb:TransactWriteItems', 'dynamodb:TransactWriteItems'],
      ['dynamodb:UpdateItem'],
    ]);
    expect(trace.uniques).toEqual(expect.arrayContaining([ORDER, 'key-1', '0f8fad5b-d9cb-469f-a165-70867728950e']));
    expect(trace.groups[0]?.[0]?.headers).toEqual({ 'x-amz-target': 'DynamoDB_20120810.PutItem' });
  });
});

describe('substitute', () => {
  it('gives every replay new order ids, keys and request ids, the same everywhere in it', () => {
    const trace = traceFromCalls(
      'checkout',
      [
        call('dynamodb:PutItem', 0, 1, `{"PK":"IDEMPOTENCY#c#key-1","orderId":"${ORDER}"}`),
        call('dynamodb:PutItem', 2, 3, `{"PK":"ORDER#${ORDER}","response":"{\\"orderId\\":\\"${ORDER}\\"}"}`),
      ],
      ['key-1'],
    );
    const a = substitute(trace).flat();
    const b = substitute(trace).flat();
    const newOrder = (body: string) => /ord_[0-9a-f]{32}/.exec(body)?.[0];
    expect(newOrder(a[0]?.body ?? '')).not.toBe(ORDER);
    expect(newOrder(a[0]?.body ?? '')).toBe(newOrder(a[1]?.body ?? ''));
    expect(a[1]?.body.split(newOrder(a[1]?.body ?? '') ?? '?').length).toBe(3);
    expect(newOrder(a[0]?.body ?? '')).not.toBe(newOrder(b[0]?.body ?? ''));
    expect(a[0]?.body).not.toContain('key-1');
    expect(a[0]?.body).not.toBe(b[0]?.body);
  });

  it('keeps the shape of order ids and uuids', () => {
    expect(freshValue(ORDER)).toMatch(/^ord_[0-9a-f]{32}$/);
    expect(freshValue('0f8fad5b-d9cb-469f-a165-70867728950e')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(freshValue('load-abc-1')).not.toBe(freshValue('load-abc-1'));
  });
});
