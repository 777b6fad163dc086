/**
 * The Task state: Parameters or Arguments to its integration, timeouts and heartbeats, callback tokens, the integration's history events.
 * One module per state type: its compilation (from the definition) beside its execution.
 */
import type { DefinitionCompiler } from '../compiler';
import type { Frame} from '../engine';
import { BranchCancelled, ExecutionStopped, isControlSignal } from '../engine';
import { ExecutionFailure, runtimeFailure, StatesErrors, TaskFailure } from '../errors';
import { parseResource, type TaskContext, type TaskIntegration } from '../integrations/types';
import { isJsonObject, type Json, jsonTypeName, toJsonText, toPlainJson } from '../json';
import { isJsonataString, type JsonataTemplate } from '../jsonata';
import type { PayloadTemplate } from '../jsonpath-scope';
import { COMMON_FIELDS, ERROR_FIELDS, FLOW_FIELDS, JSONPATH_IO_FIELDS, MAX_SECONDS, NO_RESULT, type StateCtx, WITH_RESULT } from './compile-context';
import { evaluateNumber, ExecutionState, finishJsonataResult, finishJsonPath, type JsonPathResultFields } from './execution-state';
import { checkPayloadSize, type FilterPath, type NumberField, selectPath, type StateNode } from './state-node';


export interface TaskFields extends JsonPathResultFields {
  resource: string;
  integration: TaskIntegration;
  pattern: 'request-response' | 'sync' | 'waitForTaskToken';
  inputPath?: FilterPath;
  parameters?: PayloadTemplate;
  arguments?: JsonataTemplate;
  output?: JsonataTemplate;
  timeout?: NumberField;
  heartbeat?: NumberField;
}

export const DEFAULT_TASK_TIMEOUT_SECONDS = 99999999;

export class TaskState extends ExecutionState {
  readonly type = 'Task';
  constructor(
    name: string,
    jsonata: boolean,
    nextName: string | undefined,
    readonly f: TaskFields,
  ) {
    super(name, jsonata, nextName);
    this.setEventTypes(true);
  }

  protected attempt(frame: Frame, input: Json): Promise<Json> {
    return this.attemptAsync(frame, input);
  }

  protected override onUncaught(frame: Frame): void {
    // AWS records the Task as aborted when its failure ends a Parallel branch.
    if (frame.kind === 'branch') frame.run.addEvent(frame, 'TaskStateAborted');
  }

  private async attemptAsync(frame: Frame, input: Json): Promise<Json> {
    const f = this.f;
    // A callback task gets a new token per attempt: `$$.Task.Token` / `$states.context.Task.Token`.
    frame.taskToken = f.pattern === 'waitForTaskToken' ? frame.run.settings.taskTokens.newToken() : undefined;
    let parameters: Json;
    let timeout: Json | undefined;
    let heartbeat: Json | undefined;
    const inspect = frame.run.inspect;
    if (this.jsonata) {
      const bindings = frame.bindings(frame.statesBinding(input));
      timeout = await evaluateNumber(frame, f.timeout, input, bindings);
      heartbeat = await evaluateNumber(frame, f.heartbeat, input, bindings);
      parameters = f.arguments ? await f.arguments.evaluate(bindings) : input;
      inspect?.(this.name, 'afterArguments', parameters);
    } else {
      const effective = selectPath(frame, f.inputPath, input);
      inspect?.(this.name, 'afterInputPath', effective);
      timeout = await evaluateNumber(frame, f.timeout, effective, undefined);
      heartbeat = await evaluateNumber(frame, f.heartbeat, effective, undefined);
      parameters = f.parameters ? f.parameters.evaluate(frame.withInput(effective)) : effective;
      inspect?.(this.name, 'afterParameters', parameters);
    }
    const timeoutSeconds = checkPositiveInteger(timeout, 'TimeoutSeconds', f.timeout);
    const heartbeatSeconds = checkPositiveInteger(heartbeat, 'HeartbeatSeconds', f.heartbeat);
    const result = await this.invoke(frame, parameters, timeoutSeconds, heartbeatSeconds, frame.taskToken);
    inspect?.(this.name, 'result', result);
    if (this.jsonata) return finishJsonataResult(frame, input, result, f.output, f.assign);
    return finishJsonPath(frame, f, input, result);
  }

