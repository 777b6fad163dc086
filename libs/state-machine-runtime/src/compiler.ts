/**
 * Validates a definition against the Amazon States Language and compiles it: every path,
 * intrinsic function and JSONata expression is parsed once here. Every problem found is
 * reported together, each naming its state, its field and its JSON-pointer location.
 */
import { ChoiceRuleError, compileChoiceRule, parseTimestamp } from './choice';
import { StatesErrors, type DefinitionDiagnostic } from './errors';
import type { IntegrationRegistry } from './integrations/types';
import { parseResource } from './integrations/types';
import { isJsonObject, type Json } from './json';
import { isJsonataString, JsonataTemplate, JsonataTemplateError, type JsonataExpression } from './jsonata';
import { parseJsonPath, type JsonPath } from './jsonpath';
import { compileDynamic, PayloadTemplate, TemplateSyntaxError } from './jsonpath-scope';
import {
  ChoiceState,
  FailState,
  JsonataAssign,
  JsonPathAssign,
  MapState,
  ParallelState,
  PassState,
  SucceedState,
  TaskState,
  WaitState,
  Workflow,
  type AssignDecl,
  type Catcher,
  type ChoiceRuleNode,
  type ExecutionState,
  type FailField,
  type FilterPath,
  type NumberField,
  type ResultPathSpec,
  type Retrier,
  type StateNode,
  type WaitSpec,
} from './states';

export type QueryLanguage = 'JSONPath' | 'JSONata';

const STATE_TYPES = ['Pass', 'Task', 'Choice', 'Wait', 'Succeed', 'Fail', 'Parallel', 'Map'] as const;
type StateType = (typeof STATE_TYPES)[number];

const COMMON = ['Type', 'Comment', 'QueryLanguage'];
const FLOW = ['Next', 'End'];
const JSONPATH_IO = ['InputPath', 'OutputPath'];
const ERRORS = ['Retry', 'Catch'];

const ALLOWED: Record<StateType, string[]> = {
  Pass: [...COMMON, ...FLOW, ...JSONPATH_IO, 'Parameters', 'Result', 'ResultPath', 'Output', 'Assign'],
  Task: [
    ...COMMON, ...FLOW, ...JSONPATH_IO, ...ERRORS,
    'Resource', 'Parameters', 'Arguments', 'Credentials', 'ResultPath', 'ResultSelector', 'Output', 'Assign',
    'TimeoutSeconds', 'TimeoutSecondsPath', 'HeartbeatSeconds', 'HeartbeatSecondsPath',
  ],
  Choice: [...COMMON, ...JSONPATH_IO, 'Choices', 'Default', 'Output', 'Assign'],
  Wait: [...COMMON, ...FLOW, ...JSONPATH_IO, 'Seconds', 'Timestamp', 'SecondsPath', 'TimestampPath', 'Output', 'Assign'],
  Succeed: [...COMMON, ...JSONPATH_IO, 'Output'],
  Fail: [...COMMON, 'Error', 'Cause', 'ErrorPath', 'CausePath'],
  Parallel: [...COMMON, ...FLOW, ...JSONPATH_IO, ...ERRORS, 'Branches', 'Parameters', 'Arguments', 'ResultPath', 'ResultSelector', 'Output', 'Assign'],
  Map: [
    ...COMMON, ...FLOW, ...JSONPATH_IO, ...ERRORS,
    'ItemProcessor', 'Iterator', 'ItemsPath', 'Items', 'ItemSelector', 'Parameters', 'ItemReader', 'ItemBatcher', 'ResultWriter',
    'MaxConcurrency', 'MaxConcurrencyPath', 'ToleratedFailureCount', 'ToleratedFailureCountPath',
    'ToleratedFailurePercentage', 'ToleratedFailurePercentagePath', 'Label',
    'ResultPath', 'ResultSelector', 'Output', 'Assign',
  ],
};

const JSONPATH_ONLY = new Set([
  'InputPath', 'OutputPath', 'Parameters', 'Result', 'ResultPath', 'ResultSelector', 'ItemsPath',
  'MaxConcurrencyPath', 'ToleratedFailureCountPath', 'ToleratedFailurePercentagePath', 'SecondsPath',
  'TimestampPath', 'TimeoutSecondsPath', 'HeartbeatSecondsPath', 'ErrorPath', 'CausePath', 'Iterator',
]);
const JSONATA_ONLY = new Set(['Output', 'Arguments', 'Items']);

const MAX_SECONDS = 99999999;
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Where `$states.result` / `$states.errorOutput` may be read. */
type StatesScope = { result: boolean; errorOutput: boolean };
const NO_RESULT: StatesScope = { result: false, errorOutput: false };
const WITH_RESULT: StatesScope = { result: true, errorOutput: false };
const IN_CATCH: StatesScope = { result: false, errorOutput: true };

export interface CompiledDefinition {
  workflow: Workflow;
  queryLanguage: QueryLanguage;
  timeoutSeconds: number | undefined;
  comment: string | undefined;
}

interface StateCtx {
  name: string;
  location: string;
  jsonata: boolean;
}

export class DefinitionCompiler {
  readonly diagnostics: DefinitionDiagnostic[] = [];
  private machineLanguage: QueryLanguage = 'JSONPath';

  constructor(private readonly integrations: IntegrationRegistry) {}

  private report(code: string, location: string, message: string, stateName?: string, field?: string): void {
    const d: DefinitionDiagnostic = { code, location, message };
    if (stateName !== undefined) d.stateName = stateName;
    if (field !== undefined) d.field = field;
    this.diagnostics.push(d);
  }

  private stateError(ctx: StateCtx, field: string | undefined, message: string, code = 'SCHEMA_VALIDATION_FAILED'): void {
    const location = field ? `${ctx.location}/${field.replace(/\[(\d+)\]\./g, '/$1/').replace(/\[(\d+)\]/g, '/$1')}` : ctx.location;
    const where = field ? `State '${ctx.name}', field '${field}'` : `State '${ctx.name}'`;
    this.report(code, location, `${where}: ${message}`, ctx.name, field);
  }

