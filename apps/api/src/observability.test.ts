import { PriceCartTaskInputSchema } from '@orderflow/contracts';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { httpRoute, ok } from './http';
import { currentLogger, logger, serviceLogger } from './observability';
import { workflowTask } from './task';

/**
 * Two invocations of one handler run at once in one process (as the local stack runs
 * them): every log line must carry its own invocation's correlation ids, including the
 * lines of code that logs through the process-wide `logger` (adapters built once).
 */

type Line = Record<string, unknown>;
let writes: MockInstance<typeof process.stdout.write>[];
let lines: () => Line[];
const levelBefore = serviceLogger.getLevelName();

beforeEach(() => {
  serviceLogger.setLogLevel('DEBUG');
  const captured: string[] = [];
  // Powertools writes INFO and DEBUG to stdout, WARN and ERROR to stderr.
  writes = [process.stdout, process.stderr].map((stream) =>
    vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      captured.push(String(chunk));
      return true;
    }),
  );
  lines = () =>
    captured
      .join('')
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Line);
});

afterEach(() => {
  for (const write of writes) write.mockRestore();
  serviceLogger.setLogLevel(levelBefore);
});

function lambdaContext(awsRequestId: string): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'price-cart',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:price-cart',
    memoryLimitInMB: '512',
    awsRequestId,
    logGroupName: '/aws/lambda/price-cart',
    logStreamName: 'local',
    getRemainingTimeInMillis: () => 5000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

const payload = (orderId: string, executionName: string) => ({
  orderId,
  customerId: 'cust-1',
  items: [{ productId: 'mug', quantity: 1 }],
  correlation: { executionName, requestId: `request-${orderId.slice(-1)}` },
});

/** Two promises that each wait for the other, so the invocations interleave step by step. */
function rendezvous() {
  let arrive!: () => void;
  const arrived = new Promise<void>((resolve) => (arrive = resolve));
  return { arrive, arrived };
}

