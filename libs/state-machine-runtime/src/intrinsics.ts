/**
 * The `States.*` intrinsic functions of JSONPath payload templates: parsed once, evaluated many times.
 */
import { createHash, randomUUID } from 'node:crypto';
import { runtimeFailure, StatesErrors } from './errors';
import { isJsonObject, jsonEquals, toJsonText, type Json, type JsonObject } from './json';
import { parseJsonPath, type JsonPath } from './jsonpath';

/** Resolves a path argument against the right root (payload, context object or variable). */
export type PathResolver<S = undefined> = (path: JsonPath, state: S) => Json;

type Arg =
  | { k: 'literal'; value: Json }
  | { k: 'path'; path: JsonPath }
  | { k: 'call'; call: IntrinsicCall };

export interface IntrinsicCall {
  readonly name: string;
  readonly args: readonly Arg[];
  readonly source: string;
}

export class IntrinsicSyntaxError extends Error {
  override name = 'IntrinsicSyntaxError';
}

// Escaped braces in a literal must survive States.Format's `{}` substitution.
const ESC_OPEN = '\uE000';
const ESC_CLOSE = '\uE001';

const ARITY: Record<string, [number, number]> = {
  'States.Format': [1, Infinity],
  'States.StringToJson': [1, 1],
  'States.JsonToString': [1, 1],
  'States.Array': [0, Infinity],
  'States.ArrayPartition': [2, 2],
  'States.ArrayContains': [2, 2],
  'States.ArrayRange': [3, 3],
  'States.ArrayGetItem': [2, 2],
  'States.ArrayLength': [1, 1],
  'States.ArrayUnique': [1, 1],
  'States.Base64Encode': [1, 1],
  'States.Base64Decode': [1, 1],
  'States.Hash': [2, 2],
  'States.JsonMerge': [3, 3],
  'States.MathRandom': [2, 3],
  'States.MathAdd': [2, 2],
  'States.StringSplit': [2, 2],
  'States.UUID': [0, 0],
};

/** Whether a string looks like an intrinsic function call (`States.Xxx(...)`). */
export function isIntrinsicCall(text: string): boolean {
  return /^\s*States\.[A-Za-z0-9]+\s*\(/.test(text);
}

/** Parses `States.Name(args...)`; throws IntrinsicSyntaxError with a reason. */
export function parseIntrinsic(text: string): IntrinsicCall {
  const parser = new IntrinsicParser(text);
  const call = parser.parseCall();
  parser.skipSpaces();
  if (!parser.atEnd()) throw new IntrinsicSyntaxError(`Unexpected text after the function call in '${text}'`);
  return call;
}

class IntrinsicParser {
  private pos = 0;
  constructor(private readonly text: string) {}

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  skipSpaces(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos] as string)) this.pos++;
  }

  private fail(message: string): never {
    throw new IntrinsicSyntaxError(`${message} in '${this.text}' at position ${this.pos}`);
  }

  parseCall(): IntrinsicCall {
    this.skipSpaces();
    const start = this.pos;
    const m = /^States\.[A-Za-z0-9]+/.exec(this.text.slice(this.pos));
    if (!m) this.fail('A function name States.<Name> is expected');
    const name = m[0];
    if (!(name in ARITY)) this.fail(`Unknown intrinsic function ${name}`);
    this.pos += name.length;
    this.skipSpaces();
    if (this.text[this.pos] !== '(') this.fail("'(' is expected");
    this.pos++;
    const args: Arg[] = [];
    this.skipSpaces();
    if (this.text[this.pos] === ')') {
      this.pos++;
    } else {
      for (;;) {
        args.push(this.parseArg());
        this.skipSpaces();
        const c = this.text[this.pos];
        if (c === ',') {
          this.pos++;
          continue;
        }
        if (c === ')') {
          this.pos++;
          break;
        }
        this.fail("',' or ')' is expected");
      }
    }
    const [min, max] = ARITY[name] as [number, number];
    if (args.length < min || args.length > max) {
      const expected = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
      this.fail(`${name} takes ${expected} argument(s), ${args.length} given`);
    }
    return { name, args, source: this.text.slice(start, this.pos) };
  }

  private parseArg(): Arg {
    this.skipSpaces();
    const c = this.text[this.pos];
    if (c === "'") return { k: 'literal', value: this.parseString() };
    if (c === '$') return { k: 'path', path: this.parsePath() };
    if (this.text.startsWith('States.', this.pos)) return { k: 'call', call: this.parseCall() };
    const m = /^(-?\d+(\.\d+)?([eE][-+]?\d+)?|true|false|null)(?=\s*[,)])/.exec(this.text.slice(this.pos));
    if (m) {
      this.pos += (m[1] as string).length;
      return { k: 'literal', value: JSON.parse(m[1] as string) as Json };
    }
    this.fail('An argument (string, number, boolean, null, path or function) is expected');
  }

  private parseString(): string {
    this.pos++; // opening quote
    let value = '';
    while (this.pos < this.text.length) {
      const c = this.text[this.pos] as string;
      if (c === '\\') {
        const next = this.text[this.pos + 1];
        if (next === undefined) this.fail('Unterminated escape');
        value += next === '{' ? ESC_OPEN : next === '}' ? ESC_CLOSE : next;
        this.pos += 2;
        continue;
      }
      if (c === "'") {
        this.pos++;
        return value;
      }
      value += c;
      this.pos++;
    }
    this.fail('Unterminated string literal');
  }

  private parsePath(): JsonPath {
    const start = this.pos;
    let depth = 0;
    let quote = '';
    while (this.pos < this.text.length) {
      const c = this.text[this.pos] as string;
      if (quote) {
        if (c === '\\') this.pos++;
        else if (c === quote) quote = '';
      } else if (c === "'" || c === '"') quote = c;
      else if (c === '[' || c === '(') depth++;
      else if (c === ']' || c === ')') {
        if (depth === 0) break;
        depth--;
      } else if (c === ',' && depth === 0) break;
      this.pos++;
    }
    const source = this.text.slice(start, this.pos).trim();
    try {
      return parseJsonPath(source);
    } catch (error) {
      this.fail((error as Error).message);
    }
  }
}

