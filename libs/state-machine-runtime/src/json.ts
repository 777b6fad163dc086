/** A JSON value, as states exchange them. Values are treated as immutable by the runtime. */
export type Json = null | boolean | number | string | Json[] | JsonObject;
export interface JsonObject {
  [key: string]: Json;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The JSON type name Step Functions uses in its messages. */
export function jsonTypeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/**
 * Compact JSON text, as Step Functions writes payloads into history and causes.
 * Non-finite numbers have no JSON literal; they become null like JSON.stringify does.
 */
export function toJsonText(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? 'null' : text;
}

/**
 * A deep copy that is plain JSON: drops undefined and functions, turns dates into strings,
 * exactly as a value crossing a service boundary (Lambda, EventBridge) is serialized.
 */
export function toPlainJson(value: unknown): Json {
  const copy = cloneJson(value, 0);
  return copy === undefined ? null : copy;
}

// JSON.stringify + JSON.parse, without the text: same results (toJSON, dropped undefined and
// functions, null for non-finite numbers and holes), several times faster on typical payloads.
function cloneJson(value: unknown, depth: number): Json | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'object': {
      if (value === null) return null;
      if (depth > 500) {
        // Deep or cyclic: let JSON report it exactly as it would.
        return JSON.parse(JSON.stringify(value) ?? 'null') as Json;
      }
      const toJSON = (value as { toJSON?: unknown }).toJSON;
      if (typeof toJSON === 'function') return cloneJson((toJSON as () => unknown).call(value), depth + 1);
      if (Array.isArray(value)) {
        const out: Json[] = new Array<Json>(value.length);
        for (let i = 0; i < value.length; i++) {
          const item = cloneJson(value[i], depth + 1);
          out[i] = item === undefined ? null : item;
        }
        return out;
      }
      if (value instanceof Number || value instanceof String || value instanceof Boolean) {
        return cloneJson(value.valueOf(), depth + 1);
      }
      const out: JsonObject = {};
      for (const key of Object.keys(value)) {
        const item = cloneJson((value as Record<string, unknown>)[key], depth + 1);
        if (item !== undefined) out[key] = item;
      }
      return out;
    }
    case 'bigint':
      throw new TypeError('Do not know how to serialize a BigInt');
    default:
      return undefined;
  }
}

/** Deep equality of two JSON values (key order ignored). */
export function jsonEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEquals(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const keys = Object.keys(ao);
  if (keys.length !== Object.keys(bo).length) return false;
  for (const key of keys) {
    if (!Object.prototype.hasOwnProperty.call(bo, key) || !jsonEquals(ao[key], bo[key])) return false;
  }
  return true;
}

/** Size in bytes of a value's JSON text (UTF-8), as service quotas count it. */
export function jsonSize(value: Json): number {
  return Buffer.byteLength(toJsonText(value), 'utf8');
}
