/**
 * Choice rules of JSONPath states: And/Or/Not and every comparison operator, with AWS's rule that
 * a value of the wrong type makes a comparison false (only a missing Variable is an error).
 */
import { runtimeFailure, StatesErrors } from './errors';
import { isJsonObject, type Json } from './json';
import { parseJsonPath, type JsonPath } from './jsonpath';
import { pathExists, PathLookupError, resolvePath, type ValueScope } from './jsonpath-scope';

export type ChoicePredicate = (scope: ValueScope) => boolean;

export const COMPARISON_OPERATORS = [
  'StringEquals',
  'StringLessThan',
  'StringGreaterThan',
  'StringLessThanEquals',
  'StringGreaterThanEquals',
  'StringMatches',
  'NumericEquals',
  'NumericLessThan',
  'NumericGreaterThan',
  'NumericLessThanEquals',
  'NumericGreaterThanEquals',
  'BooleanEquals',
  'TimestampEquals',
  'TimestampLessThan',
  'TimestampGreaterThan',
  'TimestampLessThanEquals',
  'TimestampGreaterThanEquals',
] as const;

export const TYPE_TESTS = ['IsNull', 'IsPresent', 'IsNumeric', 'IsString', 'IsBoolean', 'IsTimestamp'] as const;

const ALL_OPERATORS = new Set<string>([...COMPARISON_OPERATORS, ...COMPARISON_OPERATORS.map((o) => `${o}Path`), ...TYPE_TESTS]);

