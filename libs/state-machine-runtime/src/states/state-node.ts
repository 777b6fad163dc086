/**
 * What every state shares: the field kinds (paths, ResultPath, Assign), the state's Entered/Exited events and failures, and running a sequence of states (a Workflow).
 */
import type { Frame} from '../engine';
import { ExecutionStopped, isControlSignal } from '../engine';
import { ExecutionFailure, runtimeFailure, StatesErrors } from '../errors';
import type { HistoryEventType } from '../history';
import { type Json, type JsonObject, jsonSize, toJsonText } from '../json';
import type { JsonataTemplate } from '../jsonata';
import { type JsonPath, setAtPath } from '../jsonpath';
import { PathLookupError, type PayloadTemplate, resolvePath } from '../jsonpath-scope';

export type StateType = 'Pass' | 'Task' | 'Choice' | 'Wait' | 'Succeed' | 'Fail' | 'Parallel' | 'Map';

// ---------------------------------------------------------------------------------------------
// Shared field kinds

/** InputPath/OutputPath: undefined = `$` (unchanged), null = `{}`. */
export type FilterPath = JsonPath | null | undefined;

export type ResultPathSpec = { kind: 'replace' } | { kind: 'discard' } | { kind: 'set'; steps: (string | number)[]; source: string };

/** Assign of a JSONPath state: a payload template whose keys are variable names. */
export class JsonPathAssign {
  constructor(private readonly template: PayloadTemplate) {}

  evaluate(frame: Frame, value: Json): void {
    const assigned = this.template.evaluate(frame.withInput(value)) as JsonObject;
    for (const key of Object.keys(assigned)) frame.assign(key, assigned[key] as Json);
  }
}

/** Assign of a JSONata state: one template per variable. */
export class JsonataAssign {
  constructor(private readonly entries: { name: string; template: JsonataTemplate }[]) {}

  evaluate(frame: Frame, bindings: Record<string, unknown>): void | Promise<void> {
    let pending: Promise<void>[] | undefined;
    for (const { name, template } of this.entries) {
      const v = template.evaluate(bindings);
      if (v instanceof Promise) (pending ??= []).push(v.then((resolved) => frame.assign(name, resolved)));
      else frame.assign(name, v);
    }
    if (pending) return Promise.all(pending).then(() => undefined);
  }
}

export type AssignDecl = JsonPathAssign | JsonataAssign;

/** A number field that may be a literal, a JSONPath (`...Path`) or a JSONata expression. */
export type NumberField =
  | { kind: 'literal'; value: number }
  | { kind: 'path'; path: JsonPath; field: string }
  | { kind: 'jsonata'; template: JsonataTemplate; field: string };

export function invalidPath(path: JsonPath, reason: string): ExecutionFailure {
  return runtimeFailure(StatesErrors.Runtime, `Invalid path '${path.source}' : ${reason}`);
}

/** InputPath / OutputPath / ItemsPath-style selection with AWS's "Invalid path" failure. */
export function selectPath(frame: Frame, path: FilterPath, value: Json): Json {
  if (path === undefined) return value;
  if (path === null) return {};
  try {
    return resolvePath(path, frame.withInput(value));
  } catch (error) {
    if (error instanceof PathLookupError) throw invalidPath(path, error.reason);
    throw error;
  }
}

export function applyResultPath(spec: ResultPathSpec, rawInput: Json, result: Json): Json {
  if (spec.kind === 'replace') return result;
  if (spec.kind === 'discard') return rawInput;
  const merged = setAtPath(rawInput, spec.steps, result);
  if (merged === undefined) {
    throw new ExecutionFailure(
      StatesErrors.ResultPathMatchFailure,
      `Unable to apply ResultPath "${spec.source}" to input "${toJsonText(rawInput)}"`,
    );
  }
  return merged;
}

export function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return value instanceof Promise;
}

/** Evaluates Assign then Output of a JSONata state; both see variables as on entry. */
export function finishJsonata(
  frame: Frame,
  bindings: Record<string, unknown>,
  output: JsonataTemplate | undefined,
  assign: JsonataAssign | undefined,
  defaultOutput: Json,
): Json | Promise<Json> {
  const assigned = assign ? assign.evaluate(frame, bindings) : undefined;
  if (assigned instanceof Promise) {
    return assigned.then(() => (output ? output.evaluate(bindings) : defaultOutput));
  }
  return output ? output.evaluate(bindings) : defaultOutput;
}

/** AWS's payload quota on a state's result or output: past it the state fails, and nothing catches that. */
export function checkPayloadSize(frame: Frame, stateName: string, value: Json): void {
  const limit = frame.run.settings.payloadSizeLimit;
  if (limit === undefined || jsonSize(value) <= limit) return;
  throw new ExecutionFailure(
    StatesErrors.DataLimitExceeded,
    `The state/task '${stateName}' returned a result with a size exceeding the maximum number of bytes service limit.`,
  );
}

// ---------------------------------------------------------------------------------------------
// Base state

export abstract class StateNode {
  readonly name: string;
  abstract readonly type: StateType;
  readonly jsonata: boolean;
  /** Resolved after every state of the container is compiled; undefined = End. */
  next: StateNode | undefined;
  readonly nextName: string | undefined;
  private enteredType!: HistoryEventType;
  private exitedType: HistoryEventType | undefined;

