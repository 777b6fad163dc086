/**
 * The public entry point: compile a definition once, run many executions concurrently.
 */
import { randomUUID } from 'node:crypto';
import { systemClock, type Clock } from './clock';
import { DefinitionCompiler, type CompiledDefinition, type QueryLanguage } from './compiler';
import { ExecutionRun, ExecutionStopped, Frame, type InspectionStep, type MachineSettings, type StopReason } from './engine';
import { ExecutionFailure, StateMachineDefinitionError, StatesErrors } from './errors';
import { materializeEvent, type HistoryEvent } from './history';
import { createIntegrations, type IntegrationsOptions } from './integrations/index';
import { IntegrationRegistry } from './integrations/types';
import { jsonSize, toPlainJson, type Json, type JsonObject } from './json';
import { runWorkflow } from './states/state-node';
import { TaskTokenRegistry } from './task-tokens';

export interface StateMachineOptions {
  /** The resources Task states call: a registry, or the pieces to build one. */
  integrations?: IntegrationRegistry | IntegrationsOptions;
  /** Time source for Wait/Retry delays and timestamps (default: the system clock). */
  clock?: Clock;
  /** Multiplies every Wait and Retry delay (0 = don't wait; semantics and timestamps unchanged). Default 1. */
  waitScale?: number;
  /** Record the execution history (default true). Executions can override it. */
  recordHistory?: boolean;
  /** For ARNs and `$$` (defaults: us-east-1, 123456789012, aws). */
  region?: string;
  accountId?: string;
  partition?: string;
  /** The state machine's name (default `StateMachine`) and the execution role in `$$.Execution.RoleArn`. */
  stateMachineName?: string;
  roleArn?: string;
  /** Randomness for JitterStrategy FULL (default Math.random). */
  random?: () => number;
  /**
   * AWS's payload quota in bytes (default 262144, 256 KiB), checked on the execution input, task
   * results and Map/Parallel results; past it a state fails with States.DataLimitExceeded.
   * `false` turns the check off.
   */
  payloadSizeLimit?: number | false;
  /** STANDARD (default) or EXPRESS: the execution ARN's form and `$$.Execution` (no RedriveCount) follow it. */
  type?: 'STANDARD' | 'EXPRESS';
}

export interface ExecuteOptions {
  /** Execution name (default: a UUID). */
  name?: string;
  /** Aborting it stops the execution: status ABORTED. */
  signal?: AbortSignal;
  /** Overrides the machine's recordHistory for this execution. */
  recordHistory?: boolean;
  /**
   * Called with each state's name as it is entered, before the state does anything (nested
   * states too). Stopping the execution from here (aborting `signal`) stops it before that
   * state runs, with no Retry or Catch: how tests kill an execution at a chosen point.
   */
  onStateEntered?: (stateName: string) => void;
  /**
   * Called with the tested state's data as it is processed (after InputPath, Parameters or
   * Arguments, the result, after ResultSelector and ResultPath; the error of a failed attempt;
   * the variables it assigned): what a Step Functions TestState shows as inspection data.
   */
  onInspection?: (stateName: string, step: InspectionStep, value: Json) => void;
  /** Variables in scope from the start (as TestState's `variables`). */
  variables?: JsonObject;
  /** The execution's ARN when a host (a Step Functions endpoint) gave it one; default: AWS's form for the machine's type. */
  executionArn?: string;
}

export type ExecutionStatus = 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface ExecutionResult {
  status: ExecutionStatus;
  /** The final output (SUCCEEDED). */
  output?: Json;
  /** Error and cause (FAILED; TIMED_OUT has error States.Timeout). */
  error?: string;
  cause?: string;
  /** GetExecutionHistory-shaped events, empty when history is off. */
  history: HistoryEvent[];
  /** States entered, nested ones included. */
  stateTransitions: number;
  startDate: Date;
  stopDate: Date;
  executionArn: string;
  name: string;
}

/** The input of an execution is not JSON or too large (StartExecution's InvalidExecutionInput). */
export class InvalidExecutionInputError extends Error {
  override name = 'InvalidExecutionInputError';
}

/** The execution name breaks AWS's rules (StartExecution's InvalidName). */
export class InvalidExecutionNameError extends Error {
  override name = 'InvalidExecutionNameError';
}

// 1 to 80 characters; no whitespace, brackets, wildcards, special or control characters.
const EXECUTION_NAME_FORBIDDEN = /[\s<>{}[\]?*"#%\\^|~`$&,;:/]/;

function isValidExecutionName(name: string): boolean {
  if (name.length < 1 || name.length > 80 || EXECUTION_NAME_FORBIDDEN.test(name)) return false;
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    if (code <= 0x1f || (code >= 0x7f && code <= 0x9f)) return false;
  }
  return true;
}

