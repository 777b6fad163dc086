/**
 * The compiled states. Each state runs against a Frame: it records its Entered/Exited events,
 * evaluates its fields in its query language, and sets `frame.next`.
 */
import { randomUUID } from 'node:crypto';
import type { ChoicePredicate } from './choice';
import { BranchCancelled, CancellationGroup, ExecutionStopped, Frame, isControlSignal } from './engine';
import { errorMatches, ExecutionFailure, isTerminalError, runtimeFailure, StatesErrors, TaskFailure } from './errors';
import type { HistoryEventType } from './history';
import type { TaskContext, TaskIntegration } from './integrations/types';
import { jsonSize, jsonTypeName, toJsonText, toPlainJson, type Json, type JsonObject } from './json';
import { evaluateField, type JsonataExpression, type JsonataTemplate, unexpectedTypeCause } from './jsonata';
import { setAtPath, type JsonPath } from './jsonpath';
import { evaluateDynamic, PathLookupError, resolvePath, type PayloadTemplate, type ValueScope } from './jsonpath-scope';
import { parseTimestamp } from './choice';

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

function invalidPath(path: JsonPath, reason: string): ExecutionFailure {
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

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return value instanceof Promise;
}

/** Evaluates Assign then Output of a JSONata state; both see variables as on entry. */
function finishJsonata(
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
        (value) => this.exit(frame, value),
        (error: unknown) => {
          throw this.failed(frame, error);
        },
      );
    }
    return this.exit(frame, out);
  }

  protected abstract execute(frame: Frame, input: Json): Json | Promise<Json>;

  private exit(frame: Frame, output: Json): Json {
    const assigned = frame.commitAssignments();
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
function recordEvaluationFailure(frame: Frame, original: unknown, failure: ExecutionFailure, chainToEntered = false): void {
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

function continueFrom(frame: Frame, start: StateNode, input: Json): Json | Promise<Json> {
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

function afterState(frame: Frame, value: Json): Json | Promise<Json> {
  const next = frame.next as StateNode | undefined;
  return next === undefined ? value : continueFrom(frame, next, value);
}

// ---------------------------------------------------------------------------------------------
// Pass

export class PassState extends StateNode {
  readonly type = 'Pass';
  constructor(
    name: string,
    jsonata: boolean,
    nextName: string | undefined,
    private readonly f: {
      inputPath?: FilterPath;
      outputPath?: FilterPath;
      parameters?: PayloadTemplate;
      result?: { value: Json };
      resultPath: ResultPathSpec;
      assign?: AssignDecl;
      output?: JsonataTemplate;
    },
  ) {
    super(name, jsonata, nextName);
    this.setEventTypes(true);
  }

  protected execute(frame: Frame, input: Json): Json | Promise<Json> {
    const f = this.f;
    if (this.jsonata) {
      if (f.output === undefined && f.assign === undefined) return input;
      const bindings = frame.bindings(frame.statesBinding(input));
      return finishJsonata(frame, bindings, f.output, f.assign as JsonataAssign | undefined, input);
    }
    const effective = selectPath(frame, f.inputPath, input);
    let result = f.parameters ? f.parameters.evaluate(frame.withInput(effective)) : effective;
    if (f.result !== undefined) result = f.result.value;
    if (f.assign) (f.assign as JsonPathAssign).evaluate(frame, result);
    return selectPath(frame, f.outputPath, applyResultPath(f.resultPath, input, result));
  }
}

// ---------------------------------------------------------------------------------------------
// Succeed / Fail

export class SucceedState extends StateNode {
  readonly type = 'Succeed';
  constructor(
    name: string,
    jsonata: boolean,
    private readonly f: { inputPath?: FilterPath; outputPath?: FilterPath; output?: JsonataTemplate; assign?: AssignDecl },
  ) {
    super(name, jsonata, undefined);
    this.setEventTypes(true);
  }

  protected execute(frame: Frame, input: Json): Json | Promise<Json> {
    frame.next = undefined;
    const f = this.f;
    if (this.jsonata) {
      if (f.output === undefined && f.assign === undefined) return input;
      const bindings = frame.bindings(frame.statesBinding(input));
      return finishJsonata(frame, bindings, f.output, f.assign as JsonataAssign | undefined, input);
    }
    const effective = selectPath(frame, f.inputPath, input);
    if (f.assign) (f.assign as JsonPathAssign).evaluate(frame, effective);
    return selectPath(frame, f.outputPath, effective);
  }
}

/** Error/Cause of a Fail state: literal, path (JSONPath) or expression (JSONata). */
export type FailField =
  | { kind: 'literal'; value: string }
  | { kind: 'path'; dynamic: Parameters<typeof evaluateDynamic>[0]; field: string }
  | { kind: 'jsonata'; expr: JsonataExpression; field: string };

export class FailState extends StateNode {
  readonly type = 'Fail';
  constructor(
    name: string,
    jsonata: boolean,
    private readonly f: { error?: FailField; cause?: FailField },
  ) {
    super(name, jsonata, undefined);
    this.setEventTypes(false);
  }

  private resolve(frame: Frame, field: FailField | undefined, input: Json, bindings: Record<string, unknown> | undefined): string | undefined | Promise<string | undefined> {
    if (field === undefined) return undefined;
    if (field.kind === 'literal') return field.value;
    if (field.kind === 'path') {
      const value = evaluateDynamic(field.dynamic, frame.withInput(input));
      if (typeof value !== 'string') {
        throw runtimeFailure(StatesErrors.Runtime, `The ${field.field} field must resolve to a string, but was: ${toJsonText(value)}`);
      }
      return value;
    }
    const value = evaluateField(field.expr, field.field, bindings as Record<string, unknown>);
    const check = (v: Json): string => {
      if (typeof v !== 'string') throw runtimeFailure(StatesErrors.QueryEvaluationError, unexpectedTypeCause(field.expr, field.field, 'string', v));
      return v;
    };
    return isPromise(value) ? value.then(check) : check(value);
  }

  protected execute(frame: Frame, input: Json): Json | Promise<Json> {
    frame.next = undefined;
    const bindings = this.jsonata ? frame.bindings(frame.statesBinding(input)) : undefined;
    const error = this.resolve(frame, this.f.error, input, bindings);
    const cause = this.resolve(frame, this.f.cause, input, bindings);
    if (isPromise(error) || isPromise(cause)) {
      return Promise.all([error, cause]).then(([e, c]) => {
        throw new ExecutionFailure(e, c);
      });
    }
    throw new ExecutionFailure(error, cause);
  }
}

// ---------------------------------------------------------------------------------------------
// Choice

export interface ChoiceRuleNode {
  /** JSONPath predicate or JSONata Condition. */
  predicate?: ChoicePredicate;
  condition?: JsonataExpression;
  conditionField: string;
  nextName: string;
  next?: StateNode;
  assign?: AssignDecl;
  output?: JsonataTemplate;
}

export class ChoiceState extends StateNode {
  readonly type = 'Choice';
  defaultState: StateNode | undefined;
  constructor(
    name: string,
    jsonata: boolean,
    readonly rules: ChoiceRuleNode[],
    readonly defaultName: string | undefined,
    private readonly f: { inputPath?: FilterPath; outputPath?: FilterPath; assign?: AssignDecl; output?: JsonataTemplate },
  ) {
    super(name, jsonata, undefined);
    this.setEventTypes(true);
  }

  private noMatch(): never {
    throw runtimeFailure(StatesErrors.NoChoiceMatched, `No Choice Rule matched and no Default is set for the Choice state '${this.name}'.`);
  }

  protected execute(frame: Frame, input: Json): Json | Promise<Json> {
    if (!this.jsonata) {
      const effective = selectPath(frame, this.f.inputPath, input);
      const scope = frame.withInput(effective);
      for (const rule of this.rules) {
        if ((rule.predicate as ChoicePredicate)(scope)) {
          frame.next = rule.next;
          if (rule.assign) (rule.assign as JsonPathAssign).evaluate(frame, effective);
          return selectPath(frame, this.f.outputPath, effective);
        }
      }
      if (this.defaultState === undefined) this.noMatch();
      frame.next = this.defaultState;
      if (this.f.assign) (this.f.assign as JsonPathAssign).evaluate(frame, effective);
      return selectPath(frame, this.f.outputPath, effective);
    }
    const bindings = frame.bindings(frame.statesBinding(input));
    return this.matchJsonata(frame, bindings, input, 0);
  }

  private matchJsonata(frame: Frame, bindings: Record<string, unknown>, input: Json, from: number): Json | Promise<Json> {
    for (let i = from; i < this.rules.length; i++) {
      const rule = this.rules[i] as ChoiceRuleNode;
      const value = evaluateField(rule.condition as JsonataExpression, rule.conditionField, bindings);
      if (isPromise(value)) {
        return value.then((v) =>
          this.isTrue(rule, v) ? this.take(frame, bindings, input, rule) : this.matchJsonata(frame, bindings, input, i + 1),
        );
      }
      if (this.isTrue(rule, value)) return this.take(frame, bindings, input, rule);
    }
    if (this.defaultState === undefined) this.noMatch();
    frame.next = this.defaultState;
    return finishJsonata(frame, bindings, this.f.output, this.f.assign as JsonataAssign | undefined, input);
  }

  private isTrue(rule: ChoiceRuleNode, value: Json): boolean {
    if (typeof value !== 'boolean') {
      throw runtimeFailure(StatesErrors.QueryEvaluationError, unexpectedTypeCause(rule.condition, rule.conditionField, 'boolean', value));
    }
    return value;
  }

  private take(frame: Frame, bindings: Record<string, unknown>, input: Json, rule: ChoiceRuleNode): Json | Promise<Json> {
    frame.next = rule.next;
    return finishJsonata(frame, bindings, rule.output, rule.assign as JsonataAssign | undefined, input);
  }
}

// ---------------------------------------------------------------------------------------------
// Wait

export type WaitSpec =
  | { kind: 'seconds'; value: number }
  | { kind: 'timestamp'; value: string }
  | { kind: 'secondsPath'; path: JsonPath }
  | { kind: 'timestampPath'; path: JsonPath }
  | { kind: 'secondsJsonata'; template: JsonataTemplate; expr: JsonataExpression | undefined }
  | { kind: 'timestampJsonata'; template: JsonataTemplate; expr: JsonataExpression | undefined };

export class WaitState extends StateNode {
  readonly type = 'Wait';
  constructor(
    name: string,
    jsonata: boolean,
    nextName: string | undefined,
    private readonly spec: WaitSpec,
    private readonly f: { inputPath?: FilterPath; outputPath?: FilterPath; assign?: AssignDecl; output?: JsonataTemplate },
  ) {
    super(name, jsonata, nextName);
    this.setEventTypes(true);
  }

  /** Milliseconds to wait from now (execution time). */
  private waitMs(frame: Frame, effective: Json, bindings: Record<string, unknown> | undefined): number | Promise<number> {
    const spec = this.spec;
    switch (spec.kind) {
      case 'seconds':
        return spec.value * 1000;
      case 'timestamp':
        return untilTimestamp(frame, spec.value);
      case 'secondsPath': {
        const value = selectPath(frame, spec.path, effective);
        if (typeof value !== 'number' || !Number.isInteger(value)) {
          throw runtimeFailure(
            StatesErrors.Runtime,
            `The SecondsPath parameter cannot be parsed as a long value: ${spec.path.source} == ${typeof value === 'string' ? value : toJsonText(value)}`,
          );
        }
        if (value < 0) {
          throw runtimeFailure(StatesErrors.Runtime, `The SecondsPath parameter references a negative value: ${spec.path.source} == ${value}`);
        }
        return value * 1000;
      }
      case 'timestampPath': {
        const value = selectPath(frame, spec.path, effective);
        const ts = typeof value === 'string' ? parseTimestamp(value) : undefined;
        if (ts === undefined) {
          throw runtimeFailure(
            StatesErrors.Runtime,
            `The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: ${spec.path.source} == ${typeof value === 'string' ? value : toJsonText(value)}`,
          );
        }
        return Number(ts / 1_000_000n) - frame.now();
      }
      case 'secondsJsonata': {
        const check = (v: Json): number => {
          if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
            throw runtimeFailure(
              StatesErrors.QueryEvaluationError,
              spec.expr
                ? unexpectedTypeCause(spec.expr, 'Seconds', 'integer', v)
                : `The Seconds field must be a non-negative integer, but was: ${toJsonText(v)}`,
            );
          }
          return v * 1000;
        };
        const v = spec.template.evaluate(bindings as Record<string, unknown>);
        return isPromise(v) ? v.then(check) : check(v);
      }
      case 'timestampJsonata': {
        const check = (v: Json): number => {
          const ts = typeof v === 'string' ? parseTimestamp(v) : undefined;
          if (ts === undefined) {
            throw runtimeFailure(
              StatesErrors.QueryEvaluationError,
              `The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: ${typeof v === 'string' ? v : toJsonText(v)}`,
            );
          }
          return Number(ts / 1_000_000n) - frame.now();
        };
        const v = spec.template.evaluate(bindings as Record<string, unknown>);
        return isPromise(v) ? v.then(check) : check(v);
      }
    }
  }

  protected execute(frame: Frame, input: Json): Json | Promise<Json> {
    const f = this.f;
    if (this.jsonata) {
      const bindings = frame.bindings(frame.statesBinding(input));
      const ms = this.waitMs(frame, input, bindings);
      const after = (): Json | Promise<Json> => finishJsonata(frame, bindings, f.output, f.assign as JsonataAssign | undefined, input);
      return isPromise(ms) ? ms.then((m) => frame.delay(m)).then(after) : frame.delay(ms).then(after);
    }
    const effective = selectPath(frame, f.inputPath, input);
    const ms = this.waitMs(frame, effective, undefined) as number;
    if (f.assign) (f.assign as JsonPathAssign).evaluate(frame, effective);
    return frame.delay(ms).then(() => selectPath(frame, f.outputPath, effective));
  }
}

function untilTimestamp(frame: Frame, text: string): number {
  const ts = parseTimestamp(text) as bigint;
  return Number(ts / 1_000_000n) - frame.now();
}

// ---------------------------------------------------------------------------------------------
// Execution states: Task, Parallel, Map share Retry and Catch

export interface Retrier {
  errorEquals: string[];
  intervalSeconds: number;
  maxAttempts: number;
  backoffRate: number;
  maxDelaySeconds: number | undefined;
  jitter: 'FULL' | 'NONE';
}

export interface Catcher {
  errorEquals: string[];
  nextName: string;
  next?: StateNode;
  resultPath: ResultPathSpec;
  assign?: AssignDecl;
  output?: JsonataTemplate;
}

/** The delay before retry number `attempt` (0-based), in milliseconds, before jitter. */
export function retryDelayMs(retrier: Retrier, attempt: number, random: () => number = Math.random): number {
  let seconds = retrier.intervalSeconds * Math.pow(retrier.backoffRate, attempt);
  if (retrier.maxDelaySeconds !== undefined) seconds = Math.min(seconds, retrier.maxDelaySeconds);
  let ms = seconds * 1000;
  if (retrier.jitter === 'FULL') ms = random() * ms;
  return ms;
}

export abstract class ExecutionState extends StateNode {
  retriers: Retrier[] = [];
  catchers: Catcher[] = [];

  /** One attempt, output processing included. */
  protected abstract attempt(frame: Frame, input: Json): Json | Promise<Json>;

  protected execute(frame: Frame, input: Json): Json | Promise<Json> {
    frame.retryCount = 0;
    if (this.retriers.length === 0 && this.catchers.length === 0) {
      let out: Json | Promise<Json>;
      try {
        out = this.attempt(frame, input);
      } catch (error) {
        throw this.uncaught(frame, error);
      }
      return isPromise(out)
        ? out.catch((error: unknown) => {
            throw this.uncaught(frame, error);
          })
        : out;
    }
    return this.withRetryAndCatch(frame, input);
  }

  /** The failure of an attempt, with AWS's cause prefix and its EvaluationFailed event. */
  private toFailure(frame: Frame, error: unknown): ExecutionFailure {
    if (error instanceof ExecutionFailure && !error.fromRuntime) return error;
    const failure = frame.toFailure(error);
    recordEvaluationFailure(frame, error, failure);
    return failure;
  }

  private uncaught(frame: Frame, error: unknown): unknown {
    if (isControlSignal(error)) return error;
    const failure = this.toFailure(frame, error);
    // Terminal errors (States.Runtime) end the execution without the state's Failed events.
    if (!isTerminalError(failure.error)) {
      this.onFinalFailure(frame);
      this.onUncaught(frame);
    }
    return failure;
  }

  /** Called once when an attempt fails and no retry follows (MapStateFailed, ParallelStateFailed). */
  protected onFinalFailure(_frame: Frame): void {
    // Task states record no event here.
  }

  /** Called when the failure leaves the state (no catcher). */
  protected onUncaught(_frame: Frame): void {
    // Only Tasks in Parallel branches record one (TaskStateAborted).
  }

  private async withRetryAndCatch(frame: Frame, input: Json): Promise<Json> {
    const counts = this.retriers.map(() => 0);
    for (;;) {
      try {
        const out = this.attempt(frame, input);
        return isPromise(out) ? await out : out;
      } catch (error) {
        if (isControlSignal(error)) throw error;
        const failure = this.toFailure(frame, error);
        frame.assigned = undefined;
        if (!isTerminalError(failure.error)) {
          const index = this.retriers.findIndex((r) => errorMatches(r.errorEquals, failure.error));
          if (index >= 0) {
            const retrier = this.retriers[index] as Retrier;
            const attempt = counts[index] as number;
            if (attempt < retrier.maxAttempts) {
              counts[index] = attempt + 1;
              frame.retryCount = (frame.retryCount ?? 0) + 1;
              await frame.delay(retryDelayMs(retrier, attempt, frame.run.settings.random));
              continue;
            }
          }
        }
        if (isTerminalError(failure.error)) throw failure;
        this.onFinalFailure(frame);
        const catcher = this.catchers.find((c) => errorMatches(c.errorEquals, failure.error));
        if (catcher === undefined) {
          this.onUncaught(frame);
          throw failure;
        }
        const out = this.applyCatcher(frame, catcher, input, failure);
        return isPromise(out) ? await out : out;
      }
    }
  }

  private applyCatcher(frame: Frame, catcher: Catcher, input: Json, failure: ExecutionFailure): Json | Promise<Json> {
    const errorOutput: JsonObject = { Error: failure.error ?? '', Cause: failure.cause ?? '' };
    frame.next = catcher.next;
    frame.assigned = undefined;
    if (this.jsonata) {
      const bindings = frame.bindings(frame.statesBinding(input, { errorOutput }));
      return finishJsonata(frame, bindings, catcher.output, catcher.assign as JsonataAssign | undefined, errorOutput);
    }
    if (catcher.assign) (catcher.assign as JsonPathAssign).evaluate(frame, errorOutput);
    return applyResultPath(catcher.resultPath, input, errorOutput);
  }
}

/** JSONPath output processing of a result: Assign, ResultSelector, ResultPath, OutputPath. */
export interface JsonPathResultFields {
  resultSelector?: PayloadTemplate;
  resultPath: ResultPathSpec;
  outputPath?: FilterPath;
  assign?: AssignDecl;
}

function finishJsonPath(frame: Frame, f: JsonPathResultFields, input: Json, result: Json): Json {
  // Assign reads the raw result (`$`), before ResultSelector reshapes it, as AWS evaluates it.
  if (f.assign) (f.assign as JsonPathAssign).evaluate(frame, result);
  const selected = f.resultSelector ? f.resultSelector.evaluate(frame.withInput(result)) : result;
  return selectPath(frame, f.outputPath, applyResultPath(f.resultPath, input, selected));
}

/** JSONata output processing of a result: Assign and Output with `$states.result`. */
function finishJsonataResult(
  frame: Frame,
  input: Json,
  result: Json,
  output: JsonataTemplate | undefined,
  assign: AssignDecl | undefined,
): Json | Promise<Json> {
  if (output === undefined && assign === undefined) return result;
  const bindings = frame.bindings(frame.statesBinding(input, { result }));
  return finishJsonata(frame, bindings, output, assign as JsonataAssign | undefined, result);
}

async function evaluateNumber(frame: Frame, field: NumberField | undefined, scopeInput: Json, bindings: Record<string, unknown> | undefined): Promise<Json | undefined> {
  if (field === undefined) return undefined;
  if (field.kind === 'literal') return field.value;
  if (field.kind === 'path') return selectPath(frame, field.path, scopeInput);
  return field.template.evaluate(bindings as Record<string, unknown>);
}

// ---------------------------------------------------------------------------------------------
// Task

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

const DEFAULT_TASK_TIMEOUT_SECONDS = 99999999;

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
    if (this.jsonata) {
      const bindings = frame.bindings(frame.statesBinding(input));
      timeout = await evaluateNumber(frame, f.timeout, input, bindings);
      heartbeat = await evaluateNumber(frame, f.heartbeat, input, bindings);
      parameters = f.arguments ? await f.arguments.evaluate(bindings) : input;
    } else {
      const effective = selectPath(frame, f.inputPath, input);
      timeout = await evaluateNumber(frame, f.timeout, effective, undefined);
      heartbeat = await evaluateNumber(frame, f.heartbeat, effective, undefined);
      parameters = f.parameters ? f.parameters.evaluate(frame.withInput(effective)) : effective;
    }
    const timeoutSeconds = checkPositiveInteger(timeout, 'TimeoutSeconds', f.timeout);
    const heartbeatSeconds = checkPositiveInteger(heartbeat, 'HeartbeatSeconds', f.heartbeat);
    const result = await this.invoke(frame, parameters, timeoutSeconds, heartbeatSeconds, frame.taskToken);
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

function checkPositiveInteger(value: Json | undefined, name: string, field: NumberField | undefined): number | undefined {
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
function checkPayloadSize(frame: Frame, stateName: string, value: Json): void {
  const limit = frame.run.settings.payloadSizeLimit;
  if (limit === undefined || jsonSize(value) <= limit) return;
  throw new ExecutionFailure(
    StatesErrors.DataLimitExceeded,
    `The state/task '${stateName}' returned a result with a size exceeding the maximum number of bytes service limit.`,
  );
}

/** Error and Cause of anything an integration threw. */
export function describeTaskError(error: unknown): { error: string | undefined; cause: string | undefined } {
  if (error instanceof ExecutionFailure) return { error: error.error, cause: error.cause };
  if (error instanceof TaskFailure) return { error: error.error, cause: error.errorCause };
  if (error instanceof Error) return { error: error.name || 'Error', cause: error.message };
  return { error: 'Error', cause: typeof error === 'string' ? error : toJsonText(error as Json) };
}

// ---------------------------------------------------------------------------------------------
// Parallel

export class ParallelState extends ExecutionState {
  readonly type = 'Parallel';
  constructor(
    name: string,
    jsonata: boolean,
    nextName: string | undefined,
    readonly branches: Workflow[],
    private readonly f: JsonPathResultFields & {
      inputPath?: FilterPath;
      parameters?: PayloadTemplate;
      arguments?: JsonataTemplate;
      output?: JsonataTemplate;
    },
  ) {
    super(name, jsonata, nextName);
    this.setEventTypes(true);
  }

  protected attempt(frame: Frame, input: Json): Promise<Json> {
    return this.attemptAsync(frame, input);
  }

  protected override onFinalFailure(frame: Frame): void {
    frame.run.addEvent(frame, 'ParallelStateFailed');
  }

  private async attemptAsync(frame: Frame, input: Json): Promise<Json> {
    const f = this.f;
    let branchInput: Json;
    if (this.jsonata) {
      branchInput = f.arguments ? await f.arguments.evaluate(frame.bindings(frame.statesBinding(input))) : input;
    } else {
      const effective = selectPath(frame, f.inputPath, input);
      branchInput = f.parameters ? f.parameters.evaluate(frame.withInput(effective)) : effective;
    }
    const run = frame.run;
    const startId = run.addEvent(frame, 'ParallelStateStarted');
    const group = new CancellationGroup(frame.signal);
    let failure: unknown;
    let failedLastId: number | undefined;
    let lastId = startId;
    const results = await Promise.all(
      this.branches.map(async (branch) => {
        const branchFrame = new Frame(run, frame, group, startId, 'branch');
        try {
          const out = runWorkflow(branchFrame, branch, branchInput);
          return isPromise(out) ? await out : out;
        } catch (error) {
          if (!(error instanceof BranchCancelled)) {
            if (failure === undefined) {
              failure = error;
              failedLastId = branchFrame.lastEventId;
            }
            group.cancel();
          }
          return null;
        } finally {
          lastId = Math.max(lastId, branchFrame.lastEventId);
          // Execution time skipped by scaled waits in a branch counts for what follows.
          frame.skippedMs = Math.max(frame.skippedMs, branchFrame.skippedMs);
        }
      }),
    );
    group.dispose();
    if (failure !== undefined) {
      frame.lastEventId = failedLastId ?? lastId;
      throw failure;
    }
    frame.checkpoint();
    frame.lastEventId = lastId;
    checkPayloadSize(frame, this.name, results);
    run.addEvent(frame, 'ParallelStateSucceeded', undefined, undefined, lastId, false);
    if (this.jsonata) return finishJsonataResult(frame, input, results, f.output, f.assign);
    return finishJsonPath(frame, f, input, results);
  }
}

// ---------------------------------------------------------------------------------------------
// Map

export interface MapFields extends JsonPathResultFields {
  processor: Workflow;
  distributed: boolean;
  label?: string;
  inputPath?: FilterPath;
  itemsPath?: JsonPath;
  itemSelector?: PayloadTemplate;
  items?: JsonataTemplate;
  itemSelectorJsonata?: JsonataTemplate;
  itemBatcher?: { maxItems?: NumberField; batchInput?: PayloadTemplate | JsonataTemplate };
  maxConcurrency?: NumberField;
  toleratedFailureCount?: NumberField;
  toleratedFailurePercentage?: NumberField;
  output?: JsonataTemplate;
}

const INLINE_CONCURRENCY_CAP = 40;
const DISTRIBUTED_CONCURRENCY_CAP = 10_000;

function describeValue(value: Json): string {
  return typeof value === 'string' ? value : toJsonText(value);
}

export class MapState extends ExecutionState {
  readonly type = 'Map';
  constructor(
    name: string,
    jsonata: boolean,
    nextName: string | undefined,
    readonly f: MapFields,
  ) {
    super(name, jsonata, nextName);
    this.setEventTypes(true);
  }

  protected attempt(frame: Frame, input: Json): Promise<Json> {
    return this.attemptAsync(frame, input);
  }

  protected override onFinalFailure(frame: Frame): void {
    frame.run.addEvent(frame, 'MapStateFailed');
  }

  private async attemptAsync(frame: Frame, input: Json): Promise<Json> {
    const f = this.f;
    const jsonata = this.jsonata;
    const bindings = jsonata ? frame.bindings(frame.statesBinding(input)) : undefined;
    const effective = jsonata ? input : selectPath(frame, f.inputPath, input);

    const maxConcurrency = await this.integerField(frame, f.maxConcurrency, effective, bindings, 'MaxConcurrency', 'integer');
    if (maxConcurrency !== undefined && maxConcurrency < 0) throw runtimeFailure(StatesErrors.Runtime, 'MaxConcurrency cannot be negative.');

    let items: Json;
    if (jsonata) {
      if (f.items !== undefined) {
        items = await f.items.evaluate(bindings as Record<string, unknown>);
        if (!Array.isArray(items)) {
          throw runtimeFailure(StatesErrors.QueryEvaluationError, unexpectedTypeCause(f.items.expressions[0], 'Items', 'array', items));
        }
      } else {
        items = input;
        if (!Array.isArray(items)) {
          throw runtimeFailure(StatesErrors.QueryEvaluationError, `Map state input must be an array but was: ${toJsonText(items)}`);
        }
      }
    } else {
      items = f.itemsPath ? selectPath(frame, f.itemsPath, effective) : effective;
      if (!Array.isArray(items)) {
        throw runtimeFailure(StatesErrors.Runtime, `Map state input must be an array but was: ${toJsonText(items)}`);
      }
    }

    const run = frame.run;
    run.addEvent(frame, 'MapStateStarted', 'mapStateStartedEventDetails', run.recording ? { length: items.length } : undefined);
    const toleratedCount = await this.integerField(frame, f.toleratedFailureCount, effective, bindings, 'ToleratedFailureCount', 'integer');
    const toleratedPercentage = await this.integerField(frame, f.toleratedFailurePercentage, effective, bindings, 'ToleratedFailurePercentage', 'float');
    if (toleratedCount !== undefined && toleratedCount < 0) throw runtimeFailure(StatesErrors.Runtime, 'ToleratedFailureCount cannot be negative.');
    if (toleratedPercentage !== undefined && (toleratedPercentage < 0 || toleratedPercentage > 100)) {
      throw runtimeFailure(StatesErrors.Runtime, 'ToleratedFailurePercentage must be between 0 and 100.');
    }
    let mapRunArn: string | undefined;
    if (f.distributed) {
      mapRunArn = `arn:${run.settings.partition}:states:${run.settings.region}:${run.settings.accountId}:mapRun:${run.settings.stateMachineName}/${f.label ?? this.name}:${randomUUID()}`;
      run.addEvent(frame, 'MapRunStarted', 'mapRunStartedEventDetails', run.recording ? { mapRunArn } : undefined);
    }

    // Item inputs: ItemSelector (with $$.Map.Item) or the item itself.
    const inputs: Json[] = [];
    for (let index = 0; index < items.length; index++) {
      inputs.push(await this.selectItem(frame, effective, input, items[index] as Json, index));
    }
    const batched = f.itemBatcher ? await this.batch(frame, inputs, effective, bindings) : inputs;

    const cap = f.distributed ? DISTRIBUTED_CONCURRENCY_CAP : INLINE_CONCURRENCY_CAP;
    const concurrency = Math.max(1, Math.min(maxConcurrency && maxConcurrency > 0 ? maxConcurrency : cap, cap, batched.length));
    const results = await this.iterate(frame, batched, concurrency, toleratedCount, toleratedPercentage);
    checkPayloadSize(frame, this.name, results);

    // Neither MapRunSucceeded nor MapStateSucceeded moves the chain: MapStateExited follows the
    // last iteration (inline) or MapRunStarted (distributed), as AWS records it.
    const completed = f.distributed ? run.addEvent(frame, 'MapRunSucceeded', undefined, undefined, frame.lastEventId, false) : frame.lastEventId;
    run.addEvent(frame, 'MapStateSucceeded', undefined, undefined, completed, false);
    if (jsonata) return finishJsonataResult(frame, input, results, f.output, f.assign);
    return finishJsonPath(frame, f, input, results);
  }

  private async integerField(
    frame: Frame,
    field: NumberField | undefined,
    effective: Json,
    bindings: Record<string, unknown> | undefined,
    name: string,
    kind: 'integer' | 'float',
  ): Promise<number | undefined> {
    let value = await evaluateNumber(frame, field, effective, bindings);
    if (value === undefined || field === undefined) return undefined;
    // A ...Path may point at a numeric string: AWS parses it (as Java's parseInt/parseFloat would).
    if (field.kind === 'path' && typeof value === 'string') {
      const pattern = kind === 'integer' ? /^[+-]?\d+$/ : /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
      if (pattern.test(value.trim())) value = Number(value.trim());
    }
    const ok = typeof value === 'number' && (kind === 'float' || Number.isInteger(value));
    if (!ok) {
      if (field.kind === 'jsonata') {
        throw runtimeFailure(
          StatesErrors.QueryEvaluationError,
          unexpectedTypeCause(field.template.expressions[0], field.field, kind === 'float' ? 'number' : 'integer', value),
        );
      }
      const source = field.kind === 'path' ? field.path.source : name;
      throw runtimeFailure(StatesErrors.Runtime, `The ${name}Path field refers to value "${describeValue(value)}" which is not a valid ${kind}: ${source}`);
    }
    return value as number;
  }

  private selectItem(frame: Frame, effective: Json, stateInput: Json, item: Json, index: number): Json | Promise<Json> {
    const f = this.f;
    if (f.itemSelector === undefined && f.itemSelectorJsonata === undefined) return item;
    const mapItem: JsonObject = { Index: index, Value: item };
    const context = frame.contextObject();
    context['Map'] = { Item: mapItem };
    if (f.itemSelectorJsonata !== undefined) {
      const states = frame.statesBinding(stateInput).withContext(context);
      return f.itemSelectorJsonata.evaluate(frame.bindings(states));
    }
    const scope: ValueScope = {
      input: effective,
      contextObject: () => context,
      lookupVariable: (name) => frame.lookupVariable(name),
    };
    return (f.itemSelector as PayloadTemplate).evaluate(scope);
  }

  private async batch(frame: Frame, inputs: Json[], effective: Json, bindings: Record<string, unknown> | undefined): Promise<Json[]> {
    const batcher = this.f.itemBatcher as NonNullable<MapFields['itemBatcher']>;
    const max = (await this.integerField(frame, batcher.maxItems, effective, bindings, 'MaxItemsPerBatch', 'integer')) ?? inputs.length;
    let batchInput: Json | undefined;
    if (batcher.batchInput !== undefined) {
      batchInput = 'paths' in batcher.batchInput
        ? batcher.batchInput.evaluate(frame.withInput(effective))
        : await batcher.batchInput.evaluate(bindings as Record<string, unknown>);
    }
    const out: Json[] = [];
    for (let i = 0; i < inputs.length; i += Math.max(1, max)) {
      const batch: JsonObject = { Items: inputs.slice(i, i + Math.max(1, max)) };
      if (batchInput !== undefined) batch['BatchInput'] = batchInput;
      out.push(batch);
    }
    return out;
  }

  private async iterate(
    frame: Frame,
    inputs: Json[],
    concurrency: number,
    toleratedCount: number | undefined,
    toleratedPercentage: number | undefined,
  ): Promise<Json[]> {
    // Distributed maps (and maps that set a tolerance) fail with ExceedToleratedFailureThreshold;
    // an inline map without one fails with the iteration's own error.
    const thresholds = this.f.distributed || toleratedCount !== undefined || toleratedPercentage !== undefined;
    const run = frame.run;
    const distributed = this.f.distributed;
    const processor = this.f.processor;
    const group = new CancellationGroup(frame.signal);
    const results: Json[] = new Array<Json>(inputs.length).fill(null);
    let nextIndex = 0;
    let failures = 0;
    let failure: unknown;
    // AWS chains each MapIterationStarted to the previous iteration's last state event, and
    // MapStateSucceeded to the last MapIterationSucceeded.
    let chain = frame.lastEventId;
    let lastCompletion: number | undefined;
    let failedChain: number | undefined;
    const name = this.name;

    const succeeded = (index: number, iteration: Frame, value: Json, details: { name: string; index: number } | undefined): void => {
      results[index] = value;
      frame.skippedMs = Math.max(frame.skippedMs, iteration.skippedMs);
      if (!distributed) {
        chain = Math.max(chain, iteration.lastEventId);
        lastCompletion = run.addEvent(iteration, 'MapIterationSucceeded', 'mapIterationSucceededEventDetails', details);
      }
    };
    const failed = (index: number, iteration: Frame, error: unknown, details: { name: string; index: number } | undefined): void => {
      frame.skippedMs = Math.max(frame.skippedMs, iteration.skippedMs);
      if (error instanceof BranchCancelled) {
        if (!distributed) run.addEvent(iteration, 'MapIterationAborted', 'mapIterationAbortedEventDetails', details);
        return;
      }
      if (error instanceof ExecutionStopped) {
        failure ??= error;
        group.cancel(error);
        return;
      }
      if (!distributed) {
        chain = Math.max(chain, iteration.lastEventId);
        run.addEvent(iteration, 'MapIterationFailed', 'mapIterationFailedEventDetails', details, iteration.lastEventId, false);
      }
      failures++;
      const f = error instanceof ExecutionFailure ? error : frame.toFailure(error);
      results[index] = { Error: f.error ?? '', Cause: f.cause ?? '' };
      let exceeded = !thresholds;
      if (thresholds) {
        const byCount = toleratedCount !== undefined && failures > toleratedCount;
        const byPercentage = toleratedPercentage !== undefined && (failures * 100) / inputs.length > toleratedPercentage;
        exceeded = toleratedCount === undefined && toleratedPercentage === undefined ? failures > 0 : byCount || byPercentage;
      }
      if (exceeded && failure === undefined) {
        failure = thresholds
          ? new ExecutionFailure(StatesErrors.ExceedToleratedFailureThreshold, 'The specified tolerated failure threshold was exceeded')
          : f;
        failedChain = iteration.lastEventId;
        group.cancel();
      }
    };

    /** Runs one iteration; synchronous when its states are. */
    const runOne = (index: number): void | Promise<void> => {
      const details = run.recording ? { name, index } : undefined;
      const iteration = distributed ? new Frame(run, frame, group, 0, 'iteration', true) : new Frame(run, frame, group, 0, 'iteration');
      if (!distributed) {
        iteration.lastEventId = run.addEvent(undefined, 'MapIterationStarted', 'mapIterationStartedEventDetails', details, chain, false);
      }
      let out: Json | Promise<Json>;
      try {
        out = runWorkflow(iteration, processor, inputs[index] as Json);
      } catch (error) {
        failed(index, iteration, error, details);
        return;
      }
      if (!isPromise(out)) {
        succeeded(index, iteration, out, details);
        return;
      }
      return out.then(
        (value) => succeeded(index, iteration, value, details),
        (error: unknown) => failed(index, iteration, error, details),
      );
    };

    const worker = async (): Promise<void> => {
      while (nextIndex < inputs.length && !group.cancelled) {
        const pending = runOne(nextIndex++);
        if (pending !== undefined) await pending;
      }
    };
    const workers: Promise<void>[] = [];
    for (let i = 0; i < concurrency; i++) workers.push(worker());
    await Promise.all(workers);
    group.dispose();
    if (failure === undefined) {
      frame.checkpoint();
      frame.lastEventId = lastCompletion ?? chain;
      return results;
    }
    if (isControlSignal(failure)) throw failure;
    frame.lastEventId = failedChain ?? chain;
    if (distributed) run.addEvent(frame, 'MapRunFailed');
    throw failure;
  }
}
