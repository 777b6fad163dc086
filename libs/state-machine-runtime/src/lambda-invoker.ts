/**
 * The one in-process Lambda invoker: a handler run as the Node.js Lambda runtime runs it — a
 * fresh parse of the JSON payload, a Lambda-shaped context (name, version, ARN, memory, request
 * id, log group and stream, remaining time), promise or callback style, the function's timeout
 * (`Sandbox.Timedout`), and the runtime's error document for anything thrown. The runtime's
 * Lambda integration uses it, and so do the local stack and the tests (through
 * `@orderflow/local-aws`'s `invokeFunction`).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { LambdaCallback, LambdaContext, LambdaFunctionDefinition } from './integrations/lambda';

export interface Invocation {
  ok: boolean;
  /** The response body: the serialized result, or the error document. */
  payloadText: string;
  /** The error's type (not ok): the thrown error's name. */
  errorType?: string;
  requestId: string;
  durationMs: number;
}

export interface InvokeOptions {
  functionName: string;
  /** A version or alias the function was invoked with. */
  qualifier?: string | undefined;
  region: string;
  accountId: string;
  /** The request body (JSON text); none: `{}`, as Lambda gives a function invoked without a payload. */
  eventText: string | undefined;
  /** The invocation's time (for the log stream's date); now by default. */
  now?: number;
  /** What the caller has left (a Step Functions task's own timeout): the context reports the smaller. */
  remainingTimeMillis?: () => number;
  requestId?: string;
}

function errorDocument(error: unknown): { errorType: string; text: string } {
  // The Node.js runtime's error document (errorType = the error's name).
  if (error instanceof Error) {
    const errorType = error.name || 'Error';
    const trace = (error.stack ?? `${errorType}: ${error.message}`).split('\n');
    return { errorType, text: JSON.stringify({ errorMessage: error.message, errorType, trace }) };
  }
  const errorType = typeof error;
  return { errorType, text: JSON.stringify({ errorMessage: String(error), errorType, trace: [] }) };
}

export async function invokeLambdaHandler(definition: LambdaFunctionDefinition, options: InvokeOptions): Promise<Invocation> {
  const requestId = options.requestId ?? randomUUID();
  const { functionName, qualifier } = options;
  const timeoutMs = definition.timeoutSeconds !== undefined ? definition.timeoutSeconds * 1000 : undefined;
  const started = Date.now();
  let event: unknown;
  try {
    event = options.eventText === undefined ? {} : (JSON.parse(options.eventText) as unknown);
  } catch {
    return {
      ok: false,
      errorType: 'Runtime.UserCodeSyntaxError',
      payloadText: JSON.stringify({ errorMessage: 'Could not parse request body into json', errorType: 'InvalidRequestContentException' }),
      requestId,
      durationMs: 0,
    };
  }
  const lambdaContext: LambdaContext = {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: qualifier && /^\d+$/.test(qualifier) ? qualifier : '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${options.region}:${options.accountId}:function:${functionName}${qualifier ? `:${qualifier}` : ''}`,
    memoryLimitInMB: String(definition.memorySizeMB ?? 128),
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `${new Date(options.now ?? Date.now()).toISOString().slice(0, 10).replaceAll('-', '/')}/[$LATEST]${randomBytes(16).toString('hex')}`,
    getRemainingTimeInMillis: () => {
      const own = timeoutMs === undefined ? Infinity : timeoutMs - (Date.now() - started);
      return Math.max(0, Math.min(own, options.remainingTimeMillis?.() ?? Infinity));
    },
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
  const result = new Promise<unknown>((resolve, reject) => {
    const callback: LambdaCallback = (error, value) => (error ? reject(error) : resolve(value));
    lambdaContext.done = (error, value) => callback(error, value);
    lambdaContext.fail = (error) => callback(typeof error === 'string' ? new Error(error) : error);
    lambdaContext.succeed = (value) => callback(undefined, value);
    try {
      const returned = (definition.handler as (e: unknown, c: LambdaContext, cb: LambdaCallback) => unknown)(event, lambdaContext, callback);
      if (returned instanceof Promise || (returned && typeof (returned as PromiseLike<unknown>).then === 'function')) {
        Promise.resolve(returned).then(resolve, reject);
      } else if (returned !== undefined || definition.handler.length < 3) {
        resolve(returned);
      }
    } catch (error) {
      reject(error);
    }
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const value = await (timeoutMs === undefined
      ? result
      : Promise.race([
          result,
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => {
              const seconds = (timeoutMs / 1000).toFixed(2);
              reject(Object.assign(new Error(`RequestId: ${requestId} Error: Task timed out after ${seconds} seconds`), { name: 'Sandbox.Timedout', stack: undefined }));
            }, timeoutMs);
          }),
        ]));
    const serialize = definition.serializeResponse ?? ((v: unknown) => JSON.stringify(v) ?? 'null');
    return { ok: true, payloadText: value === undefined ? 'null' : serialize(value), requestId, durationMs: Date.now() - started };
  } catch (error) {
    const doc = errorDocument(error);
    return { ok: false, errorType: doc.errorType, payloadText: doc.text, requestId, durationMs: Date.now() - started };
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}