  constructor(name: string, jsonata: boolean, nextName: string | undefined) {
    this.name = name;
    this.jsonata = jsonata;
    this.nextName = nextName;
  }

  /** Called once the type is known (subclass constructors). */
  protected setEventTypes(hasExit: boolean): void {
    this.enteredType = `${this.type}StateEntered` as HistoryEventType;
    this.exitedType = hasExit ? (`${this.type}StateExited` as HistoryEventType) : undefined;
  }

  /** Runs the state on `input`: events, evaluation, `frame.next`. Returns the output. */
  run(frame: Frame, input: Json): Json | Promise<Json> {
    const run = frame.run;
    run.transitions++;
    frame.stateName = this.name;
    frame.stateEnteredAt = frame.now();
    frame.retryCount = undefined;
    frame.assigned = undefined;
    frame.taskToken = undefined;
    frame.stateEnteredPrevious = frame.lastEventId;
    frame.stateEnteredEventId = run.addEvent(
      frame,
      this.enteredType,
      'stateEnteredEventDetails',
      run.recording ? { name: this.name, input } : undefined,
    );
    frame.next = this.next;
    let out: Json | Promise<Json>;
    try {
      if (run.onStateEntered !== undefined) {
        run.onStateEntered(this.name);
        if (run.stopReason !== undefined) throw new ExecutionStopped(run.stopReason);
      }
      out = this.execute(frame, input);
    } catch (error) {
      throw this.failed(frame, error);
    }
    if (isPromise(out)) {
      return out.then(
        (value) => this.exit(frame, value, input),
        (error: unknown) => {
          throw this.failed(frame, error);
        },
      );
    }
    return this.exit(frame, out, input);
  }

  protected abstract execute(frame: Frame, input: Json): Json | Promise<Json>;

  private exit(frame: Frame, output: Json, input: Json): Json {
    // An output that is the input unchanged was within the quota already.
    if (output !== input) checkPayloadSize(frame, this.name, output);
    const assigned = frame.commitAssignments();
    if (assigned !== undefined) frame.run.inspect?.(this.name, 'assignedVariables', assigned);
    if (this.exitedType !== undefined) {
      const run = frame.run;
      run.addEvent(
        frame,
        this.exitedType,
        'stateExitedEventDetails',
        run.recording ? (assigned === undefined ? { name: this.name, output } : { name: this.name, output, assignedVariables: assigned }) : undefined,
      );
    }
    return output;
  }

  private failed(frame: Frame, error: unknown): unknown {
    if (isControlSignal(error)) return error;
    if (error instanceof ExecutionFailure && !error.fromRuntime) return error;
    const failure = frame.toFailure(error);
    // AWS chains a Wait's EvaluationFailed to its Entered event, other states' to the event before.
    recordEvaluationFailure(frame, error, failure, this.type === 'Wait');
    return failure;
  }
}

/** AWS records an EvaluationFailed event when a JSONata expression fails. */
export function recordEvaluationFailure(frame: Frame, original: unknown, failure: ExecutionFailure, chainToEntered = false): void {
  if (failure.error !== StatesErrors.QueryEvaluationError || !frame.run.recording) return;
  const cause = original instanceof ExecutionFailure ? (original.cause ?? '') : '';
  const location = /specified for the field '([^']*)'/.exec(cause)?.[1] ?? /^The (\w+) field /.exec(cause)?.[1];
  const details: Record<string, string> = { error: failure.error, state: frame.stateName };
  if (failure.cause !== undefined) details['cause'] = failure.cause;
  if (location !== undefined) details['location'] = location;
  const previous = chainToEntered ? frame.stateEnteredEventId : frame.stateEnteredPrevious;
  frame.run.addEvent(frame, 'EvaluationFailed', 'evaluationFailedEventDetails', details, previous, true);
}

/** A StartAt + States container: the machine itself, a Parallel branch, a Map's processor. */
export class Workflow {
  constructor(
    readonly start: StateNode,
    readonly states: ReadonlyMap<string, StateNode>,
  ) {}
}

/**
 * Runs a sequence of states from the workflow's start until one ends it. Synchronous while the
 * states are (Pass, Choice, simple JSONata...), so a chain of them costs no promise; continues
 * asynchronously from the first state that is not.
 */
export function runWorkflow(frame: Frame, workflow: Workflow, input: Json): Json | Promise<Json> {
  return continueFrom(frame, workflow.start, input);
}

export function continueFrom(frame: Frame, start: StateNode, input: Json): Json | Promise<Json> {
  let state = start;
  let value = input;
  for (;;) {
    frame.checkpoint();
    const out = state.run(frame, value);
    if (isPromise(out)) return out.then((v) => afterState(frame, v));
    value = out;
    const next = frame.next as StateNode | undefined;
    if (next === undefined) return value;
    state = next;
    const pause = frame.maybeYield();
    if (pause) {
      const resume = state;
      const resumeValue = value;
      return pause.then(() => continueFrom(frame, resume, resumeValue));
    }
  }
}

export function afterState(frame: Frame, value: Json): Json | Promise<Json> {
  const next = frame.next as StateNode | undefined;
  return next === undefined ? value : continueFrom(frame, next, value);
}

// ---------------------------------------------------------------------------------------------
