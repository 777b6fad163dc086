import { ERROR_CATALOGUE, keys, MAX_CART_LINES, orderEventId } from '@orderflow/contracts';
import aslValidator from 'asl-validator';
import jsonata from 'jsonata';
import { describe, expect, it } from 'vitest';
import { API_GATEWAY_TIMEOUT_SECONDS, longestPath, pathCost, SUCCESS_PATH, WORK_RESERVE_SECONDS } from './budget';
import {
  type AslDefinition,
  type AslState,
  BUSINESS_ERRORS,
  buildCheckoutDefinition,
  CHECKOUT_DEFAULTS,
  ERROR_RESPONSE_FROM_ERROR_OUTPUT,
  minimumCheckoutLockSeconds,
} from './checkout-definition';
import { CHECKOUT_TASK_FUNCTIONS, EVENT_BUS_NAME_PLACEHOLDER, TABLE_NAME_PLACEHOLDER } from './checkout-functions';

const definition = buildCheckoutDefinition();

/** Every state, with the states inside Map processors. */
function allStates(def: AslDefinition, prefix = ''): [string, AslState][] {
  return Object.entries(def.States).flatMap(([name, state]) => {
    const inner = (state['ItemProcessor'] ?? state['Iterator']) as AslDefinition | undefined;
    return [[`${prefix}${name}`, state] as [string, AslState], ...(inner ? allStates(inner, `${prefix}${name}/`) : [])];
  });
}

function jsonataStrings(value: unknown, found: string[] = []): string[] {
  if (typeof value === 'string') {
    const match = /^\{%([\s\S]*)%\}$/.exec(value);
    if (match?.[1]) found.push(match[1]);
  } else if (Array.isArray(value)) {
    value.forEach((v) => jsonataStrings(v, found));
  } else if (value && typeof value === 'object') {
    Object.values(value).forEach((v) => jsonataStrings(v, found));
  }
  return found;
}

/** The definition with placeholders replaced as CloudFormation would. */
function substituted(def: AslDefinition): AslDefinition {
  const values: Record<string, string> = {
    [TABLE_NAME_PLACEHOLDER]: 'orderflow-table',
    [EVENT_BUS_NAME_PLACEHOLDER]: 'orderflow-bus',
  };
  for (const spec of Object.values(CHECKOUT_TASK_FUNCTIONS)) {
    values[spec.placeholder] = `arn:aws:lambda:us-east-1:123456789012:function:${spec.handler}`;
  }
  const text = JSON.stringify(def).replace(/\$\{([A-Za-z]+)\}/g, (m, key: string) => values[key] ?? m);
  return JSON.parse(text) as AslDefinition;
}

