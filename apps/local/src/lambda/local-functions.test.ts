import { describe, expect, it } from 'vitest';
import { fixtureTemplate } from '../test/template-fixture';
import { functionSpecsFromTemplate, localResourceNames } from '../template/local-resources';
import { FunctionConfigurationError, type Handler, invokeFunction, lambdaContext, type LocalFunction, loadFunctions, mergeFunctionEnvironments } from './local-functions';
import { workspaceRoot } from '@orderflow/dynamodb-local';

const fn = (handler: Handler, timeoutSeconds = 3): LocalFunction => ({
  logicalId: 'TestFunction',
  arn: 'arn:aws:lambda:us-east-1:000000000000:function:TestFunction',
  handlerSource: 'x.ts#handler',
  handlerFile: 'x.ts',
  handlerExport: 'handler',
  environment: {},
  timeoutSeconds,
  memorySizeMB: 256,
  handler,
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

describe('lambdaContext', () => {
  it('counts down to the deadline', () => {
    const context = lambdaContext({ logicalId: 'F', memorySizeMB: 128 }, { region: 'eu-west-1', accountId: '1', deadline: Date.now() + 1000 });
    expect(context.getRemainingTimeInMillis()).toBeLessThanOrEqual(1000);
    expect(context.logGroupName).toBe('/aws/lambda/F');
    expect(context.invokedFunctionArn).toBe('arn:aws:lambda:eu-west-1:1:function:F');
  });
});

describe('mergeFunctionEnvironments', () => {
  it('merges what the functions agree on and refuses a conflict, naming both functions', () => {
    expect(
      mergeFunctionEnvironments([
        { logicalId: 'A', environment: { TABLE_NAME: 't', X: '1' } },
        { logicalId: 'B', environment: { TABLE_NAME: 't', Y: '2' } },
      ]),
    ).toEqual({ TABLE_NAME: 't', X: '1', Y: '2' });
    expect(() =>
      mergeFunctionEnvironments([
        { logicalId: 'A', environment: { TABLE_NAME: 't' } },
        { logicalId: 'B', environment: { TABLE_NAME: 'u' } },
      ]),
    ).toThrow(/B and A set TABLE_NAME to different values/);
  });
});

describe('loadFunctions', () => {
  const template = fixtureTemplate();
  const specs = functionSpecsFromTemplate(template, localResourceNames(template));

  it("imports each handler from the file its metadata names", async () => {
    const loaded = await loadFunctions(workspaceRoot(), specs);
    expect(loaded.map((f) => f.logicalId)).toEqual(['GetThingFunction', 'ConsumeFunction', 'JobFunction']);
    const outcome = await invokeFunction(loaded[1] as LocalFunction, {}, where);
    expect(outcome.result).toEqual({ consumed: true });
  });

  it('names the function when its handler cannot be found', async () => {
    const missingExport = specs.map((s) => ({ ...s, handlerExport: 'notAFunction' }));
    await expect(loadFunctions(workspaceRoot(), missingExport)).rejects.toThrow(/GetThingFunction: .* exports no function notAFunction/);
    const missingFile = specs.map((s) => ({ ...s, handlerFile: 'apps/local/src/test/nope.ts' }));
    await expect(loadFunctions(workspaceRoot(), missingFile)).rejects.toThrow(FunctionConfigurationError);
  });
});
