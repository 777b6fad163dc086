/**
 * A synchronous evaluator for the simple JSONata shapes state machines use most (literals,
 * `$states.input.a.b`, `$var.x`, arithmetic, comparisons, and/or, conditionals, object and
 * array constructors). The `jsonata` package evaluates every node through promises, which
 * costs microseconds per expression; this path returns the same value without them.
 *
 * It is exact by construction: any node it does not model is rejected at compile time, and
 * any value it does not model (an array met mid-path, a non-number operand, an error case)
 * makes it return BAIL at run time, so the caller evaluates the expression with `jsonata`.
 */

/** Returned when the fast path cannot decide: evaluate with the full `jsonata` engine. */
export const BAIL: unique symbol = Symbol('bail');

/** Variables visible to an expression (`$states` and workflow variables). */
export type Bindings = Record<string, unknown>;

export type FastEvaluator = (bindings: Bindings) => unknown;

interface AstNode {
  type: string;
  value?: unknown;
  steps?: AstNode[];
  lhs?: AstNode | [AstNode, AstNode][];
  rhs?: AstNode;
  expression?: AstNode;
  expressions?: AstNode[];
  condition?: AstNode;
  then?: AstNode;
  else?: AstNode;
  [key: string]: unknown;
}

// Step/node decorations that change path semantics; a node carrying any of them is not modelled.
const DECORATIONS = ['stages', 'predicate', 'group', 'focus', 'index', 'tuple', 'keepArray', 'keepSingletonArray', 'consarray'];

function plain(node: AstNode, allowed: string[] = []): boolean {
  return DECORATIONS.every((d) => allowed.includes(d) || !(d in node));
}

// Property names whose lookup would reach Object.prototype (jsonata reads them as functions).
const PROTOTYPE_NAMES = new Set(Object.getOwnPropertyNames(Object.prototype));

/** jsonata's $boolean: the effective boolean value. */
function toBoolean(value: unknown): boolean | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) {
    if (value.length === 1) return toBoolean(value[0]);
    return value.length > 1 && value.some((v) => toBoolean(v) === true);
  }
  if (typeof value === 'string') return value.length > 0;
  if (typeof value === 'number') return value !== 0 && !Number.isNaN(value);
  if (typeof value === 'boolean') return value;
  if (value !== null && typeof value === 'object') return Object.keys(value).length > 0;
  return false;
}