  compile(definition: unknown): CompiledDefinition | undefined {
    if (!isJsonObject(definition)) {
      this.report('SCHEMA_VALIDATION_FAILED', '', 'The definition must be a JSON object');
      return undefined;
    }
    const allowedTop = ['Comment', 'StartAt', 'States', 'Version', 'TimeoutSeconds', 'QueryLanguage'];
    for (const key of Object.keys(definition)) {
      if (!allowedTop.includes(key)) this.report('SCHEMA_VALIDATION_FAILED', `/${key}`, `Field '${key}' is not supported at the top level of a definition`);
    }
    const ql = definition['QueryLanguage'];
    if (ql !== undefined && ql !== 'JSONPath' && ql !== 'JSONata') {
      this.report('SCHEMA_VALIDATION_FAILED', '/QueryLanguage', "Field 'QueryLanguage': Value should be one of the following: [JSONPath, JSONata]");
    }
    this.machineLanguage = ql === 'JSONata' ? 'JSONata' : 'JSONPath';
    let timeoutSeconds: number | undefined;
    if (definition['TimeoutSeconds'] !== undefined) {
      const t = definition['TimeoutSeconds'];
      if (!isPositiveInteger(t)) {
        this.report('SCHEMA_VALIDATION_FAILED', '/TimeoutSeconds', `Field 'TimeoutSeconds' must be a positive integer no larger than ${MAX_SECONDS}`);
      } else timeoutSeconds = t;
    }
    if (definition['Version'] !== undefined && definition['Version'] !== '1.0') {
      this.report('SCHEMA_VALIDATION_FAILED', '/Version', "Field 'Version' must be \"1.0\"");
    }
    const workflow = this.compileContainer(definition, '');
    if (this.diagnostics.length > 0 || workflow === undefined) return undefined;
    return {
      workflow,
      queryLanguage: this.machineLanguage,
      timeoutSeconds,
      comment: typeof definition['Comment'] === 'string' ? definition['Comment'] : undefined,
    };
  }

  /** A StartAt/States container: the machine, a Parallel branch or a Map's processor. */
  private compileContainer(container: Record<string, Json>, location: string): Workflow | undefined {
    const states = container['States'];
    const startAt = container['StartAt'];
    if (!isJsonObject(states) || Object.keys(states).length === 0) {
      this.report('SCHEMA_VALIDATION_FAILED', `${location}/States`, "Field 'States' is required and must be a non-empty object of states");
      return undefined;
    }
    if (typeof startAt !== 'string') {
      this.report('SCHEMA_VALIDATION_FAILED', `${location}/StartAt`, "Field 'StartAt' is required and must be a string");
    } else if (!(startAt in states)) {
      this.report('MISSING_TRANSITION_TARGET', `${location}/StartAt`, `Field 'StartAt' refers to state '${startAt}', which does not exist`);
    }
    const compiled = new Map<string, StateNode>();
    for (const [name, raw] of Object.entries(states)) {
      const ctx: StateCtx = { name, location: `${location}/States/${name}`, jsonata: false };
      if (name.length === 0 || name.length > 80) this.stateError(ctx, undefined, 'State names must be 1 to 80 characters long');
      if (!isJsonObject(raw)) {
        this.stateError(ctx, undefined, 'A state must be a JSON object');
        continue;
      }
      const node = this.compileState(raw, ctx);
      if (node) compiled.set(name, node);
    }
    // Resolve transitions.
    const targets = (s: StateNode): string[] => {
      const out: string[] = [];
      if (s.nextName !== undefined) out.push(s.nextName);
      if (s instanceof ChoiceState) {
        for (const r of s.rules) out.push(r.nextName);
        if (s.defaultName !== undefined) out.push(s.defaultName);
      }
      if (s.type === 'Task' || s.type === 'Parallel' || s.type === 'Map') {
        for (const c of (s as ExecutionState).catchers) out.push(c.nextName);
      }
      return out;
    };
    for (const [name, s] of compiled) {
      const ctx: StateCtx = { name, location: `${location}/States/${name}`, jsonata: s.jsonata };
      if (s.nextName !== undefined) {
        const target = compiled.get(s.nextName);
        if (!target && !(s.nextName in states)) this.stateError(ctx, 'Next', `refers to state '${s.nextName}', which does not exist`, 'MISSING_TRANSITION_TARGET');
        s.next = target;
      }
      if (s instanceof ChoiceState) {
        s.rules.forEach((r, i) => {
          r.next = compiled.get(r.nextName);
          if (!(r.nextName in states)) this.stateError(ctx, `Choices[${i}].Next`, `refers to state '${r.nextName}', which does not exist`, 'MISSING_TRANSITION_TARGET');
        });
        if (s.defaultName !== undefined) {
          s.defaultState = compiled.get(s.defaultName);
          if (!(s.defaultName in states)) this.stateError(ctx, 'Default', `refers to state '${s.defaultName}', which does not exist`, 'MISSING_TRANSITION_TARGET');
        }
      }
      if (s.type === 'Task' || s.type === 'Parallel' || s.type === 'Map') {
        (s as ExecutionState).catchers.forEach((c, i) => {
          c.next = compiled.get(c.nextName);
          if (!(c.nextName in states)) this.stateError(ctx, `Catch[${i}].Next`, `refers to state '${c.nextName}', which does not exist`, 'MISSING_TRANSITION_TARGET');
        });
      }
    }
    // Reachability and a way to end.
    if (typeof startAt === 'string' && compiled.has(startAt)) {
      const seen = new Set<string>([startAt]);
      const queue = [startAt];
      while (queue.length > 0) {
        const s = compiled.get(queue.pop() as string);
        if (!s) continue;
        for (const t of targets(s)) {
          if (!seen.has(t)) {
            seen.add(t);
            queue.push(t);
          }
        }
      }
      for (const name of Object.keys(states)) {
        if (!seen.has(name)) {
          this.report('MISSING_TRANSITION_TARGET', `${location}/States/${name}`, `State '${name}' is not reachable from StartAt '${startAt}'`, name);
        }
      }
      const terminal = [...compiled.values()].some(
        (s) => s.type === 'Succeed' || s.type === 'Fail' || (s.nextName === undefined && s.type !== 'Choice'),
      );
      if (!terminal) this.report('MISSING_END_STATE', `${location}/States`, 'No state ends the workflow: add a state with "End": true, a Succeed or a Fail state');
    }
    const start = typeof startAt === 'string' ? compiled.get(startAt) : undefined;
    return start ? new Workflow(start, compiled) : undefined;
  }