function restoreEscapes(text: string): string {
  return text.replaceAll(ESC_OPEN, '{').replaceAll(ESC_CLOSE, '}');
}

function fail(call: IntrinsicCall, reason: string): never {
  throw runtimeFailure(StatesErrors.Runtime, `${reason} (in ${call.name})`);
}

/** Java's String.valueOf-like text of a value, which States.Format interpolates. */
function formatValue(value: Json): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return `[${value.map(formatValue).join(', ')}]`;
  if (isJsonObject(value)) {
    return `{${Object.entries(value)
      .map(([k, v]) => `${k}=${formatValue(v)}`)
      .join(', ')}}`;
  }
  return toJsonText(value);
}

function asInteger(call: IntrinsicCall, value: Json, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(call, `Expected an integer for ${what}, but got '${toJsonText(value)}'`);
  return Math.round(value);
}

function asString(call: IntrinsicCall, value: Json, what: string): string {
  if (typeof value !== 'string') fail(call, `Expected a string for ${what}, but got '${toJsonText(value)}'`);
  return value;
}

function asArray(call: IntrinsicCall, value: Json, what: string): Json[] {
  if (!Array.isArray(value)) fail(call, `Expected an array for ${what}, but got '${toJsonText(value)}'`);
  return value;
}

const HASH_ALGORITHMS: Record<string, string> = {
  MD5: 'md5',
  'SHA-1': 'sha1',
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
};