describe('log correlation', () => {
  it('keeps each concurrent task invocation on its own execution and request ids', async () => {
    const a = rendezvous();
    const b = rendezvous();
    const task = workflowTask('price-cart', PriceCartTaskInputSchema, async (input) => {
      const mine = input.orderId.endsWith('a') ? a : b;
      const theirs = mine === a ? b : a;
      logger.info('before the other invocation logs');
      mine.arrive();
      await theirs.arrived; // the other invocation has started and logged too
      logger.info('after the other invocation logged', { orderId: input.orderId });
      await new Promise((resolve) => setTimeout(resolve, mine === a ? 5 : 1));
      logger.warn('last line');
      return { orderId: input.orderId };
    });
    const payload = (suffix: 'a' | 'b') => ({
      orderId: `ord_0123456789abcde${suffix}`,
      customerId: 'cust-1',
      items: [{ productId: 'mug', quantity: 1 }],
      correlation: { executionName: `execution-${suffix}`, requestId: `request-${suffix}` },
    });

    const results = await Promise.all([task(payload('a'), lambdaContext('aws-request-a')), task(payload('b'), lambdaContext('aws-request-b'))]);
    expect(results.map((r) => r.orderId)).toEqual(['ord_0123456789abcdea', 'ord_0123456789abcdeb']);

    const logged = lines().filter((l) => l['task'] === 'price-cart' || String(l['message']).includes('other invocation'));
    // 3 lines from each run, plus each wrapper's "task succeeded" (debug).
    expect(logged).toHaveLength(8);
    for (const suffix of ['a', 'b'] as const) {
      const own = logged.filter((l) => l['correlationId'] === `execution-${suffix}`);
      expect(own).toHaveLength(4);
      for (const line of own) {
        expect(line).toMatchObject({
          task: 'price-cart',
          requestId: `request-${suffix}`,
          function_request_id: `aws-request-${suffix}`,
        });
        if (line['orderId'] !== undefined) expect(line['orderId']).toBe(`ord_0123456789abcde${suffix}`);
      }
    }
    // The lines really interleaved: b logged between a's first and last line.
    const order = logged.map((l) => l['correlationId']);
    expect(order.indexOf('execution-b')).toBeLessThan(order.lastIndexOf('execution-a'));
  });

  it('keeps concurrent HTTP requests apart, and leaves nothing behind on the process logger', async () => {
    const gate = rendezvous();
    const route = httpRoute('GET /orders/{orderId}', async (event) => {
      const id = event.pathParameters?.['orderId'] ?? '';
      if (id === 'one') await gate.arrived;
      else gate.arrive();
      logger.info('reading', { id });
      return ok({ id });
    });
    const event = (id: string) =>
      ({
        pathParameters: { orderId: id },
        headers: { 'X-Amzn-Trace-Id': `Root=1-trace-${id}` },
        requestContext: { requestId: `api-${id}` },
      }) as unknown as APIGatewayProxyEvent;
    await Promise.all([route(event('one')), route(event('two'))]);

    const reading = lines().filter((l) => l['message'] === 'reading');
    expect(reading.map((l) => [l['id'], l['requestId'], l['correlationId'], l['route']])).toEqual([
      ['two', 'api-two', 'Root=1-trace-two', 'GET /orders/{orderId}'],
      ['one', 'api-one', 'Root=1-trace-one', 'GET /orders/{orderId}'],
    ]);
    // Outside any invocation, no correlation key lingers.
    expect(currentLogger()).toBe(serviceLogger);
    logger.info('between invocations');
    const between = lines().find((l) => l['message'] === 'between invocations');
    expect(between).toBeDefined();
    expect(between).not.toHaveProperty('requestId');
    expect(between).not.toHaveProperty('correlationId');
    expect(between).not.toHaveProperty('route');
  });

  it("takes an invocation's logger only when the invocation writes a line, with the keys appended before", async () => {
    serviceLogger.setLogLevel('INFO');
    const createChild = vi.spyOn(serviceLogger, 'createChild');
    try {
      const quiet = workflowTask('price-cart', PriceCartTaskInputSchema, async (input) => {
        logger.debug('below the level');
        return { orderId: input.orderId };
      });
      const talkative = workflowTask('price-cart', PriceCartTaskInputSchema, async (input) => {
        logger.appendKeys({ orderId: input.orderId, absent: undefined });
        logger.info('one line');
        logger.info('two lines');
        return { orderId: input.orderId };
      });
      await quiet(payload('ord_0123456789abcdef', 'execution-quiet'));
      // Nothing written (the task's own "task succeeded" is DEBUG too): no logger made.
      expect(createChild).not.toHaveBeenCalled();
      expect(lines().filter((l) => l['correlationId'] === 'execution-quiet')).toEqual([]);

      await talkative(payload('ord_0123456789abcdee', 'execution-talkative'), lambdaContext('aws-request-talkative'));
      const written = lines().filter((l) => l['correlationId'] === 'execution-talkative');
      expect(written.map((l) => l['message'])).toEqual(['one line', 'two lines']);
      for (const line of written) {
        expect(line).toMatchObject({ task: 'price-cart', orderId: 'ord_0123456789abcdee', function_request_id: 'aws-request-talkative' });
        expect(line).not.toHaveProperty('absent');
      }
    } finally {
      createChild.mockRestore();
    }
  });

  it('reuses the logger of an ended invocation for the next one, with nothing of the first left on it', async () => {
    serviceLogger.setLogLevel('INFO');
    const task = workflowTask('price-cart', PriceCartTaskInputSchema, async (input) => {
      if (input.orderId.endsWith('1')) logger.appendKeys({ onlyTheFirst: true });
      logger.info('line', { orderId: input.orderId });
      return { orderId: input.orderId };
    });
    await task(payload('ord_0123456789abcd01', 'execution-first'), lambdaContext('aws-request-first'));
    const createChild = vi.spyOn(serviceLogger, 'createChild');
    try {
      await task(payload('ord_0123456789abcd02', 'execution-second'), lambdaContext('aws-request-second'));
      // The first invocation's logger, given back, served the second.
      expect(createChild).not.toHaveBeenCalled();
    } finally {
      createChild.mockRestore();
    }
    const [first, second] = ['execution-first', 'execution-second'].map((name) => lines().find((l) => l['correlationId'] === name));
    expect(first).toMatchObject({ onlyTheFirst: true, requestId: 'request-1', function_request_id: 'aws-request-first' });
    expect(second).toMatchObject({ orderId: 'ord_0123456789abcd02', function_request_id: 'aws-request-second' });
    expect(second).not.toHaveProperty('onlyTheFirst');
  });

  it('says cold_start: true on the first invocation of the process only, whatever logger serves it', async () => {
    vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'on-demand');
    try {
      const gate = rendezvous();
      const task = workflowTask('price-cart', PriceCartTaskInputSchema, async (input) => {
        logger.warn('line');
        if (input.orderId.endsWith('1')) await gate.arrived;
        else gate.arrive();
        return { orderId: input.orderId };
      });
      // Overlapping invocations: each needs a logger of its own, new ones made under on-demand.
      await Promise.all([
        task(payload('ord_0123456789abcd11', 'execution-cold-1'), lambdaContext('aws-request-cold-1')),
        task(payload('ord_0123456789abcd12', 'execution-cold-2'), lambdaContext('aws-request-cold-2')),
        task(payload('ord_0123456789abcd13', 'execution-cold-3'), lambdaContext('aws-request-cold-3')),
      ]);
      const coldStarts = lines()
        .filter((l) => l['message'] === 'line' && String(l['correlationId']).startsWith('execution-cold-'))
        .map((l) => l['cold_start']);
      expect(coldStarts).toHaveLength(3);
      expect(coldStarts.filter((c) => c === true)).toHaveLength(1);
      expect(coldStarts.filter((c) => c === false)).toHaveLength(2);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