/** A problem in a rule, reported by the compiler with the rule's location. */
export class ChoiceRuleError extends Error {
  override name = 'ChoiceRuleError';
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Parses an ISO-8601 extended offset date-time (as Java's ISO_OFFSET_DATE_TIME accepts it) into
 * epoch nanoseconds; undefined when the text is not one (wrong shape or impossible date/time).
 */
export function parseTimestamp(text: string): bigint | undefined {
  const m = TIMESTAMP.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number) as [number, number, number, number, number];
  const second = m[6] === undefined ? 0 : Number(m[6]);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return undefined;
  const zone = m[8] as string;
  let offsetMinutes = 0;
  if (zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const oh = Number(zone.slice(1, 3));
    const om = Number(zone.slice(4, 6));
    if (oh > 18 || om > 59) return undefined;
    offsetMinutes = sign * (oh * 60 + om);
  }
  const ms = Date.UTC(year, month - 1, day, hour, minute, second) - offsetMinutes * 60_000;
  const nanos = BigInt((m[7] ?? '').padEnd(9, '0') || '0');
  return BigInt(ms) * 1_000_000n + nanos;
}

function compare<T>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function holds(op: string, c: number): boolean {
  return comparator(op)(c);
}

/** The test of a comparison result (-1, 0, 1) an operator applies, decided once per rule. */
function comparator(op: string): (c: number) => boolean {
  if (op.endsWith('LessThanEquals')) return (c) => c <= 0;
  if (op.endsWith('GreaterThanEquals')) return (c) => c >= 0;
  if (op.endsWith('LessThan')) return (c) => c < 0;
  if (op.endsWith('GreaterThan')) return (c) => c > 0;
  return (c) => c === 0;
}

/** StringMatches: `*` matches any run of characters; `\*` and `\\` are literal. */
function wildcardRegex(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch === '\\' && i + 1 < pattern.length) {
      const next = pattern[++i] as string;
      source += next.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    } else if (ch === '*') source += '[\\s\\S]*';
    else source += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

function compareValues(op: string, a: Json, b: Json, matcher?: RegExp): boolean {
  if (op.startsWith('String')) {
    if (typeof a !== 'string') return false;
    if (op === 'StringMatches') return (matcher ?? (typeof b === 'string' ? wildcardRegex(b) : undefined))?.test(a) ?? false;
    if (typeof b !== 'string') return false;
    return holds(op, compare(a, b));
  }
  if (op.startsWith('Numeric')) {
    if (typeof a !== 'number' || typeof b !== 'number') return false;
    return holds(op, compare(a, b));
  }
  if (op === 'BooleanEquals') return typeof a === 'boolean' && a === b;
  // Timestamp*
  if (typeof a !== 'string' || typeof b !== 'string') return false;
  const ta = parseTimestamp(a);
  const tb = parseTimestamp(b);
  if (ta === undefined || tb === undefined) return false;
  return holds(op, compare(ta, tb));
}

function invalidPath(path: JsonPath): never {
  throw runtimeFailure(
    StatesErrors.Runtime,
    `Invalid path '${path.source}': The choice state's condition path references an invalid value.`,
  );
}

function read(path: JsonPath, scope: ValueScope): Json {
  try {
    return resolvePath(path, scope);
  } catch (error) {
    if (error instanceof PathLookupError) invalidPath(path);
    throw error;
  }
}

function compilePath(value: unknown, field: string): JsonPath {
  if (typeof value !== 'string' || !value.startsWith('$')) throw new ChoiceRuleError(`The value of '${field}' must be a JSONPath`, field);
  try {
    return parseJsonPath(value);
  } catch (error) {
    throw new ChoiceRuleError((error as Error).message, field);
  }
}

/** Compiles a JSONPath choice rule (or a nested condition) into a predicate. */
export function compileChoiceRule(rule: Record<string, unknown>, field: string): ChoicePredicate {
  if ('And' in rule || 'Or' in rule) {
    const key = 'And' in rule ? 'And' : 'Or';
    const list = rule[key];
    if (!Array.isArray(list) || list.length === 0) throw new ChoiceRuleError(`'${key}' must be a non-empty array of rules`, `${field}/${key}`);
    const parts = list.map((r, i) => {
      if (!isJsonObject(r)) throw new ChoiceRuleError('A rule must be an object', `${field}/${key}[${i}]`);
      return compileChoiceRule(r, `${field}/${key}[${i}]`);
    });
    const count = parts.length;
    if (key === 'And') {
      return (s) => {
        for (let i = 0; i < count; i++) if (!(parts[i] as ChoicePredicate)(s)) return false;
        return true;
      };
    }
    return (s) => {
      for (let i = 0; i < count; i++) if ((parts[i] as ChoicePredicate)(s)) return true;
      return false;
    };
  }
  if ('Not' in rule) {
    const inner = rule['Not'];
    if (!isJsonObject(inner)) throw new ChoiceRuleError("'Not' must be a rule object", `${field}/Not`);
    const p = compileChoiceRule(inner, `${field}/Not`);
    return (s) => !p(s);
  }
  if (!('Variable' in rule)) throw new ChoiceRuleError("A rule needs 'Variable' (or And/Or/Not)", field);
  const variable = compilePath(rule['Variable'], `${field}/Variable`);
  const ops = Object.keys(rule).filter((k) => ALL_OPERATORS.has(k));
  if (ops.length !== 1) {
    throw new ChoiceRuleError(
      ops.length === 0 ? 'A rule needs exactly one comparison operator' : `A rule has several comparison operators: ${ops.join(', ')}`,
      field,
    );
  }
  const op = ops[0] as string;
  const operand = rule[op];

  if ((TYPE_TESTS as readonly string[]).includes(op)) {
    if (typeof operand !== 'boolean') throw new ChoiceRuleError(`'${op}' must be true or false`, `${field}/${op}`);
    if (op === 'IsPresent') return (s) => pathExists(variable, s) === operand;
    return (s) => {
      const v = read(variable, s);
      let is: boolean;
      switch (op) {
        case 'IsNull':
          is = v === null;
          break;
        case 'IsNumeric':
          is = typeof v === 'number';
          break;
        case 'IsString':
          is = typeof v === 'string';
          break;
        case 'IsBoolean':
          is = typeof v === 'boolean';
          break;
        default:
          is = typeof v === 'string' && parseTimestamp(v) !== undefined;
      }
      return is === operand;
    };
  }

  if (op.endsWith('Path')) {
    const base = op.slice(0, -4);
    const other = compilePath(operand, `${field}/${op}`);
    return (s) => compareValues(base, read(variable, s), read(other, s));
  }

  // Literal operands must have the operator's type.
  const expected = op.startsWith('String') ? 'string' : op.startsWith('Numeric') ? 'number' : op === 'BooleanEquals' ? 'boolean' : 'string';
  if (typeof operand !== expected) throw new ChoiceRuleError(`'${op}' must be a ${expected}`, `${field}/${op}`);
  if (op.startsWith('Timestamp') && parseTimestamp(operand as string) === undefined) {
    throw new ChoiceRuleError(`'${op}' must be an ISO-8601 timestamp`, `${field}/${op}`);
  }
  const value = operand as Json;
  // Literal operands: the type checks and the comparison are chosen once, here.
  if (op === 'StringMatches') {
    const matcher = wildcardRegex(operand as string);
    return (s) => {
      const a = read(variable, s);
      return typeof a === 'string' && matcher.test(a);
    };
  }
  if (op.startsWith('Numeric') || (op.startsWith('String') && op !== 'StringMatches')) {
    const type = op.startsWith('Numeric') ? 'number' : 'string';
    const test = comparator(op);
    const b = operand as number | string;
    return (s) => {
      const a = read(variable, s);
      return typeof a === type && test((a as number | string) < b ? -1 : (a as number | string) > b ? 1 : 0);
    };
  }
  if (op === 'BooleanEquals') {
    return (s) => read(variable, s) === value;
  }
  return (s) => compareValues(op, read(variable, s), value);
}
