/**
 * JSONPath as Step Functions evaluates it (Jayway JsonPath semantics): definite paths yield one
 * value or fail, indefinite paths (wildcards, slices, filters, deep scans, unions) yield a list.
 *
 * A path starts at `$` (the payload), `$$` (the context object) or `$name` (a workflow variable).
 */
import { isJsonObject, jsonEquals, type Json, type JsonObject } from './json';

export type PathRoot = { kind: 'input' } | { kind: 'context' } | { kind: 'variable'; name: string };

type Segment =
  | { t: 'prop'; names: string[] }
  | { t: 'wild' }
  | { t: 'index'; indexes: number[] }
  | { t: 'slice'; start: number | undefined; end: number | undefined }
  | { t: 'filter'; expr: FilterNode; source: string }
  | { t: 'scan'; next: Segment };

type FilterNode =
  | { k: 'or' | 'and'; a: FilterNode; b: FilterNode }
  | { k: 'not'; a: FilterNode }
  | { k: 'cmp'; op: string; a: FilterOperand; b: FilterOperand }
  | { k: 'exists'; a: FilterOperand };

type FilterOperand =
  | { k: 'literal'; value: Json }
  | { k: 'regex'; re: RegExp }
  | { k: 'path'; relative: boolean; segments: Segment[] };

/** Raised for a path that does not parse. */
export class JsonPathSyntaxError extends Error {
  override name = 'JsonPathSyntaxError';
}

/** Raised when a definite path finds nothing (Jayway's PathNotFoundException / InvalidPathException). */
export class JsonPathNotFoundError extends Error {
  override name = 'JsonPathNotFoundError';
}

/** A parsed path, ready to evaluate many times. */
export class JsonPath {
  readonly source: string;
  readonly root: PathRoot;
  /** False when the path can select several nodes (its result is then always a list). */
  readonly definite: boolean;
  private readonly segments: Segment[];
  /** Fast route for the common `$.a.b.c` shape. */
  private readonly simpleNames: string[] | undefined;

  constructor(source: string) {
    this.source = source;
    const parser = new PathParser(source);
    const { root, segments } = parser.parsePath();
    this.root = root;
    this.segments = segments;
    this.definite = segments.every(isDefiniteSegment);
    this.simpleNames = segments.every((s) => s.t === 'prop' && s.names.length === 1)
      ? segments.map((s) => (s as { names: string[] }).names[0] as string)
      : undefined;
  }

  /** True for a path that is only its root (`$`, `$$`, `$var`). */
  get isRootOnly(): boolean {
    return this.segments.length === 0;
  }

  /** Segments' names when the path is a chain of plain properties; used by ResultPath. */
  get propertyChain(): string[] | undefined {
    return this.simpleNames;
  }

  /** Segments for setting values (ResultPath): properties and single indexes only. */
  referenceSteps(): (string | number)[] | undefined {
    const steps: (string | number)[] = [];
    for (const s of this.segments) {
      if (s.t === 'prop' && s.names.length === 1) steps.push(s.names[0] as string);
      else if (s.t === 'index' && s.indexes.length === 1) steps.push(s.indexes[0] as number);
      else return undefined;
    }
    return steps;
  }

  /**
   * Evaluates against the root value. Definite paths return the value or throw
   * JsonPathNotFoundError; indefinite paths return the list of matches.
   */
  evaluate(rootValue: Json): Json {
    const names = this.simpleNames;
    if (names !== undefined) {
      let current: Json = rootValue;
      for (let i = 0; i < names.length; i++) {
        const name = names[i] as string;
        if (!isJsonObject(current)) {
          throw notAnObject(name, evaluationPath(names, i), current);
        }
        if (!Object.prototype.hasOwnProperty.call(current, name)) {
          if (i === names.length - 1) throw new JsonPathNotFoundError(`No results for path: ${evaluationPath(names, i + 1)}`);
          throw new JsonPathNotFoundError(`Missing property in path ${evaluationPath(names, i + 1)}`);
        }
        current = current[name] as Json;
      }
      return current;
    }
    const results: Json[] = [];
    // An indefinite path never fails on a missing node: it selects nothing there (an empty list).
    walk(this.segments, 0, rootValue, '$', rootValue, results, this.definite);
    if (this.definite) {
      if (results.length === 0) throw new JsonPathNotFoundError(`No results for path: ${this.canonical()}`);
      return results[0] as Json;
    }
    return results;
  }

