import type { FormObject, FormValue } from './form-encoding';
import { docUrl, invalidRequest } from './stripe-errors';

/** Parameter checks as Stripe's API makes them: unknown parameters and wrong types are 400s naming the parameter. */

export function checkKnown(params: FormObject, allowed: ReadonlySet<string>): void {
  for (const key of Object.keys(params)) {
    if (!allowed.has(key)) {
      throw invalidRequest(`Received unknown parameter: ${key}`, { code: 'parameter_unknown', param: key, doc_url: docUrl('parameter_unknown') });
    }
  }
}

export function stringParam(params: FormObject, name: string): string | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalidRequest(`Invalid string: ${name}`, { code: 'parameter_invalid_string', param: name });
  return value;
}

export function integerParam(params: FormObject, name: string): number | undefined {
  const value = stringParam(params, name);
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value)) {
    throw invalidRequest(`Invalid integer: ${value}`, { code: 'parameter_invalid_integer', param: name, doc_url: docUrl('parameter_invalid_integer') });
  }
  return Number(value);
}

export function booleanParam(params: FormObject, name: string): boolean | undefined {
  const value = stringParam(params, name);
  if (value === undefined) return undefined;
  if (value !== 'true' && value !== 'false') throw invalidRequest(`Invalid boolean: ${value}`, { param: name });
  return value === 'true';
}

export function enumParam(params: FormObject, name: string, allowed: readonly string[]): string | undefined {
  const value = stringParam(params, name);
  if (value !== undefined && !allowed.includes(value)) {
    throw invalidRequest(`Invalid ${name}: must be one of ${allowed.join(', ')}`, { code: 'parameter_invalid_string', param: name });
  }
  return value;
}

export function metadataParam(params: FormObject): Record<string, string> | undefined {
  const value: FormValue | undefined = params.metadata;
  if (value === undefined || value === '') return value === '' ? {} : undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw invalidRequest('Invalid hash', { param: 'metadata' });
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw invalidRequest('Invalid metadata value', { param: `metadata[${key}]` });
    if (key.length > 40) throw invalidRequest('Metadata keys can have up to 40 characters', { param: `metadata[${key}]` });
    if (v.length > 500) throw invalidRequest('Metadata values can have up to 500 characters', { param: `metadata[${key}]` });
    out[key] = v;
  }
  if (Object.keys(out).length > 50) throw invalidRequest('Metadata can have up to 50 keys', { param: 'metadata' });
  return out;
}