function isPrimitive(value: unknown): boolean {
  return value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/** Compiles an AST into a synchronous evaluator, or returns undefined when any node is outside the model. */
export function compileFastPath(ast: unknown): FastEvaluator | undefined {
  try {
    return compileNode(ast as AstNode);
  } catch (error) {
    if (error === UNSUPPORTED) return undefined;
    throw error;
  }
}

const UNSUPPORTED = Symbol('unsupported');

function compileNode(node: AstNode): FastEvaluator {
  switch (node.type) {
    case 'string':
    case 'number':
    case 'value': {
      if (!plain(node)) throw UNSUPPORTED;
      const value = node.value;
      return () => value;
    }
    case 'variable': {
      if (!plain(node)) throw UNSUPPORTED;
      const name = node.value as string;
      if (name === '' || name === '$') throw UNSUPPORTED;
      return (b) => {
        const v = b[name];
        // An unbound name may be a built-in function in jsonata: let it decide.
        return v === undefined || typeof v === 'function' ? BAIL : v;
      };
    }
    case 'path':
      return compilePath(node);
    case 'binary':
      return compileBinary(node);
    case 'unary':
      return compileUnary(node);
    case 'condition': {
      if (!plain(node)) throw UNSUPPORTED;
      const cond = compileNode(node.condition as AstNode);
      const then = compileNode(node.then as AstNode);
      const otherwise = node.else ? compileNode(node.else) : undefined;
      return (b) => {
        const c = cond(b);
        if (c === BAIL) return BAIL;
        if (toBoolean(c)) return then(b);
        return otherwise ? otherwise(b) : undefined;
      };
    }
    default:
      throw UNSUPPORTED;
  }
}

function compilePath(node: AstNode): FastEvaluator {
  if (!plain(node)) throw UNSUPPORTED;
  const steps = node.steps ?? [];
  const first = steps[0];
  if (!first || first.type !== 'variable' || steps.length < 2) throw UNSUPPORTED;
  const head = compileNode(first);
  const names: string[] = [];
  for (const step of steps.slice(1)) {
    if (step.type !== 'name' || !plain(step)) throw UNSUPPORTED;
    const name = step.value as string;
    if (PROTOTYPE_NAMES.has(name)) throw UNSUPPORTED;
    names.push(name);
  }
  const count = names.length;
  return (b) => {
    let current = head(b);
    if (current === BAIL) return BAIL;
    for (let i = 0; i < count; i++) {
      // Mapping over an array flattens sequences: leave that to jsonata.
      if (Array.isArray(current)) return BAIL;
      if (current === null || typeof current !== 'object') return undefined;
      current = (current as Record<string, unknown>)[names[i] as string];
      if (current === undefined) return undefined;
    }
    return current;
  };
}

function compileBinary(node: AstNode): FastEvaluator {
  if (!plain(node)) throw UNSUPPORTED;
  const op = node.value as string;
  const lhs = compileNode(node.lhs as AstNode);
  const rhs = compileNode(node.rhs as AstNode);
  switch (op) {
    case '+':
    case '-':
    case '*':
    case '/':
    case '%':
      return (b) => {
        const l = lhs(b);
        if (l === BAIL) return BAIL;
        const r = rhs(b);
        if (r === BAIL) return BAIL;
        const lOk = typeof l === 'number' && Number.isFinite(l);
        const rOk = typeof r === 'number' && Number.isFinite(r);
        if ((!lOk && l !== undefined) || (!rOk && r !== undefined)) return BAIL;
        if (l === undefined || r === undefined) return undefined;
        const a = l as number;
        const c = r as number;
        const result = op === '+' ? a + c : op === '-' ? a - c : op === '*' ? a * c : op === '/' ? a / c : a % c;
        return Number.isFinite(result) ? result : BAIL;
      };
    case '=':
    case '!=':
      return (b) => {
        const l = lhs(b);
        if (l === BAIL) return BAIL;
        const r = rhs(b);
        if (r === BAIL) return BAIL;
        if (l === undefined || r === undefined) return false;
        if (!isPrimitive(l) || !isPrimitive(r)) return BAIL;
        return op === '=' ? l === r : l !== r;
      };
    case '<':
    case '<=':
    case '>':
    case '>=':
      return (b) => {
        const l = lhs(b);
        if (l === BAIL) return BAIL;
        const r = rhs(b);
        if (r === BAIL) return BAIL;
        const lt = typeof l;
        const rt = typeof r;
        if ((lt !== 'undefined' && lt !== 'string' && lt !== 'number') || (rt !== 'undefined' && rt !== 'string' && rt !== 'number')) {
          return BAIL;
        }
        if (l === undefined || r === undefined) return undefined;
        if (lt !== rt) return BAIL;
        if (lt === 'number' && (!Number.isFinite(l) || !Number.isFinite(r))) return BAIL;
        const a = l as number | string;
        const c = r as number | string;
        return op === '<' ? a < c : op === '<=' ? a <= c : op === '>' ? a > c : a >= c;
      };
    case 'and':
    case 'or':
      return (b) => {
        const l = lhs(b);
        if (l === BAIL) return BAIL;
        const lb = toBoolean(l) ?? false;
        if (op === 'and' ? !lb : lb) return lb;
        const r = rhs(b);
        if (r === BAIL) return BAIL;
        return toBoolean(r) ?? false;
      };
    case '&':
      return (b) => {
        const l = lhs(b);
        if (l === BAIL) return BAIL;
        const r = rhs(b);
        if (r === BAIL) return BAIL;
        if ((l !== undefined && typeof l !== 'string') || (r !== undefined && typeof r !== 'string')) return BAIL;
        return (l ?? '') + (r ?? '');
      };
    default:
      throw UNSUPPORTED;
  }
}

function compileUnary(node: AstNode): FastEvaluator {
  const kind = node.value as string;
  if (kind === '-') {
    if (!plain(node)) throw UNSUPPORTED;
    const inner = compileNode(node.expression as AstNode);
    return (b) => {
      const v = inner(b);
      if (v === BAIL) return BAIL;
      if (v === undefined) return undefined;
      return typeof v === 'number' && Number.isFinite(v) ? -v : BAIL;
    };
  }
  if (kind === '[') {
    if (!plain(node, ['consarray'])) throw UNSUPPORTED;
    const items = (node.expressions ?? []).map((item) => ({ nested: item.value === '[' && item.type === 'unary', evalItem: compileNode(item) }));
    return (b) => {
      const out: unknown[] = [];
      for (const { nested, evalItem } of items) {
        const v = evalItem(b);
        if (v === BAIL) return BAIL;
        if (v === undefined) continue;
        if (nested || !Array.isArray(v)) out.push(v);
        else for (const x of v) out.push(x);
      }
      return out;
    };
  }
  if (kind === '{') {
    if (!plain(node)) throw UNSUPPORTED;
    const pairs = node.lhs as [AstNode, AstNode][];
    const seen = new Set<string>();
    const entries = pairs.map(([keyNode, valueNode]) => {
      if (keyNode.type !== 'string' || !plain(keyNode)) throw UNSUPPORTED;
      const key = keyNode.value as string;
      if (seen.has(key)) throw UNSUPPORTED;
      seen.add(key);
      return { key, evalValue: compileNode(valueNode) };
    });
    return (b) => {
      const out: Record<string, unknown> = {};
      for (const { key, evalValue } of entries) {
        const v = evalValue(b);
        if (v === BAIL) return BAIL;
        if (v !== undefined) out[key] = v;
      }
      return out;
    };
  }
  throw UNSUPPORTED;
}