  private compileState(raw: Record<string, Json>, ctx: StateCtx): StateNode | undefined {
    const type = raw['Type'];
    if (typeof type !== 'string' || !(STATE_TYPES as readonly string[]).includes(type)) {
      this.stateError(ctx, 'Type', `must be one of ${STATE_TYPES.join(', ')}`);
      return undefined;
    }
    const stateType = type as StateType;
    // Query language: the state's own, else the machine's.
    const ql = raw['QueryLanguage'];
    if (ql !== undefined && ql !== 'JSONPath' && ql !== 'JSONata') {
      this.stateError(ctx, 'QueryLanguage', 'Value should be one of the following: [JSONPath, JSONata]');
    }
    if (ql === 'JSONPath' && this.machineLanguage === 'JSONata') {
      this.stateError(ctx, undefined, "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine");
    }
    const jsonata = ql === undefined ? this.machineLanguage === 'JSONata' : ql !== 'JSONPath';
    ctx.jsonata = jsonata;
    const language = jsonata ? 'JSONata' : 'JSONPath';
    for (const key of Object.keys(raw)) {
      if (!ALLOWED[stateType].includes(key)) {
        this.stateError(ctx, key, `is not supported in a ${stateType} state`);
      } else if (jsonata && JSONPATH_ONLY.has(key)) {
        this.stateError(ctx, key, `The QueryLanguage is set to '${language}', but field '${key}' is only supported for the 'JSONPath' QueryLanguage`);
      } else if (!jsonata && JSONATA_ONLY.has(key)) {
        this.stateError(ctx, key, `The QueryLanguage is set to '${language}', but field '${key}' is only supported for the 'JSONata' QueryLanguage`);
      }
    }
    if (raw['Comment'] !== undefined && typeof raw['Comment'] !== 'string') this.stateError(ctx, 'Comment', 'must be a string');
    const nextName = this.flow(raw, ctx, stateType);
    switch (stateType) {
      case 'Pass':
        return this.compilePass(raw, ctx, nextName);
      case 'Succeed':
        return new SucceedState(ctx.name, jsonata, {
          inputPath: this.filterPath(raw, 'InputPath', ctx),
          outputPath: this.filterPath(raw, 'OutputPath', ctx),
          output: this.jsonataTemplate(raw, 'Output', ctx, NO_RESULT),
        });
      case 'Fail':
        return this.compileFail(raw, ctx);
      case 'Choice':
        return this.compileChoice(raw, ctx);
      case 'Wait':
        return this.compileWait(raw, ctx, nextName);
      case 'Task':
        return this.compileTask(raw, ctx, nextName);
      case 'Parallel':
        return this.compileParallel(raw, ctx, nextName);
      case 'Map':
        return this.compileMap(raw, ctx, nextName);
    }
  }

  private flow(raw: Record<string, Json>, ctx: StateCtx, type: StateType): string | undefined {
    const hasNext = raw['Next'] !== undefined;
    const hasEnd = raw['End'] !== undefined;
    // Next/End on Choice, Succeed and Fail are reported with the other unsupported fields.
    if (type === 'Choice' || type === 'Succeed' || type === 'Fail') return undefined;
    if (hasNext && hasEnd) this.stateError(ctx, undefined, "A state can have 'Next' or 'End', not both");
    if (!hasNext && !hasEnd) this.stateError(ctx, undefined, "A state needs 'Next' or 'End': true");
    if (hasEnd && raw['End'] !== true) this.stateError(ctx, 'End', 'must be true when present');
    if (hasNext && typeof raw['Next'] !== 'string') this.stateError(ctx, 'Next', 'must be a state name (string)');
    return typeof raw['Next'] === 'string' && !hasEnd ? raw['Next'] : undefined;
  }

  // --- field helpers ---------------------------------------------------------------------

  private path(value: Json | undefined, ctx: StateCtx, field: string, allowVariables = true): JsonPath | undefined {
    if (typeof value !== 'string') {
      this.stateError(ctx, field, 'must be a JSONPath string');
      return undefined;
    }
    try {
      const p = parseJsonPath(value);
      if (!allowVariables && p.root.kind === 'variable') this.stateError(ctx, field, 'must not reference a variable');
      return p;
    } catch (error) {
      this.stateError(ctx, field, (error as Error).message);
      return undefined;
    }
  }

  private filterPath(raw: Record<string, Json>, field: string, ctx: StateCtx): FilterPath {
    if (!(field in raw) || ctx.jsonata) return undefined;
    const value = raw[field];
    if (value === null) return null;
    return this.path(value, ctx, field);
  }

  private resultPath(raw: Record<string, Json>, field: string, ctx: StateCtx): ResultPathSpec {
    if (!(field in raw) || ctx.jsonata) return { kind: 'replace' };
    const value = raw[field];
    if (value === null) return { kind: 'discard' };
    const p = this.path(value, ctx, field, false);
    if (!p) return { kind: 'replace' };
    if (p.root.kind !== 'input') {
      this.stateError(ctx, field, 'must be a reference path starting with $');
      return { kind: 'replace' };
    }
    const steps = p.referenceSteps();
    if (!p.definite || steps === undefined) {
      this.stateError(ctx, field, 'must be a reference path (a single node, with . and [n] only)');
      return { kind: 'replace' };
    }
    return steps.length === 0 ? { kind: 'replace' } : { kind: 'set', steps, source: p.source };
  }