function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 80) || 'StateMachine';
}

/** A compiled state machine. Immutable: any number of executions may run at once. */
export class StateMachine {
  readonly definition: unknown;
  readonly queryLanguage: QueryLanguage;
  readonly stateMachineArn: string;
  readonly name: string;
  private readonly compiled: CompiledDefinition;
  private readonly settings: MachineSettings;

  /** Use compileStateMachine(). */
  constructor(definition: unknown, compiled: CompiledDefinition, settings: MachineSettings) {
    this.definition = definition;
    this.compiled = compiled;
    this.settings = settings;
    this.queryLanguage = compiled.queryLanguage;
    this.stateMachineArn = settings.stateMachineArn;
    this.name = settings.stateMachineName;
  }

  /**
   * Answers the token of a `.waitForTaskToken` task with its result (SendTaskSuccess):
   * `output` is JSON text or a value. Throws TaskTokenNotFoundError for an unknown token.
   */
  sendTaskSuccess(taskToken: string, output: string | Json): void {
    this.settings.taskTokens.success(taskToken, output);
  }

  /** Fails the task waiting on a token (SendTaskFailure). */
  sendTaskFailure(taskToken: string, error?: string, cause?: string): void {
    this.settings.taskTokens.failure(taskToken, error, cause);
  }

  /** Keeps a waiting task alive past its HeartbeatSeconds (SendTaskHeartbeat). */
  sendTaskHeartbeat(taskToken: string): void {
    this.settings.taskTokens.heartbeat(taskToken);
  }

  /** Runs one execution to its end. Never rejects for failures of the execution itself. */
  async execute(input: unknown = {}, options: ExecuteOptions = {}): Promise<ExecutionResult> {
    let inputJson: Json;
    try {
      inputJson = toPlainJson(input);
    } catch (error) {
      throw new InvalidExecutionInputError(`The execution input is not JSON: ${(error as Error).message}`);
    }
    const settings =
      options.recordHistory === undefined || options.recordHistory === this.settings.recordHistory
        ? this.settings
        : { ...this.settings, recordHistory: options.recordHistory };
    if (settings.payloadSizeLimit !== undefined && jsonSize(inputJson) > settings.payloadSizeLimit) {
      throw new InvalidExecutionInputError(`The execution input exceeds the maximum size of ${settings.payloadSizeLimit} bytes`);
    }
    const name = options.name ?? randomUUID();
    if (!isValidExecutionName(name)) {
      throw new InvalidExecutionNameError(`Invalid execution name '${name}': 1 to 80 characters, without whitespace, brackets, wildcards or special characters`);
    }
    const run = new ExecutionRun(settings, inputJson, name, options.executionArn);
    run.onStateEntered = options.onStateEntered;
    run.inspect = options.onInspection;
    run.addEvent(
      undefined,
      'ExecutionStarted',
      'executionStartedEventDetails',
      run.recording ? { input: inputJson, roleArn: settings.roleArn } : undefined,
    );
    const top = new Frame(run, undefined, undefined, 0);
    if (options.variables) top.seedVariables(toPlainJson(options.variables) as JsonObject);

    // Stop sources: the caller's signal and the machine timeout (a real-time guard for tasks;
    // waits are checked against the execution's own clock). Only armed when present.
    const signal = options.signal;
    let stopped: Promise<never> | undefined;
    let cleanup: (() => void) | undefined;
    if (signal !== undefined || settings.timeoutSeconds !== undefined) {
      let rejectStopped: ((error: ExecutionStopped) => void) | undefined;
      stopped = new Promise<never>((_, reject) => {
        rejectStopped = reject;
      });
      stopped.catch(() => undefined);
      run.onStop = (reason) => rejectStopped?.(new ExecutionStopped(reason));
      const onAbort = (): void => run.stop('ABORTED');
      if (signal?.aborted) run.stop('ABORTED');
      else signal?.addEventListener('abort', onAbort, { once: true });
      const guard =
        settings.timeoutSeconds !== undefined ? setTimeout(() => run.stop('TIMED_OUT'), settings.timeoutSeconds * 1000) : undefined;
      guard?.unref?.();
      cleanup = () => {
        if (guard !== undefined) clearTimeout(guard);
        signal?.removeEventListener('abort', onAbort);
      };
    }

    let result: Omit<ExecutionResult, 'history' | 'stateTransitions' | 'startDate' | 'stopDate' | 'executionArn' | 'name'>;
    try {
      const work = runWorkflow(top, this.compiled.workflow, inputJson);
      let output: Json;
      if (!(work instanceof Promise)) output = work;
      else if (stopped === undefined) output = await work;
      else {
        work.catch(() => undefined);
        output = await Promise.race([work, stopped]);
      }
      run.addEvent(top, 'ExecutionSucceeded', 'executionSucceededEventDetails', run.recording ? { output } : undefined);
      result = { status: 'SUCCEEDED', output };
    } catch (error) {
      if (error instanceof ExecutionStopped || run.stopReason !== undefined) {
        const reason: StopReason = run.stopReason ?? 'ABORTED';
        if (reason === 'TIMED_OUT') {
          run.addEvent(top, 'ExecutionTimedOut', 'executionTimedOutEventDetails', run.recording ? { error: StatesErrors.Timeout } : undefined, 0);
          result = { status: 'TIMED_OUT', error: StatesErrors.Timeout };
        } else {
          run.addEvent(top, 'ExecutionAborted', 'executionAbortedEventDetails', run.recording ? {} : undefined);
          result = { status: 'ABORTED' };
        }
      } else {
        const failure = error instanceof ExecutionFailure ? error : top.toFailure(error);
        const details: { error?: string; cause?: string } = {};
        if (failure.error !== undefined) details.error = failure.error;
        if (failure.cause !== undefined) details.cause = failure.cause;
        run.addEvent(top, 'ExecutionFailed', 'executionFailedEventDetails', run.recording ? details : undefined);
        result = { status: 'FAILED', ...details };
      }
    } finally {
      run.finished = true;
      cleanup?.();
      // Anything still running after a stop (an abandoned branch, a slow task) is told to stop.
      if (run.stopReason !== undefined) run.controller.abort(new ExecutionStopped(run.stopReason));
    }
    const recorded = run.history;
    let history: HistoryEvent[] | undefined;
    return {
      ...result,
      // History is shaped (JSON text, Dates) when first read.
      get history(): HistoryEvent[] {
        return (history ??= recorded ? recorded.map(materializeEvent) : []);
      },
      stateTransitions: run.transitions,
      startDate: new Date(run.startMs),
      stopDate: new Date(top.now()),
      executionArn: run.executionArn,
      name,
    };
  }
}

