/**
 * EventBridge event patterns as plain data, and a matcher implementing EventBridge's
 * content filtering, so the CDK rules and the local bus apply one definition.
 *
 * Supported: exact values (string, number, boolean, null), nested objects, array fields
 * (a match on any element), `prefix`, `suffix`, `equals-ignore-case`, `wildcard`,
 * `anything-but` (values, `prefix`, `suffix`, `equals-ignore-case`, `wildcard`),
 * `numeric`, `exists` and `$or`. `cidr` is rejected as unsupported.
 */

export type PatternScalar = string | number | boolean | null;
export type PatternMatcher = PatternScalar | Readonly<Record<string, unknown>>;
export interface EventPattern {
  readonly [key: string]: readonly PatternMatcher[] | EventPattern | readonly EventPattern[];
}

export class InvalidEventPatternError extends Error {
  override name = 'InvalidEventPatternError';
}

type Json = unknown;

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** True when `event` (an EventBridge envelope or any JSON object) matches `pattern`. */
export function matchesEventPattern(pattern: EventPattern, event: Json): boolean {
  return matchObject(pattern as Record<string, unknown>, event, '');
}

/** Throws InvalidEventPatternError naming the first unsupported or malformed part. */
export function assertValidEventPattern(pattern: unknown, path = ''): asserts pattern is EventPattern {
  if (!isPlainObject(pattern)) throw new InvalidEventPatternError(`${path || 'pattern'}: must be an object`);
  for (const [key, value] of Object.entries(pattern)) {
    const at = path ? `${path}.${key}` : key;
    if (key === '$or') {
      if (!Array.isArray(value) || value.length < 2) {
        throw new InvalidEventPatternError(`${at}: $or needs an array of at least two patterns`);
      }
      value.forEach((sub, i) => assertValidEventPattern(sub, `${at}[${i}]`));
    } else if (Array.isArray(value)) {
      if (value.length === 0) throw new InvalidEventPatternError(`${at}: an empty array matches nothing`);
      value.forEach((m: unknown, i) => assertValidMatcher(m, `${at}[${i}]`));
    } else if (isPlainObject(value)) {
      assertValidEventPattern(value, at);
    } else {
      throw new InvalidEventPatternError(`${at}: a leaf must be an array of match values`);
    }
  }
}

function assertValidMatcher(matcher: unknown, at: string): void {
  if (matcher === null || ['string', 'number', 'boolean'].includes(typeof matcher)) return;
  if (!isPlainObject(matcher)) throw new InvalidEventPatternError(`${at}: not a match value`);
  const ops = Object.keys(matcher);
  const op = ops[0];
  if (ops.length !== 1 || op === undefined) throw new InvalidEventPatternError(`${at}: one operator per matcher`);
  const arg = matcher[op];
  switch (op) {
    case 'prefix':
    case 'suffix':
      if (typeof arg === 'string' || (isPlainObject(arg) && typeof arg['equals-ignore-case'] === 'string')) return;
      break;
    case 'equals-ignore-case':
    case 'wildcard':
      if (typeof arg === 'string') return;
      break;
    case 'exists':
      if (typeof arg === 'boolean') return;
      break;
    case 'numeric':
      if (Array.isArray(arg) && arg.length > 0 && arg.length % 2 === 0) {
        for (let i = 0; i < arg.length; i += 2) {
          if (!NUMERIC_OPS.has(arg[i] as string) || typeof arg[i + 1] !== 'number') {
            throw new InvalidEventPatternError(`${at}: numeric needs [operator, number, ...] pairs`);
          }
        }
        return;
      }
      break;
    case 'anything-but':
      if (arg === null || ['string', 'number', 'boolean'].includes(typeof arg)) return;
      if (Array.isArray(arg) && arg.every((v) => v === null || ['string', 'number', 'boolean'].includes(typeof v))) return;
      if (isPlainObject(arg)) {
        const [inner] = Object.keys(arg);
        if (inner && ['prefix', 'suffix', 'wildcard', 'equals-ignore-case'].includes(inner)) return;
      }
      break;
    case 'cidr':
      throw new InvalidEventPatternError(`${at}: cidr matching is not supported`);
    default:
      throw new InvalidEventPatternError(`${at}: unknown operator ${op}`);
  }
  throw new InvalidEventPatternError(`${at}: malformed ${op} matcher`);
}