  /** Whether the path finds a node (for IsPresent and filters). */
  exists(rootValue: Json): boolean {
    try {
      const result = this.evaluate(rootValue);
      return this.definite || (Array.isArray(result) && result.length > 0);
    } catch (error) {
      if (error instanceof JsonPathNotFoundError) return false;
      throw error;
    }
  }

  private canonical(): string {
    return '$' + this.segments.map(segmentText).join('');
  }
}

function evaluationPath(names: string[], count: number): string {
  let text = '$';
  for (let i = 0; i < count; i++) text += `['${names[i] as string}']`;
  return text;
}

// Jayway reports the Java type it found; Step Functions passes that text through.
function javaTypeName(value: Json): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'java.util.ArrayList';
  switch (typeof value) {
    case 'string':
      return 'java.lang.String';
    case 'boolean':
      return 'java.lang.Boolean';
    case 'number':
      return Number.isInteger(value) ? 'java.lang.Integer' : 'java.lang.Double';
    default:
      return 'java.util.LinkedHashMap';
  }
}

function notAnObject(name: string, path: string, found: Json): JsonPathNotFoundError {
  return new JsonPathNotFoundError(
    `Expected to find an object with property ['${name}'] in path ${path} but found '${javaTypeName(found)}'. ` +
      `This is not a json object according to the JsonProvider: 'com.jayway.jsonpath.spi.json.JacksonJsonProvider'.`,
  );
}

function isDefiniteSegment(s: Segment): boolean {
  if (s.t === 'prop') return s.names.length === 1;
  if (s.t === 'index') return s.indexes.length === 1;
  return false;
}

function segmentText(s: Segment): string {
  switch (s.t) {
    case 'prop':
      return `[${s.names.map((n) => `'${n}'`).join(',')}]`;
    case 'wild':
      return '[*]';
    case 'index':
      return `[${s.indexes.join(',')}]`;
    case 'slice':
      return `[${s.start ?? ''}:${s.end ?? ''}]`;
    case 'filter':
      return `[?]`;
    case 'scan':
      return `..${segmentText(s.next)}`;
  }
}

/** Evaluates segments[i..] on `node`, collecting matches. `upstreamDefinite` drives Jayway's error rules. */
function walk(
  segments: Segment[],
  i: number,
  node: Json,
  path: string,
  root: Json,
  out: Json[],
  upstreamDefinite: boolean,
): void {
  if (i === segments.length) {
    out.push(node);
    return;
  }
  const seg = segments[i] as Segment;
  const isLeaf = i === segments.length - 1;
  switch (seg.t) {
    case 'prop': {
      if (!isJsonObject(node)) {
        if (upstreamDefinite && seg.names.length === 1) {
          throw notAnObject(seg.names[0] as string, path, node);
        }
        return;
      }
      if (seg.names.length > 1) {
        if (isLeaf) {
          const merged: JsonObject = {};
          for (const name of seg.names) {
            if (Object.prototype.hasOwnProperty.call(node, name)) merged[name] = node[name] as Json;
          }
          out.push(merged);
        } else {
          for (const name of seg.names) {
            if (Object.prototype.hasOwnProperty.call(node, name)) {
              walk(segments, i + 1, node[name] as Json, `${path}['${name}']`, root, out, false);
            }
          }
        }
        return;
      }
      const name = seg.names[0] as string;
      if (!Object.prototype.hasOwnProperty.call(node, name)) {
        if (!isLeaf && upstreamDefinite) {
          throw new JsonPathNotFoundError(`Missing property in path ${path}['${name}']`);
        }
        return;
      }
      walk(segments, i + 1, node[name] as Json, `${path}['${name}']`, root, out, upstreamDefinite);
      return;
    }
    case 'wild': {
      if (Array.isArray(node)) {
        node.forEach((item, idx) => walk(segments, i + 1, item, `${path}[${idx}]`, root, out, false));
      } else if (isJsonObject(node)) {
        for (const key of Object.keys(node)) walk(segments, i + 1, node[key] as Json, `${path}['${key}']`, root, out, false);
      }
      return;
    }
    case 'index': {
      if (!Array.isArray(node)) {
        if (upstreamDefinite && seg.indexes.length === 1) {
          if (node === null) throw new JsonPathNotFoundError(`The path ${path} is null`);
          throw new JsonPathNotFoundError(
            `Filter: [${seg.indexes.join(',')}] can only be applied to arrays. Current context is: ${JSON.stringify(node)}`,
          );
        }
        return;
      }
      const definite = upstreamDefinite && seg.indexes.length === 1;
      for (const raw of seg.indexes) {
        const idx = raw < 0 ? node.length + raw : raw;
        if (idx >= 0 && idx < node.length) walk(segments, i + 1, node[idx] as Json, `${path}[${idx}]`, root, out, definite);
      }
      return;
    }
    case 'slice': {
      if (!Array.isArray(node)) return;
      const len = node.length;
      let start = seg.start ?? 0;
      let end = seg.end ?? len;
      if (start < 0) start = Math.max(0, len + start);
      if (end < 0) end = Math.max(0, len + end);
      end = Math.min(end, len);
      for (let idx = start; idx < end; idx++) walk(segments, i + 1, node[idx] as Json, `${path}[${idx}]`, root, out, false);
      return;
    }
    case 'filter': {
      if (Array.isArray(node)) {
        node.forEach((item, idx) => {
          if (evalFilter(seg.expr, item, root)) walk(segments, i + 1, item, `${path}[${idx}]`, root, out, false);
        });
      } else if (isJsonObject(node)) {
        if (evalFilter(seg.expr, node, root)) walk(segments, i + 1, node, path, root, out, false);
      }
      return;
    }
    case 'scan': {
      scan(segments, i, seg.next, node, path, root, out);
      return;
    }
  }
}

