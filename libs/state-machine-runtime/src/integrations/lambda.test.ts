import { describe, expect, it } from 'vitest';
import { compileStateMachine } from '../state-machine';
import { eventTypes } from '../test-support';
import type { LambdaContext } from './lambda';

const ARN = 'arn:aws:lambda:us-east-1:123456789012:function:reserve-inventory';

class OutOfStockError extends Error {
  override name = 'OutOfStockError';
}

const functions = {
  'reserve-inventory': async (event: { sku: string; qty: number }, context: LambdaContext) => ({
    reserved: event.qty,
    sku: event.sku,
    fn: context.functionName,
    requestId: context.awsRequestId,
    remaining: context.getRemainingTimeInMillis() > 0,
  }),
  'out-of-stock': async () => {
    throw new OutOfStockError('No stock for mug-classic');
  },
  'throws-string': async () => {
    throw 'plain failure';
  },
  callback: (event: { v: number }, _context: LambdaContext, callback: (e?: unknown, r?: unknown) => void) => {
    setTimeout(() => callback(undefined, { doubled: event.v * 2 }), 1);
  },
  'mutates-event': async (event: { list: number[] }) => {
    event.list.push(99);
    return event;
  },
  slow: { handler: () => new Promise((r) => setTimeout(r, 2000)), timeoutSeconds: 0.05 },
};

const machine = (state: Record<string, unknown>) =>
  compileStateMachine({ StartAt: 'T', States: { T: { Type: 'Task', End: true, ...state } } }, { integrations: { lambdaFunctions: functions } });

