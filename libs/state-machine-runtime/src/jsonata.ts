/**
 * JSONata in states: `{% expression %}` strings anywhere in Arguments, Output, Assign, Items,
 * ItemSelector, Condition, Seconds, Timestamp, TimeoutSeconds, Error, Cause... Each expression
 * is compiled once per definition (with AWS's added functions) and evaluated per execution.
 */
import { createHash, randomUUID } from 'node:crypto';
import jsonata from 'jsonata';
import { runtimeFailure, StatesErrors } from './errors';
import { jsonTypeName, toJsonText, type Json, type JsonObject } from './json';
import { EXECUTION_TIME } from './engine';
import { BAIL, compileFastPath, type Bindings, type FastEvaluator } from './jsonata-fast-path';

export type { Bindings } from './jsonata-fast-path';

const EXPRESSION = /^\{%([\s\S]*)%\}$/;

/** Whether a string is a JSONata expression (`{% ... %}`). */
export function isJsonataString(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith('{%') && value.endsWith('%}') && value.length >= 4;
}

/** A problem in an expression found while compiling; the caller adds the location. */
export class JsonataSyntaxError extends Error {
  override name = 'JsonataSyntaxError';
  constructor(
    message: string,
    readonly code: 'INVALID_JSONATA_EXPRESSION' | 'UNSUPPORTED_JSONATA_EXPRESSION',
  ) {
    super(message);
  }
}

interface JsonataError {
  code?: string;
  message?: string;
}

function describeJsonataError(error: unknown): string {
  const e = error as JsonataError;
  if (e && typeof e === 'object' && typeof e.code === 'string') return `${e.code}: ${e.message ?? ''}`;
  return error instanceof Error ? error.message : String(error);
}

// --- AWS's added functions ----------------------------------------------------------------

function sequence(values: unknown[]): unknown[] {
  // A jsonata sequence: a singleton collapses to its only value, as AWS's $range does.
  Object.defineProperty(values, 'sequence', { value: true, configurable: true });
  return values;
}

function awsFunctionError(code: string, message: string): JsonataError & Error {
  return Object.assign(new Error(message), { code });
}

const HASH_ALGORITHMS: Record<string, string> = {
  MD5: 'md5',
  'SHA-1': 'sha1',
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
};

function seeded(seed: number): number {
  // mulberry32: a reproducible draw for $random(seed)
  let t = (seed + 0x6d2b79f5) >>> 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

const AWS_FUNCTIONS: Record<string, (...args: unknown[]) => unknown> = {
  partition(array: unknown, size: unknown): unknown {
    if (array === undefined) return undefined;
    if (!Array.isArray(array)) throw awsFunctionError('T0410', 'Argument 1 of function "partition" must be an array');
    if (typeof size !== 'number') throw awsFunctionError('T0410', 'Argument 2 of function "partition" must be a number');
    const chunk = Math.trunc(size);
    if (chunk <= 0 || array.length === 0) return undefined;
    const out: unknown[] = [];
    for (let i = 0; i < array.length; i += chunk) out.push(array.slice(i, i + chunk));
    return out;
  },
  range(start: unknown, end: unknown, step: unknown): unknown {
    if (typeof start !== 'number' || typeof end !== 'number') {
      throw awsFunctionError('T0410', 'Arguments 1 and 2 of function "range" must be numbers');
    }
    if (step === undefined) return undefined;
    if (typeof step !== 'number') throw awsFunctionError('T0410', 'Argument 3 of function "range" must be a number');
    const a = Math.trunc(start);
    const z = Math.trunc(end);
    const s = Math.trunc(step);
    if (s === 0 || (z > a && s < 0) || (z < a && s > 0)) return undefined;
    const out: number[] = [];
    for (let v = a; s > 0 ? v <= z : v >= z; v += s) {
      out.push(v);
      if (out.length > 10_000_000) throw awsFunctionError('D1001', 'Expression evaluation memory limit exceeded');
    }
    return sequence(out);
  },
  hash(value: unknown, algorithm: unknown): unknown {
    if (value === undefined || algorithm === undefined) return undefined;
    if (typeof value !== 'string') throw awsFunctionError('T0410', 'Argument 1 of function "hash" must be a string');
    const name = typeof algorithm === 'string' ? HASH_ALGORITHMS[algorithm] : undefined;
    if (!name) {
      throw awsFunctionError('T0410', `Argument 2 of function "hash" must be one of ${Object.keys(HASH_ALGORITHMS).join(', ')}`);
    }
    return createHash(name).update(value, 'utf8').digest('hex');
  },
  random(seed: unknown): unknown {
    if (seed === undefined) return Math.random();
    if (typeof seed !== 'number') throw awsFunctionError('T0410', 'Argument 1 of function "random" must be a number');
    return seeded(Math.trunc(seed));
  },
  uuid(): unknown {
    return randomUUID();
  },
  parse(text: unknown): unknown {
    if (text === undefined) return undefined;
    if (typeof text !== 'string') throw awsFunctionError('T0410', 'Argument 1 of function "parse" must be a string');
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw awsFunctionError('D3140', `Unable to parse the string as JSON: ${text}`);
    }
  },
};

