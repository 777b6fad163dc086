import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { TemplateFunction } from '@orderflow/order-workflow';
import type { Context } from 'aws-lambda';

/**
 * The template's Lambda functions, run in this process: each handler is loaded from the
 * source file its `orderflow:handler` metadata names (apps/api), with the environment
 * variables the template gives it, and invoked the way the Lambda runtime does (a
 * Lambda-shaped context, the function's timeout, the runtime's error document).
 */

export type Handler = (event: unknown, context: Context, callback?: (error?: unknown, result?: unknown) => void) => unknown;

export interface LocalFunction extends TemplateFunction {
  memorySizeMB: number;
  handler: Handler;
}

export interface InvocationResult {
  ok: boolean;
  /** The handler's result (ok). */
  result?: unknown;
  /** The runtime's error document (not ok): errorType is the error's name. */
  error?: { errorType: string; errorMessage: string; trace: string[] };
  durationMs: number;
  requestId: string;
}

export class FunctionConfigurationError extends Error {
  override name = 'FunctionConfigurationError';
}

/**
 * Every function's environment is applied to this one process (apps/api reads its settings
 * from process.env once per process, as a Lambda execution environment does). That is only
 * faithful if the functions agree on every variable they share: checked here.
 */
export function mergeFunctionEnvironments(functions: Pick<TemplateFunction, 'logicalId' | 'environment'>[]): Record<string, string> {
  const merged: Record<string, string> = {};
  const owner: Record<string, string> = {};
  for (const fn of functions) {
    for (const [name, value] of Object.entries(fn.environment)) {
      if (name in merged && merged[name] !== value) {
        throw new FunctionConfigurationError(
          `${fn.logicalId} and ${owner[name]} set ${name} to different values; one process cannot run both as configured`,
        );
      }
      merged[name] = value;
      owner[name] = fn.logicalId;
    }
  }
  return merged;
}

/** Imports each function's handler from its source file (relative to the repository root). */
export async function loadFunctions<T extends TemplateFunction & { memorySizeMB?: number }>(
  root: string,
  functions: T[],
): Promise<(T & LocalFunction)[]> {
  const modules = new Map<string, Promise<Record<string, unknown>>>();
  return Promise.all(
    functions.map(async (fn) => {
      const file = join(root, fn.handlerFile);
      let loading = modules.get(file);
      if (!loading) {
        loading = import(pathToFileURL(file).href) as Promise<Record<string, unknown>>;
        modules.set(file, loading);
      }
      let module: Record<string, unknown>;
      try {
        module = await loading;
      } catch (error) {
        throw new FunctionConfigurationError(`${fn.logicalId}: cannot load ${fn.handlerFile}: ${(error as Error).message}`);
      }
      const handler = module[fn.handlerExport];
      if (typeof handler !== 'function') {
        throw new FunctionConfigurationError(`${fn.logicalId}: ${fn.handlerFile} exports no function ${fn.handlerExport}`);
      }
      return { ...fn, memorySizeMB: fn.memorySizeMB ?? 128, handler: handler as Handler };
    }),
  );
}

export interface ContextOptions {
  region: string;
  accountId: string;
  /** Deadline of the invocation (the function's timeout). */
  deadline: number;
  requestId?: string;
}

/** A context as the Node.js Lambda runtime passes it. */
export function lambdaContext(fn: Pick<LocalFunction, 'logicalId' | 'memorySizeMB'>, options: ContextOptions): Context {
  const day = new Date().toISOString().slice(0, 10).replaceAll('-', '/');
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: fn.logicalId,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${options.region}:${options.accountId}:function:${fn.logicalId}`,
    memoryLimitInMB: String(fn.memorySizeMB),
    awsRequestId: options.requestId ?? randomUUID(),
    logGroupName: `/aws/lambda/${fn.logicalId}`,
    logStreamName: `${day}/[$LATEST]${randomBytes(16).toString('hex')}`,
    getRemainingTimeInMillis: () => Math.max(0, options.deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

function errorDocument(error: unknown): NonNullable<InvocationResult['error']> {
  if (error instanceof Error) {
    const errorType = error.name || 'Error';
    return { errorType, errorMessage: error.message, trace: (error.stack ?? `${errorType}: ${error.message}`).split('\n') };
  }
  return { errorType: typeof error, errorMessage: String(error), trace: [] };
}

/** Invokes a handler as Lambda does: a JSON copy of the event, the timeout, errors as the runtime reports them. */
export async function invokeFunction(
  fn: LocalFunction,
  event: unknown,
  options: { region: string; accountId: string },
): Promise<InvocationResult> {
  const started = Date.now();
  const timeoutMs = fn.timeoutSeconds * 1000;
  const context = lambdaContext(fn, { ...options, deadline: started + timeoutMs });
  const requestId = context.awsRequestId;
  // Lambda hands the handler a fresh parse of the JSON payload.
  const payload = event === undefined ? {} : (JSON.parse(JSON.stringify(event)) as unknown);
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const result = await Promise.race([
      new Promise<unknown>((resolve, reject) => {
        const callback = (error?: unknown, value?: unknown) => (error ? reject(error) : resolve(value));
        context.done = (error?: Error, value?: unknown) => callback(error, value);
        context.fail = (error: Error | string) => callback(typeof error === 'string' ? new Error(error) : error);
        context.succeed = (value: unknown) => callback(undefined, value);
        try {
          const returned = fn.handler(payload, context, callback);
          if (returned && typeof (returned as PromiseLike<unknown>).then === 'function') Promise.resolve(returned).then(resolve, reject);
          else if (fn.handler.length < 3) resolve(returned);
        } catch (error) {
          reject(error);
        }
      }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          const error = new Error(`${requestId} Task timed out after ${fn.timeoutSeconds.toFixed(2)} seconds`);
          error.name = 'Sandbox.Timedout';
          reject(error);
        }, timeoutMs);
      }),
    ]);
    // What the runtime sends back is the JSON text of the result.
    const json = result === undefined ? undefined : (JSON.parse(JSON.stringify(result) ?? 'null') as unknown);
    return { ok: true, result: json, durationMs: Date.now() - started, requestId };
  } catch (error) {
    return { ok: false, error: errorDocument(error), durationMs: Date.now() - started, requestId };
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}