function scanMatches(next: Segment, node: Json): boolean {
  switch (next.t) {
    case 'prop':
      return isJsonObject(node) && next.names.every((n) => Object.prototype.hasOwnProperty.call(node, n));
    case 'index':
    case 'slice':
      return Array.isArray(node);
    case 'wild':
      return true;
    case 'filter':
      return Array.isArray(node) || isJsonObject(node);
    case 'scan':
      return true;
  }
}

function scan(segments: Segment[], i: number, next: Segment, node: Json, path: string, root: Json, out: Json[]): void {
  if (scanMatches(next, node)) {
    // Apply the scanned segment here, then continue with the rest of the path.
    const rest: Segment[] = [next, ...segments.slice(i + 1)];
    walk(rest, 0, node, path, root, out, false);
  }
  if (Array.isArray(node)) {
    node.forEach((item, idx) => scan(segments, i, next, item, `${path}[${idx}]`, root, out));
  } else if (isJsonObject(node)) {
    for (const key of Object.keys(node)) scan(segments, i, next, node[key] as Json, `${path}['${key}']`, root, out);
  }
}

// ---------------------------------------------------------------------------------------------
// Filters

const MISSING = Symbol('missing');
type FilterValue = Json | RegExp | typeof MISSING;

function operandValue(op: FilterOperand, current: Json, root: Json): FilterValue {
  switch (op.k) {
    case 'literal':
      return op.value;
    case 'regex':
      return op.re;
    case 'path': {
      const out: Json[] = [];
      try {
        walk(op.segments, 0, op.relative ? current : root, op.relative ? '@' : '$', root, out, false);
      } catch {
        return MISSING;
      }
      if (out.length === 0) return MISSING;
      const definite = op.segments.every(isDefiniteSegment);
      return definite ? (out[0] as Json) : out;
    }
  }
}

function evalFilter(node: FilterNode, current: Json, root: Json): boolean {
  switch (node.k) {
    case 'or':
      return evalFilter(node.a, current, root) || evalFilter(node.b, current, root);
    case 'and':
      return evalFilter(node.a, current, root) && evalFilter(node.b, current, root);
    case 'not':
      return !evalFilter(node.a, current, root);
    case 'exists':
      return operandValue(node.a, current, root) !== MISSING;
    case 'cmp':
      return compare(node.op, operandValue(node.a, current, root), operandValue(node.b, current, root));
  }
}