interface JsonataFocus {
  environment: { lookup(name: string): unknown };
}

function executionTime(focus: JsonataFocus): number {
  const states = focus.environment.lookup('states') as { [EXECUTION_TIME]?: () => number } | undefined;
  return states?.[EXECUTION_TIME]?.() ?? Date.now();
}

// --- expressions --------------------------------------------------------------------------

interface AstLike {
  type?: string;
  value?: unknown;
  steps?: AstLike[];
  [key: string]: unknown;
}

/** Finds references AWS refuses at definition time: `$`/`$$` and top-level field names. */
function findUnsupportedReference(node: unknown): string | undefined {
  if (!node || typeof node !== 'object') return undefined;
  const n = node as AstLike;
  if (n.type === 'variable' && (n.value === '' || n.value === '$')) {
    return n.value === '' ? "Reference to '$' is not supported." : "Reference to '$$' is not supported.";
  }
  if (n.type === 'name') return `Reference to '${String(n.value)}' at the top level is not supported.`;
  if (n.type === 'path') {
    const first = n.steps?.[0];
    if (first?.type === 'name') return `Reference to '${String(first.value)}' at the top level is not supported.`;
    return first ? findUnsupportedReference(first) : undefined;
  }
  if (n.type === 'lambda') return undefined;
  for (const key of ['lhs', 'rhs', 'expression', 'expressions', 'condition', 'then', 'else', 'arguments', 'procedure']) {
    const child = n[key];
    if (Array.isArray(child)) {
      for (const c of child) {
        const found = Array.isArray(c) ? (c as unknown[]).map(findUnsupportedReference).find(Boolean) : findUnsupportedReference(c);
        if (found) return found;
      }
    } else if (child) {
      const found = findUnsupportedReference(child);
      if (found) return found;
    }
  }
  return undefined;
}

/** One compiled JSONata expression. */
export class JsonataExpression {
  /** The expression text between `{%` and `%}`, trimmed, as AWS quotes it in messages. */
  readonly source: string;
  private readonly expression: jsonata.Expression;
  private readonly fast: FastEvaluator | undefined;
  /** `$states.<name>` fields the expression reads (input, result, errorOutput, context). */
  readonly statesFields: ReadonlySet<string>;

  constructor(source: string) {
    this.source = source.trim();
    try {
      this.expression = jsonata(this.source);
    } catch (error) {
      throw new JsonataSyntaxError(describeJsonataError(error), 'INVALID_JSONATA_EXPRESSION');
    }
    const ast = this.expression.ast();
    const unsupported = findUnsupportedReference(ast);
    if (unsupported) throw new JsonataSyntaxError(unsupported, 'UNSUPPORTED_JSONATA_EXPRESSION');
    for (const [name, fn] of Object.entries(AWS_FUNCTIONS)) this.expression.registerFunction(name, fn);
    // $now() and $millis() tell the execution's time, which the injected clock drives.
    this.expression.registerFunction('millis', function (this: JsonataFocus) {
      return executionTime(this);
    }, '<:n>');
    this.expression.registerFunction('now', function (this: JsonataFocus, picture?: string, timezone?: string) {
      const fromMillis = this.environment.lookup('fromMillis') as { implementation: (...args: unknown[]) => unknown } | undefined;
      return fromMillis?.implementation(executionTime(this), picture, timezone);
    }, '<s?s?:s>');
    // AWS disables $eval ($parse replaces it): calling it is "Attempted to invoke a non-function".
    this.expression.assign('eval', undefined);
    this.fast = compileFastPath(ast);
    this.statesFields = collectStatesFields(this.source);
  }