describe('lambda:invoke (optimized integration)', () => {
  it("returns AWS's result shape: ExecutedVersion, Payload, SdkHttpMetadata, SdkResponseMetadata, StatusCode", async () => {
    const result = await machine({
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: 'reserve-inventory', 'Payload.$': '$' },
    }).execute({ sku: 'mug', qty: 2 });
    expect(result.status).toBe('SUCCEEDED');
    const output = result.output as Record<string, unknown>;
    expect(output).toMatchObject({
      ExecutedVersion: '$LATEST',
      Payload: { reserved: 2, sku: 'mug', fn: 'reserve-inventory', remaining: true },
      StatusCode: 200,
      SdkResponseMetadata: { RequestId: expect.stringMatching(/^[0-9a-f-]{36}$/) },
      SdkHttpMetadata: {
        HttpStatusCode: 200,
        HttpHeaders: expect.objectContaining({ 'Content-Type': 'application/json', 'X-Amz-Executed-Version': '$LATEST' }),
        AllHttpHeaders: expect.objectContaining({ Connection: ['keep-alive'] }),
      },
    });
    const payloadText = JSON.stringify((output['Payload'] as object));
    expect((output['SdkHttpMetadata'] as { HttpHeaders: Record<string, string> }).HttpHeaders['Content-Length']).toBe(String(Buffer.byteLength(payloadText)));
    // An X-Ray trace header of AWS's shape: root (epoch seconds + 24 hex), parent (16 hex), lineage (8 hex).
    expect((output['SdkHttpMetadata'] as { HttpHeaders: Record<string, string> }).HttpHeaders['X-Amzn-Trace-Id']).toMatch(
      /^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0;Lineage=1:[0-9a-f]{8}:0$/,
    );
    expect(eventTypes(result)).toEqual(['ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSucceeded', 'TaskStateExited', 'ExecutionSucceeded']);
    expect(result.history[2]?.taskScheduledEventDetails).toMatchObject({ resourceType: 'lambda', resource: 'invoke' });
  });

  it('accepts names, partial and full ARNs with qualifiers, and string payloads as raw JSON', async () => {
    for (const name of ['reserve-inventory', ARN, `${ARN}:$LATEST`, '123456789012:function:reserve-inventory', 'reserve-inventory:live']) {
      const r = await machine({ Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: name, Payload: { sku: 's', qty: 1 } } }).execute({});
      expect(r.status, name).toBe('SUCCEEDED');
    }
    const raw = await machine({ Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'reserve-inventory', Payload: '{"sku":"raw","qty":3}' } }).execute({});
    expect((raw.output as { Payload: { sku: string } }).Payload.sku).toBe('raw');
  });

  it("maps a thrown error: Error = its name, Cause = the runtime's error document", async () => {
    const result = await machine({ Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'out-of-stock' } }).execute({});
    expect(result).toMatchObject({ status: 'FAILED', error: 'OutOfStockError' });
    const cause = JSON.parse(result.cause as string) as Record<string, unknown>;
    expect(Object.keys(cause)).toEqual(['errorMessage', 'errorType', 'trace']);
    expect(cause).toMatchObject({ errorMessage: 'No stock for mug-classic', errorType: 'OutOfStockError' });
    expect((cause['trace'] as string[])[0]).toBe('OutOfStockError: No stock for mug-classic');
    const str = await machine({ Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'throws-string' } }).execute({});
    expect(str).toMatchObject({ error: 'string' });
    expect(JSON.parse(str.cause as string)).toEqual({ errorMessage: 'plain failure', errorType: 'string', trace: [] });
  });

  it('fails an unknown function the way AWS does', async () => {
    const result = await machine({ Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'nope' } }).execute({});
    expect(result.error).toBe('Lambda.ResourceNotFoundException');
    expect(result.cause).toMatch(
      /^Function not found: arn:aws:lambda:us-east-1:123456789012:function:nope:\$LATEST \(Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: [0-9a-f-]{36}; Proxy: null\)$/,
    );
  });

  it('supports callback-style handlers, gives handlers a copy of the event, and enforces the function timeout', async () => {
    const cb = await machine({ Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'callback', Payload: { v: 4 } } }).execute({});
    expect((cb.output as { Payload: unknown }).Payload).toEqual({ doubled: 8 });
    const input = { list: [1] };
    const mutated = await machine({ Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'mutates-event', 'Payload.$': '$' }, ResultPath: '$.r' }).execute(input);
    expect((mutated.output as { list: number[] }).list).toEqual([1]);
    const slow = await machine({ Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'slow' } }).execute({});
    expect(slow).toMatchObject({ status: 'FAILED', error: 'Sandbox.Timedout' });
  });

  it('JSONata Arguments work the same', async () => {
    const m = compileStateMachine(
      {
        QueryLanguage: 'JSONata',
        StartAt: 'T',
        States: { T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Arguments: { FunctionName: 'reserve-inventory', Payload: { sku: '{% $states.input.sku %}', qty: 1 } }, Output: '{% $states.result.Payload.sku %}', End: true } },
      },
      { integrations: { lambdaFunctions: functions } },
    );
    expect((await m.execute({ sku: 'x' })).output).toBe('x');
  });
});

describe('bare Lambda function ARNs', () => {
  it('passes the input as the event and returns the payload, with LambdaFunction* events', async () => {
    const result = await machine({ Resource: ARN, Parameters: { 'sku.$': '$.sku', qty: 5 } }).execute({ sku: 'cup' });
    expect(result.output).toMatchObject({ reserved: 5, sku: 'cup' });
    expect(eventTypes(result)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionSucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
    expect(result.history[2]?.lambdaFunctionScheduledEventDetails).toEqual({ resource: ARN, input: '{"sku":"cup","qty":5}', inputDetails: { truncated: false } });
  });

  it('reports function errors with LambdaFunctionFailed', async () => {
    const m = compileStateMachine(
      { StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:out-of-stock', End: true } } },
      { integrations: { lambdaFunctions: functions } },
    );
    const result = await m.execute({});
    expect(result.error).toBe('OutOfStockError');
    expect(result.history.find((e) => e.type === 'LambdaFunctionFailed')?.lambdaFunctionFailedEventDetails?.error).toBe('OutOfStockError');
  });
});