// A small seeded generator so States.MathRandom with a seed is reproducible (mulberry32).
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Evaluates an intrinsic call; path arguments go through `resolve` (which raises States.Runtime when a path finds nothing). */
export function evaluateIntrinsic<S>(call: IntrinsicCall, resolve: PathResolver<S>, state: S): Json {
  const args = call.args;
  const values: Json[] = new Array<Json>(args.length);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as Arg;
    if (arg.k === 'path') values[i] = resolve(arg.path, state);
    else if (arg.k === 'call') values[i] = evaluateIntrinsic(arg.call, resolve, state);
    else {
      // Escaped braces matter only to the format string of States.Format.
      const keepEscapes = i === 0 && call.name === 'States.Format';
      values[i] = typeof arg.value === 'string' && !keepEscapes ? restoreEscapes(arg.value) : arg.value;
    }
  }
  const arg = (i: number): Json => values[i] as Json;
  switch (call.name) {
    case 'States.Format': {
      const template = asString(call, arg(0), 'the format string');
      const parts = template.split('{}');
      const given = values.length - 1;
      if (parts.length - 1 !== given) {
        fail(call, `The number of arguments (${given}) does not match the number of placeholders (${parts.length - 1})`);
      }
      let out = parts[0] as string;
      for (let i = 1; i < parts.length; i++) out += formatValue(arg(i)) + (parts[i] as string);
      return restoreEscapes(out);
    }
    case 'States.StringToJson': {
      const text = asString(call, arg(0), 'the JSON string').trim();
      if (text === '') return null;
      let parsed: Json;
      try {
        parsed = JSON.parse(text) as Json;
      } catch {
        fail(call, `The string '${text}' is not valid JSON`);
      }
      return parsed;
    }
    case 'States.JsonToString':
      return toJsonText(arg(0));
    case 'States.Array':
      return values;
    case 'States.ArrayPartition': {
      const array = asArray(call, arg(0), 'the array');
      const size = asInteger(call, arg(1), 'the chunk size');
      if (size <= 0) fail(call, `The chunk size must be greater than 0, but was ${size}`);
      const chunks: Json[] = [];
      for (let i = 0; i < array.length; i += size) chunks.push(array.slice(i, i + size));
      return chunks;
    }
    case 'States.ArrayContains': {
      const array = asArray(call, arg(0), 'the array');
      const needle = arg(1);
      return array.some((item) => jsonEquals(item, needle));
    }
    case 'States.ArrayRange': {
      const first = asInteger(call, arg(0), 'the first element');
      const last = asInteger(call, arg(1), 'the last element');
      const step = asInteger(call, arg(2), 'the step');
      if (step === 0) fail(call, 'The step must not be 0');
      const out: number[] = [];
      for (let v = first; step > 0 ? v <= last : v >= last; v += step) {
        out.push(v);
        if (out.length > 1000) fail(call, 'The array would have more than 1000 elements');
      }
      return out;
    }
    case 'States.ArrayGetItem': {
      const array = asArray(call, arg(0), 'the array');
      const index = asInteger(call, arg(1), 'the index');
      if (index < 0 || index >= array.length) fail(call, `The index ${index} is out of bounds of the array (length ${array.length})`);
      return array[index] as Json;
    }
    case 'States.ArrayLength':
      return asArray(call, arg(0), 'the array').length;
    case 'States.ArrayUnique': {
      const array = asArray(call, arg(0), 'the array');
      const out: Json[] = [];
      for (const item of array) if (!out.some((x) => jsonEquals(x, item))) out.push(item);
      return out;
    }
    case 'States.Base64Encode': {
      const text = asString(call, arg(0), 'the string to encode');
      if (text.length > 10_000) fail(call, 'The input string must not exceed 10000 characters');
      return Buffer.from(text, 'utf8').toString('base64');
    }
    case 'States.Base64Decode': {
      const text = asString(call, arg(0), 'the string to decode');
      if (text.length > 10_000) fail(call, 'The input string must not exceed 10000 characters');
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) fail(call, `'${text}' is not valid Base64`);
      return Buffer.from(text, 'base64').toString('utf8');
    }
    case 'States.Hash': {
      const data = arg(0);
      if (data === null) fail(call, 'The data to hash must not be null');
      const algorithm = asString(call, arg(1), 'the algorithm');
      const node = HASH_ALGORITHMS[algorithm];
      if (!node) fail(call, `The algorithm must be one of ${Object.keys(HASH_ALGORITHMS).join(', ')}, but was '${algorithm}'`);
      const text = typeof data === 'string' ? data : toJsonText(data);
      if (text.length > 10_000) fail(call, 'The data to hash must not exceed 10000 characters');
      return createHash(node).update(text, 'utf8').digest('hex');
    }
    case 'States.JsonMerge': {
      const left = arg(0);
      const right = arg(1);
      if (!isJsonObject(left) || !isJsonObject(right)) fail(call, 'Both values to merge must be JSON objects');
      if (arg(2) !== false) fail(call, 'Only shallow merging is supported: the third argument must be false');
      return { ...left, ...right } as JsonObject;
    }
    case 'States.MathRandom': {
      const start = asInteger(call, arg(0), 'the start');
      const end = asInteger(call, arg(1), 'the end');
      const random = values.length === 3 ? seededRandom(asInteger(call, arg(2), 'the seed')) : Math.random;
      return start + Math.floor(random() * (end - start + 1));
    }
    case 'States.MathAdd': {
      const a = arg(0);
      const b = arg(1);
      if (typeof a !== 'number' || typeof b !== 'number') fail(call, 'Both values to add must be numbers');
      return Math.round(a) + Math.round(b) + 0;
    }
    case 'States.StringSplit': {
      const text = asString(call, arg(0), 'the string to split');
      const delimiters = asString(call, arg(1), 'the delimiter');
      const out: string[] = [];
      let current = '';
      for (const ch of text) {
        if (delimiters.includes(ch)) {
          if (current !== '') out.push(current);
          current = '';
        } else current += ch;
      }
      if (current !== '') out.push(current);
      return out;
    }
    case 'States.UUID':
      return randomUUID();
    default:
      fail(call, 'Unknown intrinsic function');
  }
}