  /** Whether evaluation can complete synchronously for simple values. */
  get hasFastPath(): boolean {
    return this.fast !== undefined;
  }

  /**
   * Evaluates with the given variables. Returns the value directly when the fast path can,
   * a Promise otherwise. Errors are the jsonata error objects ({code, message}).
   */
  evaluate(bindings: Bindings): unknown {
    if (this.fast !== undefined) {
      const value = this.fast(bindings);
      if (value !== BAIL) return value;
    }
    return this.expression.evaluate(undefined, bindings);
  }
}

function collectStatesFields(source: string): Set<string> {
  const out = new Set<string>();
  for (const m of source.matchAll(/\$states\s*\.\s*([A-Za-z]+)/g)) out.add(m[1] as string);
  if (/\$states(?!\s*\.)/.test(source)) out.add('*');
  return out;
}

const expressionCache = new Map<string, JsonataExpression>();

/** Compiles (and caches per text) an expression. Throws JsonataSyntaxError. */
export function compileJsonata(source: string): JsonataExpression {
  let compiled = expressionCache.get(source);
  if (compiled === undefined) {
    compiled = new JsonataExpression(source);
    if (expressionCache.size < 5_000) expressionCache.set(source, compiled);
  }
  return compiled;
}

// --- templates (values with `{% %}` strings inside) ----------------------------------------

type TemplateNode =
  | { k: 'const'; value: Json }
  | { k: 'expr'; expr: JsonataExpression; field: string }
  | { k: 'object'; entries: { key: string; node: TemplateNode }[] }
  | { k: 'array'; items: TemplateNode[] };

function checkJsonResult(value: unknown, expr: JsonataExpression, field: string): Json {
  if (value === undefined) {
    throw runtimeFailure(
      StatesErrors.QueryEvaluationError,
      `The JSONata expression '${expr.source}' specified for the field '${field}' returned nothing (undefined).`,
    );
  }
  if (typeof value === 'function' || (typeof value === 'object' && value !== null && '_jsonata_lambda' in value)) {
    throw runtimeFailure(
      StatesErrors.QueryEvaluationError,
      `The JSONata expression '${expr.source}' specified for the field '${field}' returned an unsupported result type.`,
    );
  }
  if (typeof value === 'number' && !Number.isFinite(value)) {
    // JSON has no literal for these; AWS writes them as the names JavaScript gives them.
    return String(value);
  }
  return value as Json;
}

function evaluationFailure(error: unknown, expr: JsonataExpression, field: string): Error {
  if (error instanceof Error && error.name === 'ExecutionFailure') return error;
  return runtimeFailure(
    StatesErrors.QueryEvaluationError,
    `The JSONata expression '${expr.source}' specified for the field '${field}' threw an error during evaluation. ${describeJsonataError(error)}`,
  );
}

/** Evaluates one expression for a field: the value, or States.QueryEvaluationError with AWS's wording. */
export function evaluateField(expr: JsonataExpression, field: string, bindings: Bindings): Json | Promise<Json> {
  let raw: unknown;
  try {
    raw = expr.evaluate(bindings);
  } catch (error) {
    throw evaluationFailure(error, expr, field);
  }
  if (raw instanceof Promise) {
    return raw.then(
      (value) => checkJsonResult(value, expr, field),
      (error: unknown) => {
        throw evaluationFailure(error, expr, field);
      },
    );
  }
  return checkJsonResult(raw, expr, field);
}

