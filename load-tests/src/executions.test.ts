import { describe, expect, it } from 'vitest';
import { accountExecution, attributeCalls, type ExecutionDetail, functionNameFromArn, type HistoryEvent } from './executions';
import type { CapturedCall } from './probe-client';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();

/** A small history in Step Functions' format: a direct putItem, a Lambda, a Map of two Lambdas. */
function history(): HistoryEvent[] {
  const e: HistoryEvent[] = [];
  const add = (type: string, ms: number, previousEventId: number, details: Record<string, unknown> = {}) => {
    const id = e.length + 1;
    const key = `${type.charAt(0).toLowerCase()}${type.slice(1)}EventDetails`;
    e.push({ id, previousEventId, type, timestamp: at(ms), ...(Object.keys(details).length ? { [key]: details } : {}) });
    return id;
  };
  add('ExecutionStarted', 0, 0);
  let prev = add('TaskStateEntered', 0, 1, { name: 'Claim' });
  prev = add('TaskScheduled', 0, prev, { resourceType: 'dynamodb', resource: 'putItem', parameters: JSON.stringify({ Item: { PK: { S: 'IDEMPOTENCY#c#k' } } }) });
  prev = add('TaskStarted', 0, prev, { resourceType: 'dynamodb', resource: 'putItem' });
  prev = add('TaskSucceeded', 5, prev, { resourceType: 'dynamodb', resource: 'putItem' });
  prev = add('TaskStateExited', 5, prev, { name: 'Claim' });
  prev = add('TaskStateEntered', 5, prev, { name: 'PriceCart' });
  prev = add('TaskScheduled', 5, prev, {
    resourceType: 'lambda',
    resource: 'invoke',
    parameters: JSON.stringify({ FunctionName: 'arn:aws:lambda:us-east-1:000000000000:function:PriceCartFunction4EA469D1' }),
  });
  prev = add('TaskStarted', 5, prev, { resourceType: 'lambda', resource: 'invoke' });
  prev = add('TaskSucceeded', 15, prev, { resourceType: 'lambda', resource: 'invoke' });
  prev = add('TaskStateExited', 15, prev, { name: 'PriceCart' });
  const map = add('MapStateEntered', 15, prev, { name: 'Reserve' });
  const started = add('MapStateStarted', 15, map);
  for (const [i, end] of [
    [0, 25],
    [1, 30],
  ] as const) {
    const iteration = add('MapIterationStarted', 15, started, { name: 'Reserve', index: i });
    let p = add('TaskStateEntered', 15, iteration, { name: 'ReserveLine' });
    p = add('TaskScheduled', 15, p, { resourceType: 'lambda', resource: 'invoke', parameters: JSON.stringify({ FunctionName: 'ReserveLineFunction3D2A5952' }) });
    p = add('TaskStarted', 15, p, { resourceType: 'lambda', resource: 'invoke' });
    p = add('TaskSucceeded', end, p, { resourceType: 'lambda', resource: 'invoke' });
    add('TaskStateExited', end, p, { name: 'ReserveLine' });
  }
  prev = add('MapStateSucceeded', 30, e.length);
  prev = add('MapStateExited', 30, prev, { name: 'Reserve' });
  prev = add('TaskStateEntered', 30, prev, { name: 'Publish' });
  prev = add('TaskScheduled', 30, prev, { resourceType: 'events', resource: 'putEvents' });
  prev = add('TaskStarted', 30, prev, { resourceType: 'events', resource: 'putEvents' });
  prev = add('TaskSucceeded', 31, prev, { resourceType: 'events', resource: 'putEvents' });
  add('TaskStateExited', 31, prev, { name: 'Publish' });
  add('ExecutionSucceeded', 31, e.length);
  return e;
}

const execution: ExecutionDetail = {
  name: 'c-1',
  status: 'SUCCEEDED',
  durationMs: 31,
  stateTransitions: 8,
  httpStatus: 201,
  orderId: 'ord_x',
  startDate: at(0),
  stopDate: at(31),
  history: { events: history() },
};

describe('functionNameFromArn', () => {
  it('drops the ARN and the CDK hash', () => {
    expect(functionNameFromArn('arn:aws:lambda:us-east-1:000000000000:function:PriceCartFunction4EA469D1')).toBe('PriceCart');
    expect(functionNameFromArn('SendConfirmationFunction6E9A3DB1')).toBe('SendConfirmation');
  });
});

describe('accountExecution', () => {
  it('counts Lambda invocations and direct integrations, and times tasks and states', () => {
    const account = accountExecution(execution);
    expect(account.lambdaInvocations).toBe(3);
    expect(account.directCalls).toEqual({ 'dynamodb:putItem': 1, 'events:putEvents': 1 });
    expect(account.tasks.map((t) => [t.state, t.functionName, t.endMs - t.startMs])).toEqual([
      ['Claim', undefined, 5],
      ['PriceCart', 'PriceCart', 10],
      ['ReserveLine', 'ReserveLine', 10],
      ['ReserveLine', 'ReserveLine', 15],
      ['Publish', undefined, 1],
    ]);
    expect(account.tasks[0]?.dynamoPk).toBe('IDEMPOTENCY#c#k');
    expect(account.states.find((s) => s.state === 'Reserve')).toEqual({ state: 'Reserve', type: 'Map', ms: 15 });
    expect(account.states.filter((s) => s.state === 'ReserveLine').map((s) => s.ms)).toEqual([10, 15]);
  });
});

describe('attributeCalls', () => {
  const call = (target: string, start: number, end: number, body: unknown = {}): CapturedCall => ({
    kind: target.split(':')[0] ?? '',
    target,
    startMs: T0 + start,
    endMs: T0 + end,
    status: 200,
    method: 'POST',
    path: '/',
    headers: {},
    body: JSON.stringify(body),
  });

  it('gives each call to the task that made it, the rest to nobody (event consumers)', () => {
    const account = accountExecution(execution);
    const calls = [
      call('dynamodb:PutItem', 0.5, 4, { Item: { PK: { S: 'IDEMPOTENCY#c#k' } } }),
      call('dynamodb:BatchGetItem', 6, 12),
      call('dynamodb:TransactWriteItems', 16, 24),
      call('dynamodb:TransactWriteItems', 16.5, 29),
      call('dynamodb:PutItem', 30.2, 35, { Item: { PK: { S: 'EVENT_CONSUMER#x' } } }),
    ];
    const attributed = attributeCalls(account, calls);
    expect(attributed.map((a) => a.task?.state)).toEqual(['Claim', 'PriceCart', 'ReserveLine', 'ReserveLine', undefined]);
  });
});