  private payloadTemplate(raw: Record<string, Json>, field: string, ctx: StateCtx, mustBeObject = true): PayloadTemplate | undefined {
    if (!(field in raw) || ctx.jsonata) return undefined;
    const value = raw[field];
    if (mustBeObject && !isJsonObject(value)) {
      this.stateError(ctx, field, 'must be a JSON object');
      return undefined;
    }
    try {
      const t = new PayloadTemplate(value, field);
      return t;
    } catch (error) {
      if (error instanceof TemplateSyntaxError) {
        this.stateError(ctx, `${field}/${error.field}`.replace(/\/$/, ''), error.message);
        return undefined;
      }
      throw error;
    }
  }

  private jsonataTemplate(raw: Record<string, Json>, field: string, ctx: StateCtx, scope: StatesScope, locationField = field): JsonataTemplate | undefined {
    if (!(field in raw) || !ctx.jsonata) return undefined;
    return this.jsonataValue(raw[field] as Json, locationField, ctx, scope);
  }

  private jsonataValue(value: Json, field: string, ctx: StateCtx, scope: StatesScope): JsonataTemplate | undefined {
    try {
      const template = new JsonataTemplate(value, field);
      this.checkStatesUse(template, ctx, field, scope);
      return template;
    } catch (error) {
      if (error instanceof JsonataTemplateError) {
        this.stateError(ctx, error.field, error.message, error.syntaxError.code);
        return undefined;
      }
      throw error;
    }
  }

  private checkStatesUse(template: JsonataTemplate, ctx: StateCtx, field: string, scope: StatesScope): void {
    if (!scope.errorOutput && template.reads('errorOutput')) {
      this.stateError(ctx, field, "'$states.errorOutput' is only available in the Output and Assign of a Catch", 'UNSUPPORTED_JSONATA_EXPRESSION');
    }
    if (!scope.result && template.reads('result')) {
      this.stateError(ctx, field, "'$states.result' is only available in the Output and Assign of a Task, Parallel or Map state", 'UNSUPPORTED_JSONATA_EXPRESSION');
    }
  }

  private assign(raw: Record<string, Json>, ctx: StateCtx, scope: StatesScope, label = 'Assign'): AssignDecl | undefined {
    if (!('Assign' in raw)) return undefined;
    return this.assignValue(raw['Assign'] as Json, ctx, scope, label);
  }

  private assignValue(value: Json, ctx: StateCtx, scope: StatesScope, field: string): AssignDecl | undefined {
    if (!isJsonObject(value)) {
      this.stateError(ctx, field, 'must be a JSON object of variable names to values');
      return undefined;
    }
    for (const key of Object.keys(value)) {
      const name = !ctx.jsonata && key.endsWith('.$') ? key.slice(0, -2) : key;
      if (!VARIABLE_NAME.test(name) || name.length > 80 || name === 'states') {
        this.stateError(ctx, `${field}/${key}`, `'${name}' is not a valid variable name (letters, digits and _, not starting with a digit; 'states' is reserved)`);
      }
    }
    if (!ctx.jsonata) {
      try {
        return new JsonPathAssign(new PayloadTemplate(value, field));
      } catch (error) {
        if (error instanceof TemplateSyntaxError) {
          this.stateError(ctx, `${field}/${error.field}`, error.message);
          return undefined;
        }
        throw error;
      }
    }
    const entries: { name: string; template: JsonataTemplate }[] = [];
    for (const [name, v] of Object.entries(value)) {
      const template = this.jsonataValue(v, `${field}/${name}`, ctx, scope);
      if (template) entries.push({ name, template });
    }
    return new JsonataAssign(entries);
  }

  /** A number field with its `...Path` twin (JSONPath) or an expression (JSONata). */
  private numberField(
    raw: Record<string, Json>,
    field: string,
    ctx: StateCtx,
    check: (n: number) => boolean,
    requirement: string,
  ): NumberField | undefined {
    const pathField = `${field}Path`;
    const value = raw[field];
    if (value !== undefined && raw[pathField] !== undefined) {
      this.stateError(ctx, undefined, `'${field}' and '${pathField}' cannot both be set`);
    }
    if (value !== undefined) {
      if (ctx.jsonata && isJsonataString(value)) {
        const template = this.jsonataValue(value, field, ctx, NO_RESULT);
        return template ? { kind: 'jsonata', template, field } : undefined;
      }
      if (typeof value !== 'number' || !check(value)) {
        this.stateError(ctx, field, `must be ${requirement}${ctx.jsonata ? ' or a JSONata expression' : ''}`);
        return undefined;
      }
      return { kind: 'literal', value };
    }
    if (raw[pathField] !== undefined && !ctx.jsonata) {
      const path = this.path(raw[pathField], ctx, pathField);
      return path ? { kind: 'path', path, field: pathField } : undefined;
    }
    return undefined;
  }

  private retriers(raw: Record<string, Json>, ctx: StateCtx): Retrier[] {
    const value = raw['Retry'];
    if (value === undefined) return [];
    if (!Array.isArray(value)) {
      this.stateError(ctx, 'Retry', 'must be an array of retriers');
      return [];
    }
    const out: Retrier[] = [];
    value.forEach((r, i) => {
      const f = `Retry[${i}]`;
      if (!isJsonObject(r)) {
        this.stateError(ctx, f, 'must be an object');
        return;
      }
      for (const key of Object.keys(r)) {
        if (!['ErrorEquals', 'IntervalSeconds', 'MaxAttempts', 'BackoffRate', 'MaxDelaySeconds', 'JitterStrategy', 'Comment'].includes(key)) {
          this.stateError(ctx, `${f}.${key}`, 'is not supported in a retrier');
        }
      }
      const errorEquals = this.errorEquals(r, ctx, f, i === value.length - 1);
      const interval = r['IntervalSeconds'] ?? 1;
      const maxAttempts = r['MaxAttempts'] ?? 3;
      const backoff = r['BackoffRate'] ?? 2.0;
      const maxDelay = r['MaxDelaySeconds'];
      const jitter = r['JitterStrategy'] ?? 'NONE';
      if (!isPositiveInteger(interval)) this.stateError(ctx, `${f}.IntervalSeconds`, `must be a positive integer no larger than ${MAX_SECONDS}`);
      if (typeof maxAttempts !== 'number' || !Number.isInteger(maxAttempts) || maxAttempts < 0 || maxAttempts > MAX_SECONDS) {
        this.stateError(ctx, `${f}.MaxAttempts`, `must be a non-negative integer no larger than ${MAX_SECONDS}`);
      }
      if (typeof backoff !== 'number' || backoff < 1) this.stateError(ctx, `${f}.BackoffRate`, 'must be a number greater than or equal to 1.0');
      if (maxDelay !== undefined && !isPositiveInteger(maxDelay)) {
        this.stateError(ctx, `${f}.MaxDelaySeconds`, `must be a positive integer no larger than ${MAX_SECONDS}`);
      }
      if (jitter !== 'FULL' && jitter !== 'NONE') this.stateError(ctx, `${f}.JitterStrategy`, 'must be FULL or NONE');
      out.push({
        errorEquals,
        intervalSeconds: typeof interval === 'number' ? interval : 1,
        maxAttempts: typeof maxAttempts === 'number' ? maxAttempts : 3,
        backoffRate: typeof backoff === 'number' ? backoff : 2,
        maxDelaySeconds: typeof maxDelay === 'number' ? maxDelay : undefined,
        jitter: jitter === 'FULL' ? 'FULL' : 'NONE',
      });
    });
    return out;
  }

