/**
 * Stripe's request bodies are form-encoded with bracketed keys:
 * `metadata[order_id]=ord_1&payment_method_types[0]=card&expand[]=latest_charge`.
 * This reads them back into nested objects and arrays; values stay strings, as Stripe
 * receives them.
 */
export type FormValue = string | FormValue[] | { [key: string]: FormValue };
export type FormObject = { [key: string]: FormValue };

export class FormEncodingError extends Error {
  override name = 'FormEncodingError';
}

export function parseStripeForm(body: string): FormObject {
  const root: FormObject = {};
  if (body.trim() === '') return root;
  for (const [rawKey, value] of new URLSearchParams(body)) {
    const path = splitKey(rawKey);
    assign(root, path, value, rawKey);
  }
  return normalizeArrays(root) as FormObject;
}

function splitKey(key: string): string[] {
  const first = key.indexOf('[');
  if (first === -1) return [key];
  const path = [key.slice(0, first)];
  const rest = key.slice(first);
  const pattern = /\[([^\]]*)\]/g;
  let consumed = 0;
  for (const match of rest.matchAll(pattern)) {
    if (match.index !== consumed) throw new FormEncodingError(`Invalid parameter name: ${key}`);
    path.push(match[1] ?? '');
    consumed = match.index + match[0].length;
  }
  if (consumed !== rest.length) throw new FormEncodingError(`Invalid parameter name: ${key}`);
  return path;
}

// Arrays are built as objects with numeric keys (or "[]" appends) and turned into arrays at the end.
const APPEND = '\u0000append';

function assign(target: FormObject, path: string[], value: string, rawKey: string): void {
  let node: FormObject = target;
  for (let i = 0; i < path.length; i++) {
    let segment = path[i] as string;
    if (segment === '') segment = `${APPEND}${Object.keys(node).length}`;
    if (i === path.length - 1) {
      if (typeof node[segment] === 'object') throw new FormEncodingError(`Invalid parameter: ${rawKey}`);
      node[segment] = value;
      return;
    }
    const next = node[segment];
    if (next === undefined) {
      const child: FormObject = {};
      node[segment] = child;
      node = child;
    } else if (typeof next === 'object' && !Array.isArray(next)) {
      node = next;
    } else {
      throw new FormEncodingError(`Invalid parameter: ${rawKey}`);
    }
  }
}

function normalizeArrays(value: FormValue): FormValue {
  if (typeof value === 'string' || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  const isArray =
    keys.length > 0 && keys.every((k) => /^\d+$/.test(k) || k.startsWith(APPEND));
  if (isArray) {
    return keys
      .map((k) => ({ k, order: k.startsWith(APPEND) ? Number(k.slice(APPEND.length)) : Number(k) }))
      .sort((a, b) => a.order - b.order)
      .map(({ k }) => normalizeArrays(value[k] as FormValue));
  }
  const out: FormObject = {};
  for (const key of keys) out[key] = normalizeArrays(value[key] as FormValue);
  return out;
}

/** A stable text form of parsed parameters, to compare two requests for idempotency. */
export function canonicalParams(value: FormValue): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalParams).join(',')}]`;
  return `{${Object.keys(value)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalParams(value[k] as FormValue)}`)
    .join(',')}}`;
}
