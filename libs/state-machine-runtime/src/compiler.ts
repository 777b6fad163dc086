/**
 * Validates a definition against the Amazon States Language and compiles it: every path,
 * intrinsic function and JSONata expression is parsed once here. Every problem found is
 * reported together, each naming its state, its field and its JSON-pointer location.
 */
import { StatesErrors, type DefinitionDiagnostic } from './errors';
import type { IntegrationRegistry } from './integrations/types';
import { isJsonObject, type Json } from './json';
import { isJsonataString, JsonataTemplate, JsonataTemplateError } from './jsonata';
import { parseJsonPath, type JsonPath } from './jsonpath';
import { PayloadTemplate, TemplateSyntaxError } from './jsonpath-scope';
import { ChoiceState, compileChoice, CHOICE_FIELDS } from './states/choice';
import { IN_CATCH, MAX_SECONDS, NO_RESULT, type StateCtx, type StatesScope } from './states/compile-context';
import type { Catcher, ExecutionState, Retrier } from './states/execution-state';
import { compileFail, FAIL_FIELDS } from './states/fail';
import { compileMap, MAP_FIELDS } from './states/map';
import { compileParallel, PARALLEL_FIELDS } from './states/parallel';
import { compilePass, PASS_FIELDS } from './states/pass';
import { JsonataAssign, JsonPathAssign, Workflow, type AssignDecl, type FilterPath, type NumberField, type ResultPathSpec, type StateNode } from './states/state-node';
import { compileSucceed, SUCCEED_FIELDS } from './states/succeed';
import { compileTask, TASK_FIELDS } from './states/task';
import { compileWait, WAIT_FIELDS } from './states/wait';

export type QueryLanguage = 'JSONPath' | 'JSONata';


const STATE_TYPES = ['Pass', 'Task', 'Choice', 'Wait', 'Succeed', 'Fail', 'Parallel', 'Map'] as const;
type StateType = (typeof STATE_TYPES)[number];

/** Each state type's module compiles its states (states/<type>.ts: compilation beside execution). */
type StateCompile = (c: DefinitionCompiler, raw: Record<string, Json>, ctx: StateCtx, nextName: string | undefined) => StateNode | undefined;
const STATE_COMPILERS: Record<StateType, StateCompile> = {
  Pass: compilePass,
  Task: compileTask,
  Choice: (c, raw, ctx) => compileChoice(c, raw, ctx),
  Wait: compileWait,
  Succeed: (c, raw, ctx) => compileSucceed(c, raw, ctx),
  Fail: (c, raw, ctx) => compileFail(c, raw, ctx),
  Parallel: compileParallel,
  Map: compileMap,
};


const ALLOWED: Record<StateType, readonly string[]> = {
  Pass: PASS_FIELDS,
  Task: TASK_FIELDS,
  Choice: CHOICE_FIELDS,
  Wait: WAIT_FIELDS,
  Succeed: SUCCEED_FIELDS,
  Fail: FAIL_FIELDS,
  Parallel: PARALLEL_FIELDS,
  Map: MAP_FIELDS,
};

const JSONPATH_ONLY = new Set([
  'InputPath', 'OutputPath', 'Parameters', 'Result', 'ResultPath', 'ResultSelector', 'ItemsPath',
  'MaxConcurrencyPath', 'ToleratedFailureCountPath', 'ToleratedFailurePercentagePath', 'SecondsPath',
  'TimestampPath', 'TimeoutSecondsPath', 'HeartbeatSecondsPath', 'ErrorPath', 'CausePath', 'Iterator',
]);
const JSONATA_ONLY = new Set(['Output', 'Arguments', 'Items']);

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;


export interface CompiledDefinition {
  workflow: Workflow;
  queryLanguage: QueryLanguage;
  timeoutSeconds: number | undefined;
  comment: string | undefined;
}

export class DefinitionCompiler {
  readonly diagnostics: DefinitionDiagnostic[] = [];
  private machineLanguage: QueryLanguage = 'JSONPath';

  constructor(readonly integrations: IntegrationRegistry) {}

  report(code: string, location: string, message: string, stateName?: string, field?: string): void {
    const d: DefinitionDiagnostic = { code, location, message };
    if (stateName !== undefined) d.stateName = stateName;
    if (field !== undefined) d.field = field;
    this.diagnostics.push(d);
  }

  stateError(ctx: StateCtx, field: string | undefined, message: string, code = 'SCHEMA_VALIDATION_FAILED'): void {
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
  compileContainer(container: Record<string, Json>, location: string): Workflow | undefined {
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

  compileState(raw: Record<string, Json>, ctx: StateCtx): StateNode | undefined {
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
    return STATE_COMPILERS[stateType](this, raw, ctx, nextName);
  }

  flow(raw: Record<string, Json>, ctx: StateCtx, type: StateType): string | undefined {
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

  path(value: Json | undefined, ctx: StateCtx, field: string, allowVariables = true): JsonPath | undefined {
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

  filterPath(raw: Record<string, Json>, field: string, ctx: StateCtx): FilterPath {
    if (!(field in raw) || ctx.jsonata) return undefined;
    const value = raw[field];
    if (value === null) return null;
    return this.path(value, ctx, field);
  }

  resultPath(raw: Record<string, Json>, field: string, ctx: StateCtx): ResultPathSpec {
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

  payloadTemplate(raw: Record<string, Json>, field: string, ctx: StateCtx, mustBeObject = true): PayloadTemplate | undefined {
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

  jsonataTemplate(raw: Record<string, Json>, field: string, ctx: StateCtx, scope: StatesScope, locationField = field): JsonataTemplate | undefined {
    if (!(field in raw) || !ctx.jsonata) return undefined;
    return this.jsonataValue(raw[field] as Json, locationField, ctx, scope);
  }

  jsonataValue(value: Json, field: string, ctx: StateCtx, scope: StatesScope): JsonataTemplate | undefined {
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

  checkStatesUse(template: JsonataTemplate, ctx: StateCtx, field: string, scope: StatesScope): void {
    if (!scope.errorOutput && template.reads('errorOutput')) {
      this.stateError(ctx, field, "'$states.errorOutput' is only available in the Output and Assign of a Catch", 'UNSUPPORTED_JSONATA_EXPRESSION');
    }
    if (!scope.result && template.reads('result')) {
      this.stateError(ctx, field, "'$states.result' is only available in the Output and Assign of a Task, Parallel or Map state", 'UNSUPPORTED_JSONATA_EXPRESSION');
    }
  }

  assign(raw: Record<string, Json>, ctx: StateCtx, scope: StatesScope, label = 'Assign'): AssignDecl | undefined {
    if (!('Assign' in raw)) return undefined;
    return this.assignValue(raw['Assign'] as Json, ctx, scope, label);
  }

  assignValue(value: Json, ctx: StateCtx, scope: StatesScope, field: string): AssignDecl | undefined {
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
  numberField(
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

  retriers(raw: Record<string, Json>, ctx: StateCtx): Retrier[] {
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

  errorEquals(r: Record<string, Json>, ctx: StateCtx, f: string, isLast: boolean): string[] {
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

  catchers(raw: Record<string, Json>, ctx: StateCtx): Catcher[] {
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

  withErrors<T extends ExecutionState>(state: T, raw: Record<string, Json>, ctx: StateCtx): T {
    state.retriers = this.retriers(raw, ctx);
    state.catchers = this.catchers(raw, ctx);
    return state;
  }

  // --- states ----------------------------------------------------------------------------

}

function isPositiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 && value <= MAX_SECONDS;
}
