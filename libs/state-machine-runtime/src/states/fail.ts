/**
 * The Fail state: Error and Cause, literal, from a path or an expression.
 * One module per state type: its compilation (from the definition) beside its execution.
 */
import type { DefinitionCompiler } from '../compiler';
import type { Frame } from '../engine';
import { ExecutionFailure, runtimeFailure, StatesErrors } from '../errors';
import { type Json, toJsonText } from '../json';
import { evaluateField, isJsonataString, type JsonataExpression, unexpectedTypeCause } from '../jsonata';
import { compileDynamic, evaluateDynamic } from '../jsonpath-scope';
import { COMMON_FIELDS, NO_RESULT, type StateCtx } from './compile-context';
import { isPromise, StateNode } from './state-node';

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

// Compilation

/** The fields a Fail state may have. */
export const FAIL_FIELDS = [...COMMON_FIELDS, 'Error', 'Cause', 'ErrorPath', 'CausePath'];

export function failField(c: DefinitionCompiler, raw: Record<string, Json>, field: 'Error' | 'Cause', ctx: StateCtx): FailField | undefined {
  const pathField = `${field}Path`;
  const value = raw[field];
  if (value !== undefined && raw[pathField] !== undefined) c.stateError(ctx, undefined, `'${field}' and '${pathField}' cannot both be set`);
  if (value !== undefined) {
    if (typeof value !== 'string') {
      c.stateError(ctx, field, 'must be a string');
      return undefined;
    }
    if (ctx.jsonata && isJsonataString(value)) {
      const template = c.jsonataValue(value, field, ctx, NO_RESULT);
      const expr = template?.expressions[0];
      return expr ? { kind: 'jsonata', expr, field } : undefined;
    }
    return { kind: 'literal', value };
  }
  const path = raw[pathField];
  if (path !== undefined && !ctx.jsonata) {
    if (typeof path !== 'string') {
      c.stateError(ctx, pathField, 'must be a JSONPath or an intrinsic function');
      return undefined;
    }
    try {
      return { kind: 'path', dynamic: compileDynamic(path, pathField), field: pathField };
    } catch (error) {
      c.stateError(ctx, pathField, (error as Error).message);
    }
  }
  return undefined;
}

export function compileFail(c: DefinitionCompiler, raw: Record<string, Json>, ctx: StateCtx): StateNode {
  const f: { error?: FailField; cause?: FailField } = {};
  const error = failField(c, raw, 'Error', ctx);
  const cause = failField(c, raw, 'Cause', ctx);
  if (error) f.error = error;
  if (cause) f.cause = cause;
  return new FailState(ctx.name, ctx.jsonata, f);
}

