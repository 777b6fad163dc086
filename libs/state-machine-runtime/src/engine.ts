/**
 * The run-time side of an execution: its history, clock, cancellation, and the frames in which
 * sequences of states run (the top level, each Parallel branch, each Map iteration).
 */
import type { Clock } from './clock';
import { ExecutionFailure, runtimeFailure, StatesErrors } from './errors';
import type { HistoryEvent, HistoryEventType } from './history';
import type { IntegrationRegistry } from './integrations/types';
import type { Json, JsonObject } from './json';
import type { ValueScope } from './jsonpath-scope';

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
  /** Randomness for JitterStrategy FULL (injectable for tests). */
  readonly random: () => number;
  /** The machine's TimeoutSeconds, if any. */
  readonly timeoutSeconds: number | undefined;
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

/** One execution in progress. */
export class ExecutionRun {
  readonly settings: MachineSettings;
  readonly history: HistoryEvent[] | undefined;
  readonly startMs: number;
  readonly executionName: string;
  readonly executionArn: string;
  readonly contextExecution: JsonObject;
  readonly contextStateMachine: JsonObject;
  /** Aborts on the caller's signal or the machine timeout; every wait and task listens to it. */
  readonly controller = new AbortController();
  stopReason: StopReason | undefined;
  finished = false;
  transitions = 0;
  private eventCounter = 0;
  /** Virtual deadline (ms since epoch, in execution time) from the machine's TimeoutSeconds. */
  readonly deadline: number | undefined;

  constructor(settings: MachineSettings, input: Json, executionName: string) {
    this.settings = settings;
    this.history = settings.recordHistory ? [] : undefined;
    this.startMs = settings.clock.now();
    this.executionName = executionName;
    this.executionArn = `arn:${settings.partition}:states:${settings.region}:${settings.accountId}:execution:${settings.stateMachineName}:${executionName}`;
    this.contextExecution = {
      Id: this.executionArn,
      Input: input,
      StartTime: new Date(this.startMs).toISOString(),
      Name: executionName,
      RoleArn: settings.roleArn,
      RedriveCount: 0,
    };
    this.contextStateMachine = { Id: settings.stateMachineArn, Name: settings.stateMachineName };
    this.deadline = settings.timeoutSeconds === undefined ? undefined : this.startMs + settings.timeoutSeconds * 1000;
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  stop(reason: StopReason): void {
    if (this.stopReason !== undefined || this.finished) return;
    this.stopReason = reason;
    this.controller.abort(new ExecutionStopped(reason));
  }

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
      const event: HistoryEvent = {
        timestamp: new Date(frame ? frame.now() : this.settings.clock.now()),
        type,
        id,
        previousEventId: previous,
      };
      if (detailsKey !== undefined) (event as unknown as Record<string, unknown>)[detailsKey] = details;
      this.history.push(event);
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
  /** Variables visible here: own ones shadow the enclosing scopes' (prototype chain). */
  readonly vars: Record<string, Json>;
  lastEventId: number;
  /** Virtual time skipped by scaled waits on this frame's path (ms). */
  skippedMs: number;
  readonly group: CancellationGroup | undefined;
  readonly signal: AbortSignal;
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
    this.vars = Object.create(parent ? parent.vars : null) as Record<string, Json>;
    this.lastEventId = lastEventId;
    this.skippedMs = parent ? parent.skippedMs : 0;
    this.group = group ?? parent?.group;
    this.signal = this.group ? this.group.controller.signal : run.signal;
  }

  now(): number {
    return this.run.settings.clock.now() + this.skippedMs;
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
    return this.vars[name];
  }

  /** A ValueScope over another `$` value (same context and variables). */
  withInput(input: Json): ValueScope {
    this.input = input;
    return this;
  }

  /** Builds the `$states` binding of JSONata expressions (context built on first read). */
  statesBinding(input: Json, extra?: { result?: Json; errorOutput?: Json }): Record<string, unknown> {
    const frame = this;
    let context: JsonObject | undefined;
    const states: Record<string, unknown> = {
      input,
      get context(): JsonObject {
        return (context ??= frame.contextObject());
      },
    };
    if (extra !== undefined) {
      if (extra.result !== undefined) states['result'] = extra.result;
      if (extra.errorOutput !== undefined) states['errorOutput'] = extra.errorOutput;
    }
    return states;
  }

  /** JSONata bindings: `$states` plus every visible variable. */
  bindings(states: Record<string, unknown>): Record<string, unknown> {
    const b = Object.create(this.vars) as Record<string, unknown>;
    b['states'] = states;
    return b;
  }

  /** Records a variable to assign when the current state exits. */
  assign(name: string, value: Json): void {
    (this.assigned ??= {})[name] = value;
  }

  /** Makes the current state's assignments visible (called as the state exits). */
  commitAssignments(): Record<string, Json> | undefined {
    const assigned = this.assigned;
    if (assigned !== undefined) {
      for (const key of Object.keys(assigned)) this.vars[key] = assigned[key] as Json;
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

/** Whether a thrown value is a control signal (stop/cancel) rather than a failure. */
export function isControlSignal(error: unknown): boolean {
  return error instanceof ExecutionStopped || error instanceof BranchCancelled;
}