/**
 * Validates and compiles a definition (an object, or its JSON text as CDK synthesizes it).
 * Throws StateMachineDefinitionError listing every problem, each naming its state and field.
 */
export function compileStateMachine(definition: unknown, options: StateMachineOptions = {}): StateMachine {
  let parsed = definition;
  if (typeof definition === 'string') {
    try {
      parsed = JSON.parse(definition) as unknown;
    } catch (error) {
      throw new StateMachineDefinitionError([
        { code: 'INVALID_JSON_DESCRIPTION', location: '', message: `The definition is not valid JSON: ${(error as Error).message}` },
      ]);
    }
  }
  const integrations =
    options.integrations instanceof IntegrationRegistry ? options.integrations : createIntegrations(options.integrations ?? {});
  const compiler = new DefinitionCompiler(integrations);
  const compiled = compiler.compile(parsed);
  if (compiled === undefined) throw new StateMachineDefinitionError(compiler.diagnostics);
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '123456789012';
  const partition = options.partition ?? 'aws';
  const stateMachineName = safeName(options.stateMachineName ?? 'StateMachine');
  const waitScale = options.waitScale ?? 1;
  if (!(waitScale >= 0) || !Number.isFinite(waitScale)) throw new RangeError('waitScale must be a finite number >= 0');
  const settings: MachineSettings = {
    clock: options.clock ?? systemClock,
    waitScale,
    integrations,
    region,
    accountId,
    partition,
    stateMachineName,
    stateMachineArn: `arn:${partition}:states:${region}:${accountId}:stateMachine:${stateMachineName}`,
    roleArn: options.roleArn ?? `arn:${partition}:iam::${accountId}:role/StepFunctions-${stateMachineName}-role`,
    recordHistory: options.recordHistory ?? true,
    random: options.random ?? Math.random,
    taskTokens: new TaskTokenRegistry(),
    payloadSizeLimit: options.payloadSizeLimit === false ? undefined : (options.payloadSizeLimit ?? 262_144),
    timeoutSeconds: compiled.timeoutSeconds,
    type: options.type ?? 'STANDARD',
  };
  return new StateMachine(parsed, compiled, settings);
}