  private async invoke(
    frame: Frame,
    parameters: Json,
    timeoutSeconds: number | undefined,
    heartbeatSeconds: number | undefined,
    taskToken: string | undefined,
  ): Promise<Json> {
    const run = frame.run;
    const integration = this.f.integration;
    const lambdaStyle = integration.historyStyle === 'lambda-function';
    const recording = run.recording;
    const taskFields = { resourceType: integration.resourceType, resource: integration.resourceName };
    if (lambdaStyle) {
      const details: Record<string, unknown> = recording ? { resource: this.f.resource, input: parameters } : {};
      if (recording && timeoutSeconds !== undefined) details['timeoutInSeconds'] = timeoutSeconds;
      run.addEvent(frame, 'LambdaFunctionScheduled', 'lambdaFunctionScheduledEventDetails', recording ? details : undefined);
      run.addEvent(frame, 'LambdaFunctionStarted');
    } else {
      if (recording) {
        const details: Record<string, unknown> = { ...taskFields, region: run.settings.region, parameters };
        if (timeoutSeconds !== undefined) details['timeoutInSeconds'] = timeoutSeconds;
        if (heartbeatSeconds !== undefined) details['heartbeatInSeconds'] = heartbeatSeconds;
        run.addEvent(frame, 'TaskScheduled', 'taskScheduledEventDetails', details);
        run.addEvent(frame, 'TaskStarted', 'taskStartedEventDetails', taskFields);
      } else {
        run.addEvent(frame, 'TaskScheduled');
        run.addEvent(frame, 'TaskStarted');
      }
    }

    const timeoutMs = (timeoutSeconds ?? DEFAULT_TASK_TIMEOUT_SECONDS) * 1000;
    const taskController = new AbortController();
    const signal = AbortSignal.any([frame.signal, taskController.signal]);
    const startedReal = Date.now();
    const context: TaskContext = {
      resource: this.f.resource,
      stateName: this.name,
      executionArn: run.executionArn,
      executionName: run.executionName,
      stateMachineArn: run.settings.stateMachineArn,
      region: run.settings.region,
      accountId: run.settings.accountId,
      timeoutSeconds,
      heartbeatSeconds,
      taskToken,
      signal,
      remainingTimeMillis: () => Math.max(0, timeoutMs - (Date.now() - startedReal)),
      now: () => frame.now(),
    };

    let call: Promise<unknown>;
    try {
      call = Promise.resolve(integration.invoke(parameters, context));
    } catch (error) {
      call = Promise.reject(error);
    }
    let outcome = await this.race(frame, call, timeoutMs - (Date.now() - startedReal), undefined, undefined);

    if (taskToken !== undefined && 'ok' in outcome && outcome.ok) {
      // The request was delivered: the task now waits for its token to be answered.
      const submitted = toPlainJson(outcome.value);
      run.addEvent(frame, 'TaskSubmitted', 'taskSubmittedEventDetails', recording ? { ...taskFields, output: submitted } : undefined);
      outcome = await this.race(frame, undefined, timeoutMs - (Date.now() - startedReal), taskToken, heartbeatSeconds);
    }

    if ('timedOut' in outcome) {
      taskController.abort(new Error('Task timed out'));
      const error = outcome.timedOut === 'heartbeat' ? StatesErrors.HeartbeatTimeout : StatesErrors.Timeout;
      const cause =
        outcome.timedOut === 'heartbeat'
          ? `The task '${this.name}' sent no heartbeat for ${heartbeatSeconds ?? 0} seconds.`
          : `The task '${this.name}' did not complete within ${timeoutSeconds ?? DEFAULT_TASK_TIMEOUT_SECONDS} seconds.`;
      if (lambdaStyle) run.addEvent(frame, 'LambdaFunctionTimedOut', 'lambdaFunctionTimedOutEventDetails', recording ? { error, cause } : undefined);
      else run.addEvent(frame, 'TaskTimedOut', 'taskTimedOutEventDetails', recording ? { ...taskFields, error, cause } : undefined);
      throw new ExecutionFailure(error, cause);
    }
    if (outcome.ok) {
      const result = toPlainJson(outcome.value);
      checkPayloadSize(frame, this.name, result);
      if (lambdaStyle) run.addEvent(frame, 'LambdaFunctionSucceeded', 'lambdaFunctionSucceededEventDetails', recording ? { output: result } : undefined);
      else run.addEvent(frame, 'TaskSucceeded', 'taskSucceededEventDetails', recording ? { ...taskFields, output: result } : undefined);
      return result;
    }
    if (frame.signal.aborted || isControlSignal(outcome.error)) {
      if (!run.finished) run.addEvent(frame, 'TaskStateAborted');
      const reason: unknown = frame.signal.reason;
      throw reason instanceof ExecutionStopped || reason instanceof BranchCancelled ? reason : new ExecutionStopped('ABORTED');
    }
    const { error, cause } = describeTaskError(outcome.error);
    if (lambdaStyle) {
      const details: Record<string, string> = {};
      if (error !== undefined) details['error'] = error;
      if (cause !== undefined) details['cause'] = cause;
      run.addEvent(frame, 'LambdaFunctionFailed', 'lambdaFunctionFailedEventDetails', recording ? details : undefined);
    } else {
      const details: Record<string, string> = { ...taskFields };
      if (error !== undefined) details['error'] = error;
      if (cause !== undefined) details['cause'] = cause;
      run.addEvent(frame, 'TaskFailed', 'taskFailedEventDetails', recording ? details : undefined);
    }
    throw new ExecutionFailure(error, cause);
  }