describe('the checkout definition', () => {
  it('is JSONata on the whole machine and nowhere overridden', () => {
    expect(definition.QueryLanguage).toBe('JSONata');
    for (const [name, state] of allStates(definition)) expect(state['QueryLanguage'], name).toBeUndefined();
    expect(JSON.stringify(definition)).not.toMatch(/"(InputPath|OutputPath|ResultPath|Parameters|ResultSelector)"/);
  });

  it('uses only known placeholders', () => {
    const placeholders = new Set(JSON.stringify(definition).match(/\$\{[A-Za-z]+\}/g));
    const known = new Set([
      `\${${TABLE_NAME_PLACEHOLDER}}`,
      `\${${EVENT_BUS_NAME_PLACEHOLDER}}`,
      ...Object.values(CHECKOUT_TASK_FUNCTIONS).map((f) => `\${${f.placeholder}}`),
    ]);
    expect([...placeholders].sort()).toEqual([...known].sort());
  });

  it('is valid ASL (asl-validator)', () => {
    const { isValid, errorsText } = aslValidator(substituted(definition));
    expect(isValid, errorsText('\n')).toBe(true);
  });

  it('has only JSONata expressions that compile', () => {
    const expressions = jsonataStrings(definition);
    expect(expressions.length).toBeGreaterThan(50);
    for (const expression of expressions) expect(() => jsonata(expression), expression).not.toThrow();
  });

  it('catches every failure of every task and map', () => {
    for (const [name, state] of allStates(definition)) {
      if (state.Type !== 'Task' && state.Type !== 'Map') continue;
      const catchers = (state['Catch'] ?? []) as { ErrorEquals: string[] }[];
      expect(catchers.some((c) => c.ErrorEquals.includes('States.ALL')), name).toBe(true);
    }
  });

  it('retries transient errors only, with full jitter', () => {
    for (const [name, state] of allStates(definition)) {
      for (const retrier of (state['Retry'] ?? []) as Record<string, unknown>[]) {
        expect(retrier['JitterStrategy'], name).toBe('FULL');
        expect(retrier['MaxAttempts'], name).toBeLessThanOrEqual(2);
        const errors = retrier['ErrorEquals'] as string[];
        for (const forbidden of [...BUSINESS_ERRORS, 'States.ALL', 'States.TaskFailed', 'States.Timeout']) {
          expect(errors, `${name} must not retry ${forbidden}`).not.toContain(forbidden);
        }
      }
    }
    const authorize = definition.States['AuthorizeCardPayment'];
    expect(JSON.stringify(authorize?.['Retry'])).toContain('PaymentProviderUnavailableError');
  });

  it('reserves lines in a Map with bounded concurrency', () => {
    const map = definition.States['ReserveLines'];
    expect(map?.Type).toBe('Map');
    expect(map?.['MaxConcurrency']).toBe(CHECKOUT_DEFAULTS.maxConcurrency);
    expect(map?.['MaxConcurrency']).toBeLessThan(MAX_CART_LINES);
  });

  it('keeps the retry waits of a placed order well inside the synchronous budget', () => {
    const fullCart = pathCost(definition, SUCCESS_PATH);
    const typicalCart = pathCost(definition, SUCCESS_PATH, 10);
    // Waits are upper bounds (full jitter draws below them); the rest of 29 s is for the work.
    expect(fullCart.retryWaitSeconds).toBeLessThanOrEqual(API_GATEWAY_TIMEOUT_SECONDS - WORK_RESERVE_SECONDS);
    expect(typicalCart.retryWaitSeconds).toBeLessThan(fullCart.retryWaitSeconds);
    // The worst cascade (a resumed execution whose capture cannot be recorded, every
    // compensation step failing to the sweep), every retry at its longest draw, still ends
    // inside the execution's timeout. It used to be asked to fit in half of a 120 s timeout;
    // the timeout is now short because it bounds the recovery window (the lock outlasts it and
    // the longest task), and an execution that does run over is not lost: recovery finishes it
    // (docs/design.md, "Crash-safe checkout").
    expect(longestPath(definition).retryWaitSeconds).toBeLessThan(CHECKOUT_DEFAULTS.timeoutSeconds);
    expect(CHECKOUT_DEFAULTS.idempotencyLockSeconds).toBeGreaterThanOrEqual(minimumCheckoutLockSeconds(CHECKOUT_DEFAULTS.timeoutSeconds));
  });

  it('derives the idempotency key from the contracts key format', async () => {
    const claim = definition.States['ClaimIdempotencyKey'] as unknown as { Arguments: { Item: { PK: { S: string }; SK: { S: string } } } };
    const pk = claim.Arguments.Item.PK.S.replace(/^\{%|%\}$/g, '');
    const value = (await jsonata(pk).evaluate({}, { customerId: 'cust-42', idempotencyKey: 'k#1' })) as string;
    expect({ PK: value, SK: claim.Arguments.Item.SK.S }).toEqual(keys.idempotency('cust-42', 'k#1'));
  });

  it('writes the outbox item with the contracts key formats: pending in GSI1, with the stable event id', async () => {
    const put = definition.States['RecordUnpublishedEvent'] as unknown as {
      Arguments: { Item: Record<string, { S?: string; N?: string }>; ConditionExpression: string };
    };
    const evaluate = async (attribute: string) => {
      const text = put.Arguments.Item[attribute]?.S ?? '';
      const expression = /^\{%([\s\S]*)%\}$/.exec(text)?.[1];
      const context = { states: { context: { State: { EnteredTime: '2025-01-01T00:00:00.000Z' } } } };
      return expression ? ((await jsonata(expression).evaluate({}, { orderId: 'ord_1', ...context })) as string) : text;
    };
    expect({ PK: await evaluate('PK'), SK: await evaluate('SK') }).toEqual(keys.outbox('ord_1', 'OrderPlaced'));
    expect({ GSI1PK: await evaluate('GSI1PK'), GSI1SK: await evaluate('GSI1SK') }).toEqual(
      keys.outboxPending('2025-01-01T00:00:00.000Z', 'ord_1', 'OrderPlaced'),
    );
    expect(await evaluate('eventId')).toBe(orderEventId('ord_1', 'OrderPlaced'));
    expect(await evaluate('status')).toBe('PENDING');
    expect(put.Arguments.ConditionExpression).toBe('attribute_not_exists(PK)');
    // Both events carry their stable id, so consumers drop a second publication of either.
    expect(put.Arguments.Item['detail']?.S).toContain('"eventId": $orderId & "#OrderPlaced"');
    expect(JSON.stringify(definition.States['PublishOrderPlaced'])).toContain('\\"eventId\\": $orderId & \\"#OrderPlaced\\"');
    expect(JSON.stringify(definition.States['PublishOrderRejected'])).toContain('\\"eventId\\": $orderId & \\"#OrderRejected\\"');
  });

  it('keeps an OrderRejected it could not publish in the outbox too', () => {
    const publish = definition.States['PublishOrderRejected'] as AslState & { Catch: { Next: string }[] };
    expect(publish.Catch.map((c) => c.Next)).toEqual(['RecordUnpublishedRejection']);
    const put = definition.States['RecordUnpublishedRejection'] as unknown as {
      Next: string;
      Arguments: { Item: Record<string, { S?: string }> };
    };
    expect(put.Next).toBe('FinishIdempotency');
    expect(put.Arguments.Item['detailType']?.S).toBe('OrderRejected');
    expect(put.Arguments.Item['SK']?.S).toContain('OrderRejected');
    expect(put.Arguments.Item['GSI1PK']?.S).toBe(keys.outboxPendingPartition);
    expect(put.Arguments.Item['eventId']?.S).toBe('{% $orderId & "#OrderRejected" %}');
  });

  it.each([
    ['ReleaseReservations', 'RecordUnfinishedRelease', 'RELEASE_RESERVATIONS', 'CompensatePayment'],
    ['VoidPayment', 'RecordUnfinishedVoid', 'VOID_PAYMENT', 'CancelOrderIfSaved'],
    ['RefundPayment', 'RecordUnfinishedRefund', 'REFUND_PAYMENT', 'CancelOrderIfSaved'],
  ] as const)('records a %s that fails after its retries for the sweep (%s), with the contracts key formats', async (step, record, action, next) => {
    const compensation = definition.States[step] as AslState & { Catch: { ErrorEquals: string[]; Next: string }[]; Next: string };
    expect(compensation.Catch).toEqual([expect.objectContaining({ ErrorEquals: ['States.ALL'], Next: record })]);
    const put = definition.States[record] as unknown as {
      Next: string;
      Catch: { Next: string }[];
      Arguments: { Item: Record<string, { S?: string; N?: string }>; ConditionExpression: string };
    };
    // Recorded or not, compensation goes on as before.
    expect([put.Next, put.Catch[0]?.Next, compensation.Next]).toEqual([next, next, next]);
    const variables = {
      orderId: 'ord_1',
      compensationError: 'PaymentProviderUnavailableError',
      payment: { method: 'card', provider: 'stripe', authorizationId: 'pi_1', status: 'AUTHORIZED' },
      cart: { total: { amount: 1299, currency: 'USD' } },
      states: { context: { State: { EnteredTime: '2025-01-01T00:00:00.000Z' }, Execution: { Name: 'cust-1-req' } } },
    };
    const item: Record<string, string> = {};
    for (const [attribute, value] of Object.entries(put.Arguments.Item)) {
      const text = value.S ?? value.N ?? '';
      const expression = /^\{%([\s\S]*)%\}$/.exec(text)?.[1];
      item[attribute] = expression ? String(await jsonata(expression).evaluate({}, variables)) : text;
    }
    expect(item).toMatchObject({
      ...keys.compensation('ord_1', action),
      ...keys.compensationPending('2025-01-01T00:00:00.000Z', 'ord_1', action),
      status: 'PENDING',
      action,
      orderId: 'ord_1',
      attempts: '0',
      lastError: 'PaymentProviderUnavailableError',
      executionName: 'cust-1-req',
    });
    if (action === 'RELEASE_RESERVATIONS') expect(item).not.toHaveProperty('payment');
    else {
      expect(JSON.parse(item['payment'] ?? '')).toEqual(variables.payment);
      expect(JSON.parse(item['amount'] ?? '')).toEqual(variables.cart.total);
    }
    expect(put.Arguments.ConditionExpression).toBe('attribute_not_exists(PK) OR #status = :done');
  });

  it('prices a keyed checkout keeping its quote, and a resumed one from its first quote', async () => {
    const price = definition.States['PriceCart'] as unknown as { Arguments: { Payload: { quote: string } } };
    const expression = jsonata(/^\{%([\s\S]*)%\}$/.exec(price.Arguments.Payload.quote)?.[1] ?? '');
    expect(await expression.evaluate({}, { idempotencyKey: null, resumed: false })).toBe('none');
    expect(await expression.evaluate({}, { idempotencyKey: 'k', resumed: false })).toBe('keep');
    expect(await expression.evaluate({}, { idempotencyKey: 'k', resumed: true })).toBe('resume');
    expect((definition.States['TakeOverIdempotencyKey'] as unknown as { Assign: Record<string, unknown> }).Assign['resumed']).toBe(true);
  });

  it('refuses a lock shorter than the execution timeout plus the longest task', () => {
    expect(() => buildCheckoutDefinition({ timeoutSeconds: 100, idempotencyLockSeconds: 60 })).toThrow(RangeError);
    // A task of a timed-out execution runs on to its function's timeout (8 s at most here).
    expect(minimumCheckoutLockSeconds(20)).toBe(29);
    expect(() => buildCheckoutDefinition({ timeoutSeconds: 20, idempotencyLockSeconds: 28 })).toThrow(/at least 29/);
    expect(() => buildCheckoutDefinition({ timeoutSeconds: 20, idempotencyLockSeconds: 29 })).not.toThrow();
  });
});