function compare(op: string, a: FilterValue, b: FilterValue): boolean {
  switch (op) {
    case '==':
      return a !== MISSING && b !== MISSING && !(a instanceof RegExp) && !(b instanceof RegExp) && jsonEquals(a, b);
    case '!=':
      return !compare('==', a, b);
    case '<':
    case '<=':
    case '>':
    case '>=': {
      if (typeof a === 'number' && typeof b === 'number') return ordered(op, a < b ? -1 : a > b ? 1 : 0);
      if (typeof a === 'string' && typeof b === 'string') return ordered(op, a < b ? -1 : a > b ? 1 : 0);
      return false;
    }
    case '=~':
      return typeof a === 'string' && b instanceof RegExp && b.test(a);
    case 'in':
      return Array.isArray(b) && a !== MISSING && b.some((x) => jsonEquals(x, a));
    case 'nin':
      return Array.isArray(b) && a !== MISSING && !b.some((x) => jsonEquals(x, a));
    case 'subsetof':
      return Array.isArray(a) && Array.isArray(b) && a.every((x) => b.some((y) => jsonEquals(x, y)));
    case 'anyof':
      return Array.isArray(a) && Array.isArray(b) && a.some((x) => b.some((y) => jsonEquals(x, y)));
    case 'noneof':
      return Array.isArray(a) && Array.isArray(b) && !a.some((x) => b.some((y) => jsonEquals(x, y)));
    case 'contains':
      if (typeof a === 'string' && typeof b === 'string') return a.includes(b);
      return Array.isArray(a) && b !== MISSING && a.some((x) => jsonEquals(x, b as Json));
    case 'size':
      if (typeof b !== 'number') return false;
      if (typeof a === 'string' || Array.isArray(a)) return a.length === b;
      return false;
    case 'empty': {
      const empty = (typeof a === 'string' || Array.isArray(a)) && a.length === 0;
      return b === true ? empty : b === false ? !empty && (typeof a === 'string' || Array.isArray(a)) : false;
    }
    default:
      return false;
  }
}

function ordered(op: string, c: number): boolean {
  return op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0;
}

// ---------------------------------------------------------------------------------------------
// Parser

const NAME_STOP = new Set(['.', '[', ' ', '\t', '\n', '(', ')', ',', '=', '!', '<', '>', '&', '|', ']']);

class PathParser {
  private pos = 0;
  constructor(private readonly text: string) {}

  private fail(message: string): never {
    throw new JsonPathSyntaxError(`Invalid JSONPath '${this.text}': ${message} at position ${this.pos}`);
  }

  private peek(offset = 0): string {
    return this.text[this.pos + offset] ?? '';
  }

  parsePath(): { root: PathRoot; segments: Segment[] } {
    const text = this.text;
    if (text[0] !== '$') this.fail("a path starts with '$'");
    let root: PathRoot;
    if (text[1] === '$') {
      root = { kind: 'context' };
      this.pos = 2;
    } else {
      this.pos = 1;
      const start = this.pos;
      while (this.pos < text.length && /[A-Za-z0-9_]/.test(this.peek())) this.pos++;
      root = this.pos > start ? { kind: 'variable', name: text.slice(start, this.pos) } : { kind: 'input' };
    }
    const segments = this.parseSegments(false);
    if (this.pos < text.length) this.fail(`unexpected '${this.peek()}'`);
    return { root, segments };
  }

  /** Parses segments until the end (or, inside a filter, until a character that cannot continue a path). */
  parseSegments(inFilter: boolean): Segment[] {
    const segments: Segment[] = [];
    while (this.pos < this.text.length) {
      const c = this.peek();
      if (c === '.') {
        if (this.peek(1) === '.') {
          this.pos += 2;
          let next: Segment;
          if (this.peek() === '[') next = this.parseBracket();
          else if (this.peek() === '*') {
            this.pos++;
            next = { t: 'wild' };
          } else next = { t: 'prop', names: [this.parseName()] };
          segments.push({ t: 'scan', next });
          continue;
        }
        this.pos++;
        if (this.peek() === '*') {
          this.pos++;
          segments.push({ t: 'wild' });
          continue;
        }
        if (this.peek() === '[') {
          segments.push(this.parseBracket());
          continue;
        }
        const name = this.parseName();
        if (this.peek() === '(' && this.peek(1) === ')') this.fail(`functions such as ${name}() are not supported`);
        segments.push({ t: 'prop', names: [name] });
        continue;
      }
      if (c === '[') {
        segments.push(this.parseBracket());
        continue;
      }
      if (inFilter) break;
      this.fail(`unexpected '${c}'`);
    }
    return segments;
  }