  private errorEquals(r: Record<string, Json>, ctx: StateCtx, f: string, isLast: boolean): string[] {
    const list = r['ErrorEquals'];
    if (!Array.isArray(list) || list.length === 0 || !list.every((e) => typeof e === 'string')) {
      this.stateError(ctx, `${f}.ErrorEquals`, 'must be a non-empty array of error names');
      return [];
    }
    const names = list as string[];
    if (names.includes(StatesErrors.ALL)) {
      if (names.length > 1) this.stateError(ctx, `${f}.ErrorEquals`, "'States.ALL' must appear alone in ErrorEquals");
      if (!isLast) this.stateError(ctx, `${f}.ErrorEquals`, "'States.ALL' must be in the last retrier or catcher");
    }
    return names;
  }

  private catchers(raw: Record<string, Json>, ctx: StateCtx): Catcher[] {
    const value = raw['Catch'];
    if (value === undefined) return [];
    if (!Array.isArray(value)) {
      this.stateError(ctx, 'Catch', 'must be an array of catchers');
      return [];
    }
    const out: Catcher[] = [];
    value.forEach((c, i) => {
      const f = `Catch[${i}]`;
      if (!isJsonObject(c)) {
        this.stateError(ctx, f, 'must be an object');
        return;
      }
      const allowed = ['ErrorEquals', 'Next', 'Comment', 'Assign', ...(ctx.jsonata ? ['Output'] : ['ResultPath'])];
      for (const key of Object.keys(c)) {
        if (!allowed.includes(key)) this.stateError(ctx, `${f}.${key}`, `is not supported in a catcher of a ${ctx.jsonata ? 'JSONata' : 'JSONPath'} state`);
      }
      const errorEquals = this.errorEquals(c, ctx, f, i === value.length - 1);
      if (typeof c['Next'] !== 'string') {
        this.stateError(ctx, `${f}.Next`, 'is required and must be a state name');
        return;
      }
      const catcher: Catcher = {
        errorEquals,
        nextName: c['Next'],
        resultPath: this.resultPath(c, 'ResultPath', { ...ctx, location: `${ctx.location}/Catch/${i}` }),
      };
      const assign = this.assign(c, ctx, IN_CATCH, `Catch[${i}]/Assign`);
      if (assign) catcher.assign = assign;
      if (ctx.jsonata && c['Output'] !== undefined) {
        const output = this.jsonataValue(c['Output'] as Json, `Catch[${i}]/Output`, ctx, IN_CATCH);
        if (output) catcher.output = output;
      }
      out.push(catcher);
    });
    return out;
  }

  private withErrors<T extends ExecutionState>(state: T, raw: Record<string, Json>, ctx: StateCtx): T {
    state.retriers = this.retriers(raw, ctx);
    state.catchers = this.catchers(raw, ctx);
    return state;
  }

  // --- states ----------------------------------------------------------------------------

  private compilePass(raw: Record<string, Json>, ctx: StateCtx, nextName: string | undefined): StateNode {
    const f: ConstructorParameters<typeof PassState>[3] = {
      inputPath: this.filterPath(raw, 'InputPath', ctx),
      outputPath: this.filterPath(raw, 'OutputPath', ctx),
      resultPath: this.resultPath(raw, 'ResultPath', ctx),
    };
    if (!ctx.jsonata) {
      const parameters = this.payloadTemplate(raw, 'Parameters', ctx);
      if (parameters) f.parameters = parameters;
      if ('Result' in raw) f.result = { value: raw['Result'] as Json };
    }
    const assign = this.assign(raw, ctx, NO_RESULT);
    if (assign) f.assign = assign;
    const output = this.jsonataTemplate(raw, 'Output', ctx, NO_RESULT);
    if (output) f.output = output;
    return new PassState(ctx.name, ctx.jsonata, nextName, f);
  }

  private failField(raw: Record<string, Json>, field: 'Error' | 'Cause', ctx: StateCtx): FailField | undefined {
    const pathField = `${field}Path`;
    const value = raw[field];
    if (value !== undefined && raw[pathField] !== undefined) this.stateError(ctx, undefined, `'${field}' and '${pathField}' cannot both be set`);
    if (value !== undefined) {
      if (typeof value !== 'string') {
        this.stateError(ctx, field, 'must be a string');
        return undefined;
      }
      if (ctx.jsonata && isJsonataString(value)) {
        const template = this.jsonataValue(value, field, ctx, NO_RESULT);
        const expr = template?.expressions[0];
        return expr ? { kind: 'jsonata', expr, field } : undefined;
      }
      return { kind: 'literal', value };
    }
    const path = raw[pathField];
    if (path !== undefined && !ctx.jsonata) {
      if (typeof path !== 'string') {
        this.stateError(ctx, pathField, 'must be a JSONPath or an intrinsic function');
        return undefined;
      }
      try {
        return { kind: 'path', dynamic: compileDynamic(path, pathField), field: pathField };
      } catch (error) {
        this.stateError(ctx, pathField, (error as Error).message);
      }
    }
    return undefined;
  }

