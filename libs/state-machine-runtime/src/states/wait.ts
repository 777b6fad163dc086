/**
 * The Wait state: Seconds or Timestamp, literal, from a path or an expression, on the execution's clock.
 * One module per state type: its compilation (from the definition) beside its execution.
 */
import { parseTimestamp } from '../choice-rules';
import type { DefinitionCompiler } from '../compiler';
import type { Frame } from '../engine';
import { runtimeFailure, StatesErrors } from '../errors';
import { type Json, toJsonText } from '../json';
import { isJsonataString, type JsonataExpression, type JsonataTemplate, unexpectedTypeCause } from '../jsonata';
import type { JsonPath } from '../jsonpath';
import { COMMON_FIELDS, FLOW_FIELDS, JSONPATH_IO_FIELDS, MAX_SECONDS, NO_RESULT, type StateCtx } from './compile-context';
import type { JsonataAssign, JsonPathAssign} from './state-node';
import { type AssignDecl, type FilterPath, finishJsonata, isPromise, selectPath, StateNode } from './state-node';


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

export function untilTimestamp(frame: Frame, text: string): number {
  const ts = parseTimestamp(text) as bigint;
  return Number(ts / 1_000_000n) - frame.now();
}

// ---------------------------------------------------------------------------------------------

// Compilation

/** The fields a Wait state may have. */
export const WAIT_FIELDS = [...COMMON_FIELDS, ...FLOW_FIELDS, ...JSONPATH_IO_FIELDS, 'Seconds', 'Timestamp', 'SecondsPath', 'TimestampPath', 'Output', 'Assign'];

export function compileWait(c: DefinitionCompiler, raw: Record<string, Json>, ctx: StateCtx, nextName: string | undefined): StateNode {
  const present = ['Seconds', 'Timestamp', 'SecondsPath', 'TimestampPath'].filter((k) => raw[k] !== undefined);
  let spec: WaitSpec = { kind: 'seconds', value: 0 };
  if (present.length !== 1) {
    c.stateError(ctx, undefined, 'A Wait state needs exactly one of Seconds, Timestamp, SecondsPath, TimestampPath');
  } else {
    const key = present[0] as string;
    const value = raw[key] as Json;
    if (ctx.jsonata && isJsonataString(value)) {
      const template = c.jsonataValue(value, key, ctx, NO_RESULT);
      if (template) {
        spec = key === 'Seconds'
          ? { kind: 'secondsJsonata', template, expr: template.expressions[0] }
          : { kind: 'timestampJsonata', template, expr: template.expressions[0] };
      }
    } else if (key === 'Seconds') {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_SECONDS) {
        c.stateError(ctx, key, `must be a non-negative integer no larger than ${MAX_SECONDS}`);
      } else spec = { kind: 'seconds', value };
    } else if (key === 'Timestamp') {
      if (typeof value !== 'string' || parseTimestamp(value) === undefined) {
        c.stateError(ctx, key, 'must be an ISO-8601 extended offset date-time, e.g. 2024-01-01T00:00:00Z');
      } else spec = { kind: 'timestamp', value };
    } else {
      const path = c.path(value, ctx, key);
      if (path) spec = key === 'SecondsPath' ? { kind: 'secondsPath', path } : { kind: 'timestampPath', path };
    }
  }
  const f: ConstructorParameters<typeof WaitState>[4] = {
    inputPath: c.filterPath(raw, 'InputPath', ctx),
    outputPath: c.filterPath(raw, 'OutputPath', ctx),
  };
  const assign = c.assign(raw, ctx, NO_RESULT);
  if (assign) f.assign = assign;
  const output = c.jsonataTemplate(raw, 'Output', ctx, NO_RESULT);
  if (output) f.output = output;
  return new WaitState(ctx.name, ctx.jsonata, nextName, spec, f);
}