  private parseName(): string {
    const start = this.pos;
    while (this.pos < this.text.length && !NAME_STOP.has(this.peek())) this.pos++;
    if (this.pos === start) this.fail('a property name is expected');
    return this.text.slice(start, this.pos);
  }

  private skipSpaces(): void {
    while (this.peek() === ' ') this.pos++;
  }

  private parseBracket(): Segment {
    this.pos++; // [
    this.skipSpaces();
    const c = this.peek();
    let seg: Segment;
    if (c === '*') {
      this.pos++;
      seg = { t: 'wild' };
    } else if (c === '?') {
      this.pos++;
      this.skipSpaces();
      if (this.peek() !== '(') this.fail("'(' expected after '?'");
      const start = this.pos;
      this.pos++;
      const expr = this.parseOr();
      this.skipSpaces();
      if (this.peek() !== ')') this.fail("')' expected to close the filter");
      this.pos++;
      seg = { t: 'filter', expr, source: this.text.slice(start, this.pos) };
    } else if (c === "'" || c === '"') {
      const names: string[] = [this.parseQuoted()];
      this.skipSpaces();
      while (this.peek() === ',') {
        this.pos++;
        this.skipSpaces();
        names.push(this.parseQuoted());
        this.skipSpaces();
      }
      seg = { t: 'prop', names };
    } else {
      seg = this.parseIndexOrSlice();
    }
    this.skipSpaces();
    if (this.peek() !== ']') this.fail("']' expected");
    this.pos++;
    return seg;
  }

  private parseQuoted(): string {
    const quote = this.peek();
    if (quote !== "'" && quote !== '"') this.fail('a quoted name is expected');
    this.pos++;
    let value = '';
    while (this.pos < this.text.length && this.peek() !== quote) {
      // As AWS (Jayway JsonPath): a backslash escapes only the enclosing quote; `\"` in a
      // single-quoted name stays two characters.
      if (this.peek() === '\\' && this.text[this.pos + 1] === quote) this.pos++;
      value += this.peek();
      this.pos++;
    }
    if (this.peek() !== quote) this.fail('unterminated quoted name');
    this.pos++;
    return value;
  }

  private parseInt(): number | undefined {
    this.skipSpaces();
    const m = /^-?\d+/.exec(this.text.slice(this.pos));
    if (!m) return undefined;
    this.pos += m[0].length;
    this.skipSpaces();
    return Number(m[0]);
  }

  private parseIndexOrSlice(): Segment {
    const first = this.parseInt();
    if (this.peek() === ':') {
      this.pos++;
      const end = this.parseInt();
      return { t: 'slice', start: first, end };
    }
    if (first === undefined) this.fail('an index, a slice, a quoted name, * or a filter is expected');
    const indexes = [first];
    while (this.peek() === ',') {
      this.pos++;
      const next = this.parseInt();
      if (next === undefined) this.fail('an index is expected');
      indexes.push(next);
    }
    return { t: 'index', indexes };
  }

  // Filter grammar: or := and ('||' and)* ; and := unary ('&&' unary)* ; unary := '!' unary | '(' or ')' | comparison
  private parseOr(): FilterNode {
    let left = this.parseAnd();
    for (;;) {
      this.skipSpaces();
      if (this.text.startsWith('||', this.pos)) {
        this.pos += 2;
        left = { k: 'or', a: left, b: this.parseAnd() };
      } else return left;
    }
  }

  private parseAnd(): FilterNode {
    let left = this.parseUnary();
    for (;;) {
      this.skipSpaces();
      if (this.text.startsWith('&&', this.pos)) {
        this.pos += 2;
        left = { k: 'and', a: left, b: this.parseUnary() };
      } else return left;
    }
  }

  private parseUnary(): FilterNode {
    this.skipSpaces();
    if (this.peek() === '!' && this.peek(1) !== '=') {
      this.pos++;
      return { k: 'not', a: this.parseUnary() };
    }
    if (this.peek() === '(') {
      this.pos++;
      const inner = this.parseOr();
      this.skipSpaces();
      if (this.peek() !== ')') this.fail("')' expected");
      this.pos++;
      return inner;
    }
    const a = this.parseOperand();
    this.skipSpaces();
    const op = this.parseOperator();
    if (op === undefined) {
      if (a.k !== 'path') this.fail('a comparison is expected');
      return { k: 'exists', a };
    }
    this.skipSpaces();
    const b = this.parseOperand();
    return { k: 'cmp', op, a, b };
  }

