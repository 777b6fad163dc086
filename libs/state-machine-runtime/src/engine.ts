/**
 * The run-time side of an execution: its history, clock, cancellation, and the frames in which
 * sequences of states run (the top level, each Parallel branch, each Map iteration).
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from './clock';
import { ExecutionFailure, runtimeFailure, StatesErrors } from './errors';
import { RecordedEvent, type HistoryEvent, type HistoryEventType } from './history';
import type { IntegrationRegistry } from './integrations/types';
import type { Json, JsonObject } from './json';
import type { ValueScope } from './jsonpath-scope';
import type { TaskTokenRegistry } from './task-tokens';

/** Settings shared by every execution of one compiled machine. */
export interface MachineSettings {
  readonly clock: Clock;
  readonly waitScale: number;
  readonly integrations: IntegrationRegistry;
  readonly region: string;
  readonly accountId: string;
  readonly partition: string;
  readonly stateMachineName: string;
  readonly stateMachineArn: string;
  readonly roleArn: string;
  readonly recordHistory: boolean;
  /** Largest task result / Map or Parallel output in bytes (AWS: 256 KiB); undefined = no limit. */
  readonly payloadSizeLimit: number | undefined;
  /** Tokens of `.waitForTaskToken` tasks waiting for an answer. */
  readonly taskTokens: TaskTokenRegistry;
  /** Randomness for JitterStrategy FULL (injectable for tests). */
  readonly random: () => number;
  /** The machine's TimeoutSeconds, if any. */
  readonly timeoutSeconds: number | undefined;
  /** STANDARD or EXPRESS: the execution ARN's form and `$$.Execution` differ. */
  readonly type: 'STANDARD' | 'EXPRESS';
}

/** Thrown through the interpreter when the execution stops (abort or timeout). Never caught by Retry/Catch. */
export class ExecutionStopped extends Error {
  override name = 'ExecutionStopped';
}

/** Thrown in a Map iteration or Parallel branch whose siblings failed: it stops without failing. */
export class BranchCancelled extends Error {
  override name = 'BranchCancelled';
}

export type StopReason = 'ABORTED' | 'TIMED_OUT';

/**
 * The steps of a state's data processing that TestState's inspection data shows, plus the error
 * an attempt failed with (before Retry/Catch) and the variables the state assigned.
 */
export type InspectionStep =
  | 'afterInputPath'
  | 'afterParameters'
  | 'afterArguments'
  | 'result'
  | 'afterResultSelector'
  | 'afterResultPath'
  | 'errorOutput'
  | 'assignedVariables';

/** One execution in progress. */
export class ExecutionRun {
  readonly settings: MachineSettings;
  readonly history: RecordedEvent[] | undefined;
  readonly startMs: number;
  readonly executionName: string;
  readonly executionArn: string;
  private readonly input: Json;
  private contextExecutionValue: JsonObject | undefined;
  private contextStateMachineValue: JsonObject | undefined;
  /** Aborts on the caller's signal or the machine timeout; created when first needed. */
  private controllerValue: AbortController | undefined;
  stopReason: StopReason | undefined;
  finished = false;
  transitions = 0;
  private eventCounter = 0;
  /** Virtual deadline (ms since epoch, in execution time) from the machine's TimeoutSeconds. */
  readonly deadline: number | undefined;

  constructor(settings: MachineSettings, input: Json, executionName: string, executionArn?: string) {
    this.settings = settings;
    this.history = settings.recordHistory ? [] : undefined;
    this.startMs = settings.clock.now();
    this.executionName = executionName;
    const prefix = `arn:${settings.partition}:states:${settings.region}:${settings.accountId}`;
    // An Express execution's ARN has its own form, with an id AWS adds after the name.
    this.executionArn =
      executionArn ??
      (settings.type === 'EXPRESS'
        ? `${prefix}:express:${settings.stateMachineName}:${executionName}:${randomUUID()}`
        : `${prefix}:execution:${settings.stateMachineName}:${executionName}`);
    this.input = input;
    this.deadline = settings.timeoutSeconds === undefined ? undefined : this.startMs + settings.timeoutSeconds * 1000;
  }