const NUMERIC_OPS = new Set(['=', '<', '<=', '>', '>=']);

function matchObject(pattern: Record<string, unknown>, value: Json, path: string): boolean {
  const object = isPlainObject(value) ? value : {};
  for (const [key, sub] of Object.entries(pattern)) {
    if (key === '$or') {
      if (!(sub as Record<string, unknown>[]).some((alternative) => matchObject(alternative, value, path))) return false;
      continue;
    }
    const field = object[key];
    if (Array.isArray(sub)) {
      if (!matchLeaf(sub as PatternMatcher[], field)) return false;
    } else if (isPlainObject(sub)) {
      const ok = Array.isArray(field)
        ? field.some((element) => matchObject(sub, element, `${path}.${key}`))
        : matchObject(sub, field, `${path}.${key}`);
      if (!ok) return false;
    }
  }
  return true;
}

function matchLeaf(matchers: readonly PatternMatcher[], field: Json): boolean {
  const present = field !== undefined && !(Array.isArray(field) && field.length === 0);
  const values: Json[] = Array.isArray(field) ? field : [field];
  for (const matcher of matchers) {
    if (isPlainObject(matcher)) {
      if ('exists' in matcher) {
        if (matcher['exists'] === present) return true;
        continue;
      }
      if (!present) continue;
      if (values.some((v) => matchOperator(matcher, v))) return true;
    } else if (present && values.some((v) => v === matcher)) {
      return true;
    }
  }
  return false;
}

function matchOperator(matcher: Readonly<Record<string, unknown>>, value: Json): boolean {
  const [op] = Object.keys(matcher);
  const arg = op === undefined ? undefined : matcher[op];
  switch (op) {
    case 'prefix':
      return typeof value === 'string' && affix(arg, value, (v, a) => v.startsWith(a));
    case 'suffix':
      return typeof value === 'string' && affix(arg, value, (v, a) => v.endsWith(a));
    case 'equals-ignore-case':
      return typeof value === 'string' && typeof arg === 'string' && value.toLowerCase() === arg.toLowerCase();
    case 'wildcard':
      return typeof value === 'string' && typeof arg === 'string' && wildcardRegExp(arg).test(value);
    case 'numeric':
      return typeof value === 'number' && numeric(arg as unknown[], value);
    case 'anything-but':
      return anythingBut(arg, value);
    default:
      return false;
  }
}

function affix(arg: unknown, value: string, test: (v: string, a: string) => boolean): boolean {
  if (typeof arg === 'string') return test(value, arg);
  if (isPlainObject(arg) && typeof arg['equals-ignore-case'] === 'string') {
    return test(value.toLowerCase(), arg['equals-ignore-case'].toLowerCase());
  }
  return false;
}

function numeric(conditions: unknown[], value: number): boolean {
  for (let i = 0; i < conditions.length; i += 2) {
    const bound = conditions[i + 1] as number;
    switch (conditions[i]) {
      case '=':
        if (!(value === bound)) return false;
        break;
      case '<':
        if (!(value < bound)) return false;
        break;
      case '<=':
        if (!(value <= bound)) return false;
        break;
      case '>':
        if (!(value > bound)) return false;
        break;
      case '>=':
        if (!(value >= bound)) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

function anythingBut(arg: unknown, value: Json): boolean {
  if (Array.isArray(arg)) return !arg.some((excluded) => excluded === value);
  if (isPlainObject(arg)) {
    if (typeof value !== 'string') return true;
    return !matchOperator(arg, value);
  }
  return arg !== value;
}

const wildcardCache = new Map<string, RegExp>();

function wildcardRegExp(glob: string): RegExp {
  let re = wildcardCache.get(glob);
  if (!re) {
    let source = '';
    for (let i = 0; i < glob.length; i++) {
      const ch = glob[i] as string;
      if (ch === '\\' && i + 1 < glob.length) {
        source += escapeRegExp(glob[++i] as string);
      } else if (ch === '*') {
        source += '.*';
      } else {
        source += escapeRegExp(ch);
      }
    }
    re = new RegExp(`^${source}$`, 's');
    wildcardCache.set(glob, re);
  }
  return re;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