  private parseOperator(): string | undefined {
    for (const op of ['==', '!=', '<=', '>=', '=~', '<', '>']) {
      if (this.text.startsWith(op, this.pos)) {
        this.pos += op.length;
        return op;
      }
    }
    const m = /^(nin|in|subsetof|anyof|noneof|contains|size|empty)\b/.exec(this.text.slice(this.pos));
    if (m) {
      this.pos += (m[1] as string).length;
      return m[1];
    }
    return undefined;
  }

  private parseOperand(): FilterOperand {
    this.skipSpaces();
    const c = this.peek();
    if (c === '@' || c === '$') {
      this.pos++;
      const segments = this.parseSegments(true);
      return { k: 'path', relative: c === '@', segments };
    }
    if (c === "'" || c === '"') return { k: 'literal', value: this.parseQuoted() };
    if (c === '/') {
      this.pos++;
      let source = '';
      while (this.pos < this.text.length && this.peek() !== '/') {
        if (this.peek() === '\\') {
          source += this.peek();
          this.pos++;
        }
        source += this.peek();
        this.pos++;
      }
      this.pos++;
      let flags = '';
      while (/[imsx]/.test(this.peek())) {
        if (this.peek() !== 'x') flags += this.peek();
        this.pos++;
      }
      return { k: 'regex', re: new RegExp(`^(?:${source})$`, flags) };
    }
    if (c === '[' || c === '{') {
      // A JSON literal (array or object): find its end by bracket depth.
      const start = this.pos;
      let depth = 0;
      let quote = '';
      for (; this.pos < this.text.length; this.pos++) {
        const ch = this.peek();
        if (quote) {
          if (ch === '\\') this.pos++;
          else if (ch === quote) quote = '';
        } else if (ch === "'" || ch === '"') quote = ch;
        else if (ch === '[' || ch === '{') depth++;
        else if (ch === ']' || ch === '}') {
          depth--;
          if (depth === 0) {
            this.pos++;
            break;
          }
        }
      }
      const raw = this.text.slice(start, this.pos).replace(/'((?:\\.|[^'\\])*)'/g, (_m, s: string) => JSON.stringify(s));
      try {
        return { k: 'literal', value: JSON.parse(raw) as Json };
      } catch {
        this.fail(`invalid literal ${raw}`);
      }
    }
    const m = /^(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null)/.exec(this.text.slice(this.pos));
    if (m) {
      this.pos += (m[1] as string).length;
      return { k: 'literal', value: JSON.parse(m[1] as string) as Json };
    }
    this.fail('an operand is expected');
  }
}

const pathCache = new Map<string, JsonPath>();

/** Parses (and caches) a path. Throws JsonPathSyntaxError. */
export function parseJsonPath(source: string): JsonPath {
  let path = pathCache.get(source);
  if (path === undefined) {
    path = new JsonPath(source);
    if (pathCache.size < 10_000) pathCache.set(source, path);
  }
  return path;
}

/**
 * Returns a copy of `target` with `value` placed at the reference path (ResultPath semantics):
 * missing objects on the way are created; the input itself is never modified.
 * Returns undefined when the path cannot be applied (a step meets a non-object).
 */
export function setAtPath(target: Json, steps: readonly (string | number)[], value: Json): Json | undefined {
  if (steps.length === 0) return value;
  const [head, ...rest] = steps as [string | number, ...(string | number)[]];
  if (typeof head === 'number') {
    if (!Array.isArray(target)) return undefined;
    const idx = head < 0 ? target.length + head : head;
    if (idx < 0 || idx >= target.length) return undefined;
    const inner = setAtPath(target[idx] as Json, rest, value);
    if (inner === undefined) return undefined;
    const copy = target.slice();
    copy[idx] = inner;
    return copy;
  }
  if (!isJsonObject(target)) return undefined;
  const current = Object.prototype.hasOwnProperty.call(target, head) ? (target[head] as Json) : {};
  const inner = setAtPath(current, rest, value);
  if (inner === undefined) return undefined;
  return { ...target, [head]: inner };
}
