/**
 * What Task, Parallel and Map share: one attempt at a time under Retry (backoff, jitter) and Catch, and the processing of a result (ResultSelector, ResultPath, OutputPath; Output and Assign in JSONata).
 */
import type { Frame} from '../engine';
import { isControlSignal } from '../engine';
import { errorMatches, ExecutionFailure, isTerminalError } from '../errors';
import type { Json, JsonObject } from '../json';
import type { JsonataTemplate } from '../jsonata';
import type { PayloadTemplate } from '../jsonpath-scope';
import type { JsonataAssign, JsonPathAssign} from './state-node';
import { applyResultPath, type AssignDecl, type FilterPath, finishJsonata, isPromise, type NumberField, recordEvaluationFailure, type ResultPathSpec, selectPath, StateNode } from './state-node';


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
    const failure = error instanceof ExecutionFailure && !error.fromRuntime ? error : frame.toFailure(error);
    if (failure !== error) recordEvaluationFailure(frame, error, failure);
    frame.run.inspect?.(this.name, 'errorOutput', { Error: failure.error ?? '', Cause: failure.cause ?? '' });
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

export function finishJsonPath(frame: Frame, f: JsonPathResultFields, input: Json, result: Json): Json {
  // Assign reads the raw result (`$`), before ResultSelector reshapes it, as AWS evaluates it.
  if (f.assign) (f.assign as JsonPathAssign).evaluate(frame, result);
  const selected = f.resultSelector ? f.resultSelector.evaluate(frame.withInput(result)) : result;
  const inspect = frame.run.inspect;
  if (inspect === undefined) return selectPath(frame, f.outputPath, applyResultPath(f.resultPath, input, selected));
  if (f.resultSelector) inspect(frame.stateName, 'afterResultSelector', selected);
  const placed = applyResultPath(f.resultPath, input, selected);
  inspect(frame.stateName, 'afterResultPath', placed);
  return selectPath(frame, f.outputPath, placed);
}

/** JSONata output processing of a result: Assign and Output with `$states.result`. */
export function finishJsonataResult(
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

export async function evaluateNumber(frame: Frame, field: NumberField | undefined, scopeInput: Json, bindings: Record<string, unknown> | undefined): Promise<Json | undefined> {
  if (field === undefined) return undefined;
  if (field.kind === 'literal') return field.value;
  if (field.kind === 'path') return selectPath(frame, field.path, scopeInput);
  return field.template.evaluate(bindings as Record<string, unknown>);
}

// ---------------------------------------------------------------------------------------------