function compileTemplateNode(value: unknown, field: string): TemplateNode {
  if (isJsonataString(value)) {
    const m = EXPRESSION.exec(value) as RegExpExecArray;
    return { k: 'expr', expr: compileJsonata(m[1] as string), field };
  }
  if (Array.isArray(value)) {
    const items = value.map((v, i) => compileTemplateNode(v, `${field}[${i}]`));
    return items.every((n) => n.k === 'const') ? { k: 'const', value: value as Json } : { k: 'array', items };
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).map(([key, v]) => ({ key, node: compileTemplateNode(v, `${field}/${key}`) }));
    return entries.every((e) => e.node.k === 'const') ? { k: 'const', value: value as Json } : { k: 'object', entries };
  }
  return { k: 'const', value: value as Json };
}

/** Raised while compiling a template, with the field where the bad expression sits. */
export class JsonataTemplateError extends Error {
  override name = 'JsonataTemplateError';
  constructor(
    readonly syntaxError: JsonataSyntaxError,
    readonly field: string,
  ) {
    super(syntaxError.message);
  }
}

function compileTemplateChecked(value: unknown, field: string): TemplateNode {
  if (isJsonataString(value)) {
    try {
      return compileTemplateNode(value, field);
    } catch (error) {
      if (error instanceof JsonataSyntaxError) throw new JsonataTemplateError(error, field);
      throw error;
    }
  }
  if (Array.isArray(value)) {
    const items = value.map((v, i) => compileTemplateChecked(v, `${field}[${i}]`));
    return items.every((n) => n.k === 'const') ? { k: 'const', value: value as Json } : { k: 'array', items };
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).map(([key, v]) => ({ key, node: compileTemplateChecked(v, `${field}/${key}`) }));
    return entries.every((e) => e.node.k === 'const') ? { k: 'const', value: value as Json } : { k: 'object', entries };
  }
  return { k: 'const', value: value as Json };
}

/** A JSON value with `{% %}` expressions in its strings, compiled once. */
export class JsonataTemplate {
  private readonly root: TemplateNode;
  /** Every expression in the template (for validation). */
  readonly expressions: JsonataExpression[] = [];

  constructor(value: unknown, field: string) {
    this.root = compileTemplateChecked(value, field);
    collect(this.root, this.expressions);
  }

  /** True when the template has no expression: its value never changes. */
  get isConstant(): boolean {
    return this.root.k === 'const';
  }

  /** Whether any expression reads `$states.<field>`. */
  reads(statesField: string): boolean {
    return this.expressions.some((e) => e.statesFields.has(statesField) || e.statesFields.has('*'));
  }

  evaluate(bindings: Bindings): Json | Promise<Json> {
    return evalNode(this.root, bindings);
  }
}

function collect(node: TemplateNode, out: JsonataExpression[]): void {
  if (node.k === 'expr') out.push(node.expr);
  else if (node.k === 'object') node.entries.forEach((e) => collect(e.node, out));
  else if (node.k === 'array') node.items.forEach((n) => collect(n, out));
}

function evalNode(node: TemplateNode, bindings: Bindings): Json | Promise<Json> {
  switch (node.k) {
    case 'const':
      return node.value;
    case 'expr':
      return evaluateField(node.expr, node.field, bindings);
    case 'object': {
      const out: JsonObject = {};
      let pending: Promise<void>[] | undefined;
      for (const { key, node: child } of node.entries) {
        const v = evalNode(child, bindings);
        if (v instanceof Promise) {
          out[key] = null; // keeps the key order of the template
          (pending ??= []).push(
            v.then((resolved) => {
              out[key] = resolved;
            }),
          );
        } else out[key] = v;
      }
      return pending ? Promise.all(pending).then(() => out) : out;
    }
    case 'array': {
      const values = node.items.map((n) => evalNode(n, bindings));
      return values.some((v) => v instanceof Promise) ? Promise.all(values) : (values as Json[]);
    }
  }
}

/** AWS's message when a field's expression gives a value of the wrong type. */
export function unexpectedTypeCause(expr: JsonataExpression | undefined, field: string, expected: string, value: Json): string {
  const prefix = expr ? `The JSONata expression '${expr.source}' specified for the field '${field}'` : `The field '${field}'`;
  return `${prefix} returned an unexpected result type. Expected '${expected}', but was '${jsonTypeName(value)}' for value: ${toJsonText(value)}`;
}