describe('ERROR_RESPONSE_FROM_ERROR_OUTPUT', () => {
  const expression = jsonata(ERROR_RESPONSE_FROM_ERROR_OUTPUT);
  // AWS's $parse, as Step Functions adds it.
  expression.registerFunction('parse', (text: string) => JSON.parse(text) as unknown, '<s:x>');
  const evaluate = async (errorOutput: unknown) =>
    (await expression.evaluate({}, { states: { errorOutput } })) as { statusCode: number; body: string };

  it('answers with the response a handler put in its error', async () => {
    const response = { statusCode: 409, body: { error: { code: 'OUT_OF_STOCK', message: 'No mugs.' } } };
    const cause = JSON.stringify({ errorType: 'OutOfStockError', errorMessage: JSON.stringify(response), trace: ['at x'] });
    const result = await evaluate({ Error: 'OutOfStockError', Cause: cause });
    expect(result.statusCode).toBe(409);
    expect(JSON.parse(result.body)).toEqual(response.body);
  });

  it.each([
    ['a task timeout', { Error: 'States.Timeout', Cause: 'Task timed out.' }, 'TIMEOUT'],
    ['a Lambda timeout', { Error: 'Sandbox.Timedout', Cause: '{"errorMessage":"Task timed out after 5.00 seconds"}' }, 'TIMEOUT'],
    ['a Lambda service fault', { Error: 'Lambda.ServiceException', Cause: '{"errorMessage":"boom"}' }, 'INTERNAL'],
    ['a plain error with a stack', { Error: 'TypeError', Cause: '{"errorMessage":"x is undefined","trace":["at secret.ts:1"]}' }, 'INTERNAL'],
    ['a non-JSON cause', { Error: 'Whatever', Cause: 'not json' }, 'INTERNAL'],
    ['no cause', { Error: 'States.Runtime' }, 'INTERNAL'],
  ])('maps %s to the catalogue, never leaking the cause', async (_name, errorOutput, code) => {
    const result = await evaluate(errorOutput);
    const entry = ERROR_CATALOGUE[code as 'TIMEOUT' | 'INTERNAL'];
    expect(result.statusCode).toBe(entry.status);
    expect(JSON.parse(result.body)).toEqual({ error: { code, message: entry.message } });
  });
});