  /**
   * Waits for the integration call (or, with a token, for the token's answer), the task's
   * timeout, a missed heartbeat, or the execution stopping, whichever comes first.
   */
  private race(
    frame: Frame,
    call: Promise<unknown> | undefined,
    timeoutMs: number,
    taskToken: string | undefined,
    heartbeatSeconds: number | undefined,
  ): Promise<{ ok: true; value: unknown } | { ok: false; error: unknown } | { timedOut: 'timeout' | 'heartbeat' }> {
    return new Promise((resolve) => {
      const signal = frame.signal;
      let timer: ReturnType<typeof setTimeout> | undefined;
      let heartbeatTimer: ReturnType<typeof setTimeout> | undefined;
      let unregister: (() => void) | undefined;
      const finish = (outcome: { ok: true; value: unknown } | { ok: false; error: unknown } | { timedOut: 'timeout' | 'heartbeat' }): void => {
        if (timer !== undefined) clearTimeout(timer);
        if (heartbeatTimer !== undefined) clearTimeout(heartbeatTimer);
        signal.removeEventListener('abort', onAbort);
        unregister?.();
        resolve(outcome);
      };
      const onAbort = (): void => finish({ ok: false, error: signal.reason });
      if (signal.aborted) {
        finish({ ok: false, error: signal.reason });
        return;
      }
      signal.addEventListener('abort', onAbort, { once: true });
      if (timeoutMs < 2_147_483_647) timer = setTimeout(() => finish({ timedOut: 'timeout' }), Math.max(0, timeoutMs));
      if (taskToken !== undefined) {
        const armHeartbeat = (): void => {
          if (heartbeatSeconds === undefined) return;
          if (heartbeatTimer !== undefined) clearTimeout(heartbeatTimer);
          heartbeatTimer = setTimeout(() => finish({ timedOut: 'heartbeat' }), heartbeatSeconds * 1000);
        };
        unregister = frame.run.settings.taskTokens.register(taskToken, {
          settle: (answer) =>
            finish(answer.ok ? { ok: true, value: answer.output } : { ok: false, error: new ExecutionFailure(answer.error, answer.cause) }),
          heartbeat: armHeartbeat,
        });
        armHeartbeat();
      }
      call?.then(
        (value) => finish({ ok: true, value }),
        (error: unknown) => finish({ ok: false, error }),
      );
    });
  }
}

export function checkPositiveInteger(value: Json | undefined, name: string, field: NumberField | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0 || value > DEFAULT_TASK_TIMEOUT_SECONDS) {
    if (field?.kind === 'jsonata') {
      throw runtimeFailure(
        StatesErrors.QueryEvaluationError,
        `The JSONata expression specified for the field '${field.field}' returned an unexpected result type. Expected a positive integer, but was '${jsonTypeName(value)}' for value: ${toJsonText(value)}`,
      );
    }
    throw runtimeFailure(StatesErrors.Runtime, `The ${name}Path field refers to value "${typeof value === 'string' ? value : toJsonText(value)}" which is not a valid positive integer`);
  }
  return value;
}

/** AWS's payload quota: a result past it fails the state with States.DataLimitExceeded (terminal). */

/** Error and Cause of anything an integration threw. */
export function describeTaskError(error: unknown): { error: string | undefined; cause: string | undefined } {
  if (error instanceof ExecutionFailure) return { error: error.error, cause: error.cause };
  if (error instanceof TaskFailure) return { error: error.error, cause: error.errorCause };
  if (error instanceof Error) return { error: error.name || 'Error', cause: error.message };
  return { error: 'Error', cause: typeof error === 'string' ? error : toJsonText(error as Json) };
}