  /** `$$.Execution` (built on first use). */
  get contextExecution(): JsonObject {
    return (this.contextExecutionValue ??= {
      Id: this.executionArn,
      Input: this.input,
      StartTime: new Date(this.startMs).toISOString(),
      Name: this.executionName,
      RoleArn: this.settings.roleArn,
      // Express executions cannot be redriven: AWS gives them no RedriveCount.
      ...(this.settings.type === 'EXPRESS' ? {} : { RedriveCount: 0 }),
    });
  }

  get contextStateMachine(): JsonObject {
    return (this.contextStateMachineValue ??= { Id: this.settings.stateMachineArn, Name: this.settings.stateMachineName });
  }

  get controller(): AbortController {
    if (this.controllerValue === undefined) {
      this.controllerValue = new AbortController();
      if (this.stopReason !== undefined) this.controllerValue.abort(new ExecutionStopped(this.stopReason));
    }
    return this.controllerValue;
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  stop(reason: StopReason): void {
    if (this.stopReason !== undefined || this.finished) return;
    this.stopReason = reason;
    this.controllerValue?.abort(new ExecutionStopped(reason));
    this.onStop?.(reason);
  }

  /** Called once when the execution stops (abort or timeout). */
  onStop: ((reason: StopReason) => void) | undefined;

  /**
   * Called as each state is entered, before it does anything (ExecuteOptions.onStateEntered).
   * An observer that stops the execution here stops it before the state runs.
   */
  onStateEntered: ((stateName: string) => void) | undefined;
  /** Called with a state's data at each step of its processing (ExecuteOptions.onInspection). */
  inspect: ((stateName: string, step: InspectionStep, value: Json) => void) | undefined;

  /** Appends an event (when recording) and returns its id; ids advance even when not recording. */
  addEvent(
    frame: Frame | undefined,
    type: HistoryEventType,
    detailsKey?: keyof HistoryEvent,
    details?: unknown,
    previousEventId?: number,
    advance: boolean = previousEventId === undefined,
  ): number {
    const previous = previousEventId ?? (frame ? frame.lastEventId : 0);
    if (frame?.childHistory !== undefined) {
      // A distributed Map's child execution: its events are not part of this history.
      const id = ++frame.childHistory.counter;
      if (advance) frame.lastEventId = id;
      return id;
    }
    const id = ++this.eventCounter;
    if (this.history !== undefined && !this.finished) {
      const time = frame ? frame.now() : this.settings.clock.now();
      this.history.push(new RecordedEvent(type, id, previous, time, detailsKey, details as Record<string, unknown> | undefined));
    }
    if (frame && advance) frame.lastEventId = id;
    return id;
  }

  get recording(): boolean {
    return this.history !== undefined;
  }
}

/** Cancels the sibling iterations/branches of a Map or Parallel when one of them fails. */
export class CancellationGroup {
  cancelled = false;
  readonly controller = new AbortController();
  private readonly detach: () => void;

  constructor(parentSignal: AbortSignal) {
    const onAbort = (): void => this.cancel(parentSignal.reason);
    if (parentSignal.aborted) this.cancel(parentSignal.reason);
    else parentSignal.addEventListener('abort', onAbort, { once: true });
    this.detach = () => parentSignal.removeEventListener('abort', onAbort);
  }

  cancel(reason: unknown = new BranchCancelled('A sibling failed')): void {
    if (this.cancelled) return;
    this.cancelled = true;
    this.controller.abort(reason);
  }

  dispose(): void {
    this.detach();
  }
}

let yieldCounter = 0;

/**
 * A sequence of states running one after the other: the top level, a Parallel branch or a Map
 * iteration. Holds the variable scope, the history chain and the current state's bookkeeping.
 */
export class Frame implements ValueScope {
  readonly run: ExecutionRun;
  /** The enclosing frame (a Map iteration's or Parallel branch's parent): its variables are readable here. */
  readonly parent: Frame | undefined;
  /** Variables assigned in this frame (they shadow the enclosing frames'); created on first assignment. */
  private ownVars: Record<string, Json> | undefined;
  lastEventId: number;
  /** Virtual time skipped by scaled waits on this frame's path (ms). */
  skippedMs: number;
  readonly group: CancellationGroup | undefined;
  /** Where this sequence runs: the top level, a Parallel branch or a Map iteration. */
  readonly kind: 'top' | 'branch' | 'iteration';
  /** Set for the child executions of a distributed Map: their own event ids, not recorded here. */
  readonly childHistory: { counter: number } | undefined;

