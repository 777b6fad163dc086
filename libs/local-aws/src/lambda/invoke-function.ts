import { invokeLambdaHandler, type LambdaHandler } from '@orderflow/state-machine-runtime';

/**
 * A Lambda function run in this process, as the local services invoke it (an event bus's
 * asynchronous delivery, an API's proxy integration, a schedule, a test): the event goes in as
 * JSON, the result comes back parsed from the JSON the runtime would send, a failure as the
 * runtime's error document. Built on the one invoker (`invokeLambdaHandler`) that the ASL
 * runtime's Lambda tasks use too.
 */

export interface InProcessFunction {
  /** The function's name (its context's functionName; the template's logical id locally). */
  name: string;
  handler: LambdaHandler;
  timeoutSeconds: number;
  memorySizeMB?: number;
}

export interface InvocationResult {
  ok: boolean;
  /** The handler's result, as JSON would carry it (ok). */
  result?: unknown;
  /** The runtime's error document (not ok): errorType is the error's name. */
  error?: { errorType: string; errorMessage: string; trace: string[] };
  durationMs: number;
  requestId: string;
}

export async function invokeFunction(fn: InProcessFunction, event: unknown, options: { region: string; accountId: string }): Promise<InvocationResult> {
  const invocation = await invokeLambdaHandler(
    { handler: fn.handler, timeoutSeconds: fn.timeoutSeconds, ...(fn.memorySizeMB !== undefined ? { memorySizeMB: fn.memorySizeMB } : {}) },
    { functionName: fn.name, region: options.region, accountId: options.accountId, eventText: event === undefined ? undefined : JSON.stringify(event) },
  );
  const { durationMs, requestId } = invocation;
  if (invocation.ok) return { ok: true, result: JSON.parse(invocation.payloadText) as unknown, durationMs, requestId };
  const document = JSON.parse(invocation.payloadText) as { errorType?: string; errorMessage?: string; trace?: string[] };
  return {
    ok: false,
    error: { errorType: document.errorType ?? invocation.errorType ?? 'Error', errorMessage: document.errorMessage ?? '', trace: document.trace ?? [] },
    durationMs,
    requestId,
  };
}