// ---------------------------------------------------------------------------------------------

// Compilation

/** The fields a Task state may have. */
export const TASK_FIELDS = [
  ...COMMON_FIELDS, ...FLOW_FIELDS, ...JSONPATH_IO_FIELDS, ...ERROR_FIELDS,
  'Resource', 'Parameters', 'Arguments', 'Credentials', 'ResultPath', 'ResultSelector', 'Output', 'Assign',
  'TimeoutSeconds', 'TimeoutSecondsPath', 'HeartbeatSeconds', 'HeartbeatSecondsPath',
];

export function compileTask(c: DefinitionCompiler, raw: Record<string, Json>, ctx: StateCtx, nextName: string | undefined): StateNode | undefined {
  const resource = raw['Resource'];
  if (typeof resource !== 'string') {
    c.stateError(ctx, 'Resource', 'is required and must be a string (an ARN)');
    return undefined;
  }
  const parsed = parseResource(resource);
  if (parsed?.pattern === 'sync') {
    c.stateError(ctx, 'Resource', "the '.sync' integration pattern is not supported by this runtime (use the request-response form)", 'UNSUPPORTED_INTEGRATION');
  }
  const integration = c.integrations.resolve(resource);
  if (!integration) {
    const known = c.integrations.describe();
    c.stateError(
      ctx,
      'Resource',
      `no integration is registered for '${resource}'${known.length ? ` (registered: ${known.join('; ')})` : ' (no integrations are registered)'}`,
      'UNKNOWN_RESOURCE',
    );
  }
  if (integration && parsed?.pattern === 'waitForTaskToken' && !(integration.patterns ?? []).includes('waitForTaskToken')) {
    c.stateError(ctx, 'Resource', `'${resource}' does not support the '.waitForTaskToken' integration pattern`, 'UNSUPPORTED_INTEGRATION');
  }
  const timeout = c.numberField(raw, 'TimeoutSeconds', ctx, (n) => Number.isInteger(n) && n > 0 && n <= MAX_SECONDS, `a positive integer no larger than ${MAX_SECONDS}`);
  const heartbeat = c.numberField(raw, 'HeartbeatSeconds', ctx, (n) => Number.isInteger(n) && n > 0 && n <= MAX_SECONDS, `a positive integer no larger than ${MAX_SECONDS}`);
  if (timeout?.kind === 'literal' && heartbeat?.kind === 'literal' && heartbeat.value >= timeout.value) {
    c.stateError(ctx, 'HeartbeatSeconds', `must be smaller than TimeoutSeconds (${heartbeat.value} >= ${timeout.value})`);
  }
  if (raw['Credentials'] !== undefined && !isJsonObject(raw['Credentials'])) c.stateError(ctx, 'Credentials', 'must be an object');
  const parameters = c.payloadTemplate(raw, 'Parameters', ctx);
  const args = c.jsonataTemplate(raw, 'Arguments', ctx, NO_RESULT);
  if (integration?.validateParameters) {
    const staticParams = ctx.jsonata ? raw['Arguments'] : raw['Parameters'];
    if (staticParams !== undefined && !(ctx.jsonata && isJsonataString(staticParams))) {
      for (const problem of integration.validateParameters(staticParams)) {
        c.stateError(ctx, ctx.jsonata ? 'Arguments' : 'Parameters', problem);
      }
    }
  }
  if (!integration) return undefined;
  const fields: ConstructorParameters<typeof TaskState>[3] = {
    resource,
    integration: integration as NonNullable<typeof integration>,
    pattern: parsed?.pattern ?? 'request-response',
    inputPath: c.filterPath(raw, 'InputPath', ctx),
    outputPath: c.filterPath(raw, 'OutputPath', ctx),
    resultPath: c.resultPath(raw, 'ResultPath', ctx),
  };
  if (parameters) fields.parameters = parameters;
  if (args) fields.arguments = args;
  const resultSelector = c.payloadTemplate(raw, 'ResultSelector', ctx);
  if (resultSelector) fields.resultSelector = resultSelector;
  const output = c.jsonataTemplate(raw, 'Output', ctx, WITH_RESULT);
  if (output) fields.output = output;
  const assign = c.assign(raw, ctx, WITH_RESULT);
  if (assign) fields.assign = assign;
  if (timeout) fields.timeout = timeout;
  if (heartbeat) fields.heartbeat = heartbeat;
  return c.withErrors(new TaskState(ctx.name, ctx.jsonata, nextName, fields), raw, ctx);
}