  // --- the current state ---
  stateName = '';
  stateEnteredEventId = 0;
  /** previousEventId of the current state's Entered event (AWS chains EvaluationFailed to it). */
  stateEnteredPrevious = 0;
  stateEnteredAt = 0;
  retryCount: number | undefined;
  /** `$$.Map.Item` while a Map evaluates its ItemSelector. */
  mapItem: JsonObject | undefined;
  /** `$$.Task.Token` for callback tasks. */
  taskToken: string | undefined;
  /** The value `$` refers to in the field being evaluated (JSONPath). */
  input: Json = null;
  /** Set by a state: where to go next (undefined = the sequence ends). */
  next: unknown = undefined;
  /** Variables the current state assigns (committed when it exits). */
  assigned: Record<string, Json> | undefined;

  constructor(
    run: ExecutionRun,
    parent: Frame | undefined,
    group: CancellationGroup | undefined,
    lastEventId: number,
    kind: 'top' | 'branch' | 'iteration' = 'top',
    childExecution = false,
  ) {
    this.run = run;
    this.kind = kind;
    this.childHistory = childExecution ? { counter: 1 } : parent?.childHistory;
    this.parent = parent;
    this.lastEventId = lastEventId;
    this.skippedMs = parent ? parent.skippedMs : 0;
    this.group = group ?? parent?.group;
  }

  now(): number {
    return this.run.settings.clock.now() + this.skippedMs;
  }

  /** Aborts when the execution stops or (in a branch/iteration) a sibling fails. */
  get signal(): AbortSignal {
    return this.group ? this.group.controller.signal : this.run.signal;
  }

  /** Throws when the execution stopped, a sibling failed, or the machine timeout passed. */
  checkpoint(): void {
    const run = this.run;
    if (run.stopReason !== undefined) throw new ExecutionStopped(run.stopReason);
    if (this.group?.cancelled) throw new BranchCancelled('A sibling failed');
    if (run.deadline !== undefined && this.now() >= run.deadline) {
      run.stop('TIMED_OUT');
      throw new ExecutionStopped('TIMED_OUT');
    }
  }

  /** Lets other executions run now and then during long synchronous stretches. */
  maybeYield(): Promise<void> | undefined {
    if ((++yieldCounter & 1023) !== 0) return undefined;
    return new Promise((resolve) => setImmediate(resolve));
  }