  private compileFail(raw: Record<string, Json>, ctx: StateCtx): StateNode {
    const f: { error?: FailField; cause?: FailField } = {};
    const error = this.failField(raw, 'Error', ctx);
    const cause = this.failField(raw, 'Cause', ctx);
    if (error) f.error = error;
    if (cause) f.cause = cause;
    return new FailState(ctx.name, ctx.jsonata, f);
  }

  private compileChoice(raw: Record<string, Json>, ctx: StateCtx): StateNode {
    const choices = raw['Choices'];
    const rules: ChoiceRuleNode[] = [];
    if (!Array.isArray(choices) || choices.length === 0) {
      this.stateError(ctx, 'Choices', 'is required and must be a non-empty array of rules');
    } else {
      choices.forEach((rule, i) => {
        const field = `Choices[${i}]`;
        if (!isJsonObject(rule)) {
          this.stateError(ctx, field, 'must be an object');
          return;
        }
        if (typeof rule['Next'] !== 'string') {
          this.stateError(ctx, `${field}.Next`, 'is required and must be a state name');
          return;
        }
        const node: ChoiceRuleNode = { nextName: rule['Next'], conditionField: `${field}/Condition` };
        if (ctx.jsonata) {
          for (const key of Object.keys(rule)) {
            if (!['Condition', 'Next', 'Comment', 'Assign', 'Output'].includes(key)) this.stateError(ctx, `${field}.${key}`, 'is not supported in a JSONata choice rule');
          }
          const condition = rule['Condition'];
          if (condition === undefined) {
            this.stateError(ctx, `${field}.Condition`, 'is required in a JSONata choice rule');
          } else if (typeof condition === 'boolean') {
            const template = this.jsonataValue(`{% ${condition} %}`, node.conditionField, ctx, NO_RESULT);
            if (template) node.condition = template.expressions[0] as JsonataExpression;
          } else if (!isJsonataString(condition)) {
            this.stateError(ctx, `${field}.Condition`, 'must be a JSONata expression {% ... %} or a boolean');
          } else {
            const template = this.jsonataValue(condition, node.conditionField, ctx, NO_RESULT);
            if (template) node.condition = template.expressions[0] as JsonataExpression;
          }
          if (rule['Output'] !== undefined) {
            const output = this.jsonataValue(rule['Output'] as Json, `${field}/Output`, ctx, NO_RESULT);
            if (output) node.output = output;
          }
        } else {
          try {
            const { Next: _next, Comment: _comment, Assign: _assign, ...condition } = rule;
            node.predicate = compileChoiceRule(condition, field);
          } catch (error) {
            if (error instanceof ChoiceRuleError) this.stateError(ctx, error.field.replace(/\//g, '.'), error.message);
            else throw error;
          }
        }
        const assign = this.assign(rule, ctx, NO_RESULT, `${field}/Assign`);
        if (rule['Assign'] !== undefined && assign) node.assign = assign;
        rules.push(node);
      });
    }
    const def = raw['Default'];
    if (def !== undefined && typeof def !== 'string') this.stateError(ctx, 'Default', 'must be a state name');
    const f: ConstructorParameters<typeof ChoiceState>[4] = {
      inputPath: this.filterPath(raw, 'InputPath', ctx),
      outputPath: this.filterPath(raw, 'OutputPath', ctx),
    };
    const assign = this.assign(raw, ctx, NO_RESULT);
    if (assign) f.assign = assign;
    const output = this.jsonataTemplate(raw, 'Output', ctx, NO_RESULT);
    if (output) f.output = output;
    return new ChoiceState(ctx.name, ctx.jsonata, rules, typeof def === 'string' ? def : undefined, f);
  }

  private compileWait(raw: Record<string, Json>, ctx: StateCtx, nextName: string | undefined): StateNode {
    const present = ['Seconds', 'Timestamp', 'SecondsPath', 'TimestampPath'].filter((k) => raw[k] !== undefined);
    let spec: WaitSpec = { kind: 'seconds', value: 0 };
    if (present.length !== 1) {
      this.stateError(ctx, undefined, 'A Wait state needs exactly one of Seconds, Timestamp, SecondsPath, TimestampPath');
    } else {
      const key = present[0] as string;
      const value = raw[key] as Json;
      if (ctx.jsonata && isJsonataString(value)) {
        const template = this.jsonataValue(value, key, ctx, NO_RESULT);
        if (template) {
          spec = key === 'Seconds'
            ? { kind: 'secondsJsonata', template, expr: template.expressions[0] }
            : { kind: 'timestampJsonata', template, expr: template.expressions[0] };
        }
      } else if (key === 'Seconds') {
        if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_SECONDS) {
          this.stateError(ctx, key, `must be a non-negative integer no larger than ${MAX_SECONDS}`);
        } else spec = { kind: 'seconds', value };
      } else if (key === 'Timestamp') {
        if (typeof value !== 'string' || parseTimestamp(value) === undefined) {
          this.stateError(ctx, key, 'must be an ISO-8601 extended offset date-time, e.g. 2024-01-01T00:00:00Z');
        } else spec = { kind: 'timestamp', value };
      } else {
        const path = this.path(value, ctx, key);
        if (path) spec = key === 'SecondsPath' ? { kind: 'secondsPath', path } : { kind: 'timestampPath', path };
      }
    }
    const f: ConstructorParameters<typeof WaitState>[4] = {
      inputPath: this.filterPath(raw, 'InputPath', ctx),
      outputPath: this.filterPath(raw, 'OutputPath', ctx),
    };
    const assign = this.assign(raw, ctx, NO_RESULT);
    if (assign) f.assign = assign;
    const output = this.jsonataTemplate(raw, 'Output', ctx, NO_RESULT);
    if (output) f.output = output;
    return new WaitState(ctx.name, ctx.jsonata, nextName, spec, f);
  }

  private compileTask(raw: Record<string, Json>, ctx: StateCtx, nextName: string | undefined): StateNode | undefined {
    const resource = raw['Resource'];
    if (typeof resource !== 'string') {
      this.stateError(ctx, 'Resource', 'is required and must be a string (an ARN)');
      return undefined;
    }
    const parsed = parseResource(resource);
    if (parsed?.pattern === 'sync') {
      this.stateError(ctx, 'Resource', "the '.sync' integration pattern is not supported by this runtime (use the request-response form)", 'UNSUPPORTED_INTEGRATION');
    }
    const integration = this.integrations.resolve(resource);
    if (!integration) {
      const known = this.integrations.describe();
      this.stateError(
        ctx,
        'Resource',
        `no integration is registered for '${resource}'${known.length ? ` (registered: ${known.join('; ')})` : ' (no integrations are registered)'}`,
        'UNKNOWN_RESOURCE',
      );
    }
    if (integration && parsed?.pattern === 'waitForTaskToken' && !(integration.patterns ?? []).includes('waitForTaskToken')) {
      this.stateError(ctx, 'Resource', `'${resource}' does not support the '.waitForTaskToken' integration pattern`, 'UNSUPPORTED_INTEGRATION');
    }
    const timeout = this.numberField(raw, 'TimeoutSeconds', ctx, (n) => Number.isInteger(n) && n > 0 && n <= MAX_SECONDS, `a positive integer no larger than ${MAX_SECONDS}`);
    const heartbeat = this.numberField(raw, 'HeartbeatSeconds', ctx, (n) => Number.isInteger(n) && n > 0 && n <= MAX_SECONDS, `a positive integer no larger than ${MAX_SECONDS}`);
    if (timeout?.kind === 'literal' && heartbeat?.kind === 'literal' && heartbeat.value >= timeout.value) {
      this.stateError(ctx, 'HeartbeatSeconds', `must be smaller than TimeoutSeconds (${heartbeat.value} >= ${timeout.value})`);
    }
    if (raw['Credentials'] !== undefined && !isJsonObject(raw['Credentials'])) this.stateError(ctx, 'Credentials', 'must be an object');
    const parameters = this.payloadTemplate(raw, 'Parameters', ctx);
    const args = this.jsonataTemplate(raw, 'Arguments', ctx, NO_RESULT);
    if (integration?.validateParameters) {
      const staticParams = ctx.jsonata ? raw['Arguments'] : raw['Parameters'];
      if (staticParams !== undefined && !(ctx.jsonata && isJsonataString(staticParams))) {
        for (const problem of integration.validateParameters(staticParams)) {
          this.stateError(ctx, ctx.jsonata ? 'Arguments' : 'Parameters', problem);
        }
      }
    }
    if (!integration) return undefined;
    const fields: ConstructorParameters<typeof TaskState>[3] = {
      resource,
      integration: integration as NonNullable<typeof integration>,
      pattern: parsed?.pattern ?? 'request-response',
      inputPath: this.filterPath(raw, 'InputPath', ctx),
      outputPath: this.filterPath(raw, 'OutputPath', ctx),
      resultPath: this.resultPath(raw, 'ResultPath', ctx),
    };
    if (parameters) fields.parameters = parameters;
    if (args) fields.arguments = args;
    const resultSelector = this.payloadTemplate(raw, 'ResultSelector', ctx);
    if (resultSelector) fields.resultSelector = resultSelector;
    const output = this.jsonataTemplate(raw, 'Output', ctx, WITH_RESULT);
    if (output) fields.output = output;
    const assign = this.assign(raw, ctx, WITH_RESULT);
    if (assign) fields.assign = assign;
    if (timeout) fields.timeout = timeout;
    if (heartbeat) fields.heartbeat = heartbeat;
    return this.withErrors(new TaskState(ctx.name, ctx.jsonata, nextName, fields), raw, ctx);
  }

  private compileParallel(raw: Record<string, Json>, ctx: StateCtx, nextName: string | undefined): StateNode | undefined {
    const branches = raw['Branches'];
    const compiled: Workflow[] = [];
    if (!Array.isArray(branches) || branches.length === 0) {
      this.stateError(ctx, 'Branches', 'is required and must be a non-empty array of branches');
    } else {
      branches.forEach((b, i) => {
        if (!isJsonObject(b)) {
          this.stateError(ctx, `Branches[${i}]`, 'must be an object with StartAt and States');
          return;
        }
        for (const key of Object.keys(b)) {
          if (!['StartAt', 'States', 'Comment'].includes(key)) this.stateError(ctx, `Branches[${i}].${key}`, `Field '${key}' is not supported`);
        }
        const w = this.compileContainer(b, `${ctx.location}/Branches/${i}`);
        if (w) compiled.push(w);
      });
    }
    const fields: ConstructorParameters<typeof ParallelState>[4] = {
      inputPath: this.filterPath(raw, 'InputPath', ctx),
      outputPath: this.filterPath(raw, 'OutputPath', ctx),
      resultPath: this.resultPath(raw, 'ResultPath', ctx),
    };
    const parameters = this.payloadTemplate(raw, 'Parameters', ctx);
    if (parameters) fields.parameters = parameters;
    const args = this.jsonataTemplate(raw, 'Arguments', ctx, NO_RESULT);
    if (args) fields.arguments = args;
    const resultSelector = this.payloadTemplate(raw, 'ResultSelector', ctx);
    if (resultSelector) fields.resultSelector = resultSelector;
    const output = this.jsonataTemplate(raw, 'Output', ctx, WITH_RESULT);
    if (output) fields.output = output;
    const assign = this.assign(raw, ctx, WITH_RESULT);
    if (assign) fields.assign = assign;
    return this.withErrors(new ParallelState(ctx.name, ctx.jsonata, nextName, compiled, fields), raw, ctx);
  }

  private compileMap(raw: Record<string, Json>, ctx: StateCtx, nextName: string | undefined): StateNode | undefined {
    const processorRaw = raw['ItemProcessor'] ?? raw['Iterator'];
    if (raw['ItemProcessor'] !== undefined && raw['Iterator'] !== undefined) this.stateError(ctx, undefined, "Use 'ItemProcessor' or the older 'Iterator', not both");
    let processor: Workflow | undefined;
    let distributed = false;
    const processorField = raw['ItemProcessor'] === undefined && raw['Iterator'] !== undefined ? 'Iterator' : 'ItemProcessor';
    if (!isJsonObject(processorRaw)) {
      this.stateError(ctx, processorField, 'is required and must be an object with StartAt and States');
    } else {
      for (const key of Object.keys(processorRaw)) {
        if (!['StartAt', 'States', 'Comment', 'ProcessorConfig'].includes(key)) this.stateError(ctx, `${processorField}.${key}`, `Field '${key}' is not supported`);
      }
      const config = processorRaw['ProcessorConfig'];
      if (config !== undefined) {
        if (!isJsonObject(config)) this.stateError(ctx, `${processorField}.ProcessorConfig`, 'must be an object');
        else {
          const mode = config['Mode'] ?? 'INLINE';
          if (mode !== 'INLINE' && mode !== 'DISTRIBUTED') this.stateError(ctx, `${processorField}.ProcessorConfig.Mode`, 'must be INLINE or DISTRIBUTED');
          distributed = mode === 'DISTRIBUTED';
          const et = config['ExecutionType'];
          if (et !== undefined && et !== 'STANDARD' && et !== 'EXPRESS') this.stateError(ctx, `${processorField}.ProcessorConfig.ExecutionType`, 'must be STANDARD or EXPRESS');
        }
      }
      processor = this.compileContainer(processorRaw, `${ctx.location}/${processorField}`);
    }
    for (const unsupported of ['ItemReader', 'ResultWriter']) {
      if (raw[unsupported] !== undefined) {
        this.stateError(ctx, unsupported, `'${unsupported}' reads/writes Amazon S3, which this runtime does not provide; pass the items in the input instead`, 'UNSUPPORTED_FEATURE');
      }
    }
    const fields: ConstructorParameters<typeof MapState>[3] = {
      processor: processor as Workflow,
      distributed,
      inputPath: this.filterPath(raw, 'InputPath', ctx),
      outputPath: this.filterPath(raw, 'OutputPath', ctx),
      resultPath: this.resultPath(raw, 'ResultPath', ctx),
    };
    if (typeof raw['Label'] === 'string') fields.label = raw['Label'];
    else if (raw['Label'] !== undefined) this.stateError(ctx, 'Label', 'must be a string');
    if (!ctx.jsonata) {
      if (raw['ItemsPath'] !== undefined) {
        const p = this.path(raw['ItemsPath'], ctx, 'ItemsPath');
        if (p) fields.itemsPath = p;
      }
      if (raw['ItemSelector'] !== undefined && raw['Parameters'] !== undefined) this.stateError(ctx, undefined, "Use 'ItemSelector' or the older 'Parameters', not both");
      const selector = this.payloadTemplate(raw, raw['ItemSelector'] !== undefined ? 'ItemSelector' : 'Parameters', ctx);
      if (selector) fields.itemSelector = selector;
    } else {
      if (raw['Items'] !== undefined) {
        const items = raw['Items'];
        if (!Array.isArray(items) && !isJsonataString(items)) this.stateError(ctx, 'Items', 'must be an array or a JSONata expression');
        const t = this.jsonataValue(items as Json, 'Items', ctx, NO_RESULT);
        if (t) fields.items = t;
      }
      if (raw['ItemSelector'] !== undefined) {
        const t = this.jsonataValue(raw['ItemSelector'] as Json, 'ItemSelector', ctx, NO_RESULT);
        if (t) fields.itemSelectorJsonata = t;
      }
    }
    const batcher = raw['ItemBatcher'];
    if (batcher !== undefined) {
      if (!isJsonObject(batcher)) this.stateError(ctx, 'ItemBatcher', 'must be an object');
      else {
        const b: NonNullable<typeof fields.itemBatcher> = {};
        const max = this.numberField(batcher, 'MaxItemsPerBatch', ctx, (n) => Number.isInteger(n) && n > 0, 'a positive integer');
        if (max) b.maxItems = max;
        if (batcher['BatchInput'] !== undefined) {
          if (ctx.jsonata) {
            const t = this.jsonataValue(batcher['BatchInput'] as Json, 'ItemBatcher/BatchInput', ctx, NO_RESULT);
            if (t) b.batchInput = t;
          } else {
            const t = this.payloadTemplate(batcher, 'BatchInput', ctx);
            if (t) b.batchInput = t;
          }
        }
        fields.itemBatcher = b;
      }
    }
    const nonNegativeInt = (n: number): boolean => Number.isInteger(n) && n >= 0;
    const maxConcurrency = this.numberField(raw, 'MaxConcurrency', ctx, nonNegativeInt, 'a non-negative integer');
    if (maxConcurrency) fields.maxConcurrency = maxConcurrency;
    const count = this.numberField(raw, 'ToleratedFailureCount', ctx, nonNegativeInt, 'a non-negative integer');
    if (count) fields.toleratedFailureCount = count;
    const percentage = this.numberField(raw, 'ToleratedFailurePercentage', ctx, (n) => n >= 0 && n <= 100, 'a number between 0 and 100');
    if (percentage) fields.toleratedFailurePercentage = percentage;
    const resultSelector = this.payloadTemplate(raw, 'ResultSelector', ctx);
    if (resultSelector) fields.resultSelector = resultSelector;
    const output = this.jsonataTemplate(raw, 'Output', ctx, WITH_RESULT);
    if (output) fields.output = output;
    const assign = this.assign(raw, ctx, WITH_RESULT);
    if (assign) fields.assign = assign;
    if (!processor) return undefined;
    return this.withErrors(new MapState(ctx.name, ctx.jsonata, nextName, fields), raw, ctx);
  }
}

function isPositiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 && value <= MAX_SECONDS;
}
