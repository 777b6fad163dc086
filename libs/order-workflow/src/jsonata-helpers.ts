/**
 * Wraps a JSONata expression as an ASL JSONata template string, on one line (the
 * expressions here hold no string literal spanning lines, so folding is safe).
 */
export const jsonata = (expression: string): string => `{% ${expression.replace(/\s*\n\s*/g, ' ').trim()} %}`;

/** A JSONata string literal. */
export const str = (text: string): string => JSON.stringify(text);

const SENTINEL = '\u0001';

/**
 * Turns a key-format function of contracts (e.g. `keys.idempotency`) into the JSONata
 * expression computing the same string from workflow variables, so the ASL and the
 * TypeScript code share one key format.
 *
 * `jsonataKey(keys.idempotency, ['$customerId', '$idempotencyKey'], 'PK')`
 *   -> `"IDEMPOTENCY#" & $customerId & "#" & $idempotencyKey`
 */
export function jsonataKey<A extends string[]>(
  format: (...args: A) => Record<string, string>,
  expressions: { [K in keyof A]: string },
  attribute: string,
): string {
  const markers = expressions.map((_, i) => `${SENTINEL}${i}${SENTINEL}`) as unknown as A;
  const template = format(...markers)[attribute];
  if (template === undefined) throw new Error(`key format has no attribute ${attribute}`);
  const parts = template.split(SENTINEL);
  const pieces: string[] = [];
  parts.forEach((part, i) => {
    if (i % 2 === 0) {
      if (part !== '') pieces.push(str(part));
    } else {
      const expression = expressions[Number(part)];
      if (expression === undefined) throw new Error(`no expression for argument ${part}`);
      pieces.push(expression);
    }
  });
  return pieces.length === 0 ? '""' : pieces.join(' & ');
}

/** The constant value of a key attribute (e.g. `SK: 'IDEMPOTENCY'`), checked to be constant. */
export function constantKey<A extends string[]>(
  format: (...args: A) => Record<string, string>,
  arity: A['length'],
  attribute: string,
): string {
  const a = format(...(Array.from({ length: arity }, () => 'a') as A))[attribute];
  const b = format(...(Array.from({ length: arity }, () => 'b') as A))[attribute];
  if (a === undefined || a !== b) throw new Error(`key attribute ${attribute} is not constant`);
  return a;
}

/**
 * Like `jsonataKey` for a format returning a plain string (e.g. `orderEventId`):
 * `jsonataTemplate((id) => orderEventId(id, 'OrderPlaced'), ['$orderId'])` -> `$orderId & "#OrderPlaced"`.
 */
export function jsonataTemplate<A extends string[]>(format: (...args: A) => string, expressions: { [K in keyof A]: string }): string {
  return jsonataKey((...args: A) => ({ value: format(...args) }), expressions, 'value');
}
