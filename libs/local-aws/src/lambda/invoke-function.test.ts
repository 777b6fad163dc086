import type { LambdaHandler } from '@orderflow/state-machine-runtime';
import { describe, expect, it } from 'vitest';
import { type InProcessFunction, invokeFunction } from './invoke-function';

type Handler = (event: unknown, context: { functionName: string; invokedFunctionArn: string; memoryLimitInMB: string; getRemainingTimeInMillis(): number; awsRequestId: string; logGroupName: string }, callback?: (e?: unknown, r?: unknown) => void) => unknown;

const fn = (handler: Handler, timeoutSeconds = 3): InProcessFunction => ({
  name: 'TestFunction',
  timeoutSeconds,
  memorySizeMB: 256,
  handler: handler as LambdaHandler,
});
const where = { region: 'us-east-1', accountId: '000000000000' };

describe('invokeFunction', () => {
  it('gives the handler a JSON copy of the event and a Lambda context', async () => {
    const event = { a: 1, when: new Date('2026-01-01T00:00:00Z') };
    const outcome = await invokeFunction(
      fn(async (received, context) => ({
        received,
        same: received === event,
        name: context.functionName,
        arn: context.invokedFunctionArn,
        memory: context.memoryLimitInMB,
        remaining: context.getRemainingTimeInMillis(),
        requestId: context.awsRequestId,
      })),
      event,
      where,
    );
    expect(outcome.ok).toBe(true);
    expect(outcome.result).toMatchObject({
      received: { a: 1, when: '2026-01-01T00:00:00.000Z' },
      same: false,
      name: 'TestFunction',
      arn: 'arn:aws:lambda:us-east-1:000000000000:function:TestFunction',
      memory: '256',
      requestId: outcome.requestId,
    });
    const remaining = (outcome.result as { remaining: number }).remaining;
    expect(remaining).toBeGreaterThan(0);
    expect(remaining).toBeLessThanOrEqual(3000);
    const context = (await invokeFunction(fn(async (_e, c) => ({ group: c.logGroupName })), {}, where)).result;
    expect(context).toEqual({ group: '/aws/lambda/TestFunction' });
  });

  it("reports a thrown error as the runtime's error document, its name as errorType", async () => {
    class OutOfStockError extends Error {
      override name = 'OutOfStockError';
    }
    const outcome = await invokeFunction(fn(async () => Promise.reject(new OutOfStockError('no mugs'))), {}, where);
    expect(outcome).toMatchObject({ ok: false, error: { errorType: 'OutOfStockError', errorMessage: 'no mugs' } });
    expect(outcome.error?.trace[0]).toContain('OutOfStockError: no mugs');
  });

  it('supports callback-style handlers', async () => {
    const outcome = await invokeFunction(fn(((_e: unknown, _c: unknown, callback: (e?: unknown, r?: unknown) => void) => callback(undefined, 'done')) as Handler), {}, where);
    expect(outcome).toMatchObject({ ok: true, result: 'done' });
  });

  it("stops waiting at the function's timeout, as Lambda does", async () => {
    // The handler never answers: only the timeout can end the invocation.
    const outcome = await invokeFunction(fn(() => new Promise(() => undefined), 0.05), {}, where);
    expect(outcome).toMatchObject({ ok: false, error: { errorType: 'Sandbox.Timedout' } });
    expect(outcome.error?.errorMessage).toMatch(/Task timed out after 0\.05 seconds/);
  });
});