  /**
   * Waits `ms` of execution time: really sleeps `ms * waitScale`, records the rest as skipped.
   * A wait past the machine's deadline is cut there and ends the execution as TIMED_OUT.
   */
  async delay(ms: number): Promise<void> {
    const run = this.run;
    let nominal = Math.max(0, ms);
    let timesOut = false;
    if (run.deadline !== undefined) {
      const left = run.deadline - this.now();
      if (nominal >= left) {
        nominal = Math.max(0, left);
        timesOut = true;
      }
    }
    const scale = run.settings.waitScale;
    const real = nominal * scale;
    const started = run.settings.clock.now();
    if (real > 0) {
      try {
        await run.settings.clock.sleep(real, this.signal);
      } catch (error) {
        this.checkpoint();
        throw error;
      }
    } else {
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    const spent = run.settings.clock.now() - started;
    this.skippedMs += Math.max(0, nominal - spent);
    if (timesOut) {
      run.stop('TIMED_OUT');
      throw new ExecutionStopped('TIMED_OUT');
    }
    this.checkpoint();
  }

  // --- ValueScope (JSONPath) ---

  contextObject(): JsonObject {
    const run = this.run;
    const state: JsonObject = { Name: this.stateName, EnteredTime: new Date(this.stateEnteredAt).toISOString() };
    if (this.retryCount !== undefined) state['RetryCount'] = this.retryCount;
    const context: JsonObject = {
      Execution: run.contextExecution,
      StateMachine: run.contextStateMachine,
      State: state,
    };
    if (this.taskToken !== undefined) context['Task'] = { Token: this.taskToken };
    if (this.mapItem !== undefined) context['Map'] = { Item: this.mapItem };
    return context;
  }

  lookupVariable(name: string): Json | undefined {
    const vars = this.ownVars;
    if (vars !== undefined && Object.prototype.hasOwnProperty.call(vars, name)) return vars[name];
    return this.parent?.lookupVariable(name);
  }

  /** Copies every visible variable into `target`, outer scopes first so inner ones shadow them. */
  private collectVariables(target: Record<string, unknown>): void {
    this.parent?.collectVariables(target);
    const vars = this.ownVars;
    if (vars !== undefined) for (const key of Object.keys(vars)) target[key] = vars[key];
  }

  /** A ValueScope over another `$` value (same context and variables). */
  withInput(input: Json): ValueScope {
    this.input = input;
    return this;
  }

  /** Builds the `$states` binding of JSONata expressions (context built on first read). */
  statesBinding(input: Json, extra?: { result?: Json; errorOutput?: Json }): StatesBinding {
    const states = new StatesBinding(this, input);
    if (extra !== undefined) {
      if (extra.result !== undefined) states.result = extra.result;
      if (extra.errorOutput !== undefined) states.errorOutput = extra.errorOutput;
    }
    return states;
  }

  private bindingsValue: Record<string, unknown> | undefined;

  /**
   * JSONata bindings: `$states` plus every visible variable, in one flat object per frame.
   * The states of a frame run one at a time, enclosing frames wait while it runs, and jsonata
   * copies the bindings when an evaluation starts; assignments update the object as they commit.
   */
  bindings(states: StatesBinding): Record<string, unknown> {
    let b = this.bindingsValue;
    if (b === undefined) {
      b = Object.create(null) as Record<string, unknown>;
      this.collectVariables(b);
      this.bindingsValue = b;
    }
    b['states'] = states;
    return b;
  }

  /** Records a variable to assign when the current state exits. */
  assign(name: string, value: Json): void {
    (this.assigned ??= {})[name] = value;
  }

  /** Makes the current state's assignments visible (called as the state exits). */
  /** Variables this frame starts with (TestState's `variables`), before any state runs. */
  seedVariables(variables: Record<string, Json>): void {
    const vars = (this.ownVars ??= Object.create(null) as Record<string, Json>);
    Object.assign(vars, variables);
  }

  commitAssignments(): Record<string, Json> | undefined {
    const assigned = this.assigned;
    if (assigned !== undefined) {
      const vars = (this.ownVars ??= Object.create(null) as Record<string, Json>);
      const b = this.bindingsValue;
      for (const key of Object.keys(assigned)) {
        vars[key] = assigned[key] as Json;
        if (b !== undefined) b[key] = assigned[key];
      }
      this.assigned = undefined;
    }
    return assigned;
  }

  /** Converts anything thrown while a state runs into its ExecutionFailure (with AWS's cause prefix). */
  toFailure(error: unknown): ExecutionFailure {
    if (error instanceof ExecutionFailure) {
      if (!error.fromRuntime) return error;
      return new ExecutionFailure(
        error.error,
        `An error occurred while executing the state '${this.stateName}' (entered at the event id #${this.stateEnteredEventId}). ${error.cause ?? ''}`,
      );
    }
    const message = error instanceof Error ? error.message : String(error);
    return this.toFailure(runtimeFailure(StatesErrors.Runtime, message));
  }
}

/** Hidden key of `$states`: the execution's clock, for `$now()` and `$millis()`. */
export const EXECUTION_TIME: unique symbol = Symbol('executionTime');

/** `$states` in JSONata expressions: input, result, errorOutput, and the context object on demand. */
export class StatesBinding {
  result?: Json;
  errorOutput?: Json;
  private contextValue: JsonObject | undefined;

  constructor(
    private readonly frame: Frame,
    readonly input: Json,
  ) {}

  get context(): JsonObject {
    return (this.contextValue ??= this.frame.contextObject());
  }

  /** The execution's current time (virtual when waits are scaled). */
  [EXECUTION_TIME](): number {
    return this.frame.now();
  }

  /** Fixes the context object (a Map's ItemSelector sees `$states.context.Map.Item`). */
  withContext(context: JsonObject): this {
    this.contextValue = context;
    return this;
  }

  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { input: this.input, context: this.context };
    if (this.result !== undefined) out['result'] = this.result;
    if (this.errorOutput !== undefined) out['errorOutput'] = this.errorOutput;
    return out;
  }
}

/** Whether a thrown value is a control signal (stop/cancel) rather than a failure. */
export function isControlSignal(error: unknown): boolean {
  return error instanceof ExecutionStopped || error instanceof BranchCancelled;
}
