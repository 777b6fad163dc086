import { ValidationError } from './errors';
import type { z } from 'zod';

/**
 * `nextToken` is opaque to clients: base64url of the DynamoDB key the next page starts
 * after. A token that does not decode to a key of this list is a ValidationError (400),
 * never a DynamoDB error (500).
 */
export function encodePageToken(key: Record<string, string>): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

export function decodePageToken<T>(token: string, keySchema: z.ZodType<T>): T {
  const invalid = () =>
    new ValidationError('The nextToken is not valid.', [
      { path: 'nextToken', message: 'must be a nextToken returned by the previous page of this list' },
    ]);
  if (!/^[A-Za-z0-9_-]{1,2048}$/.test(token)) throw invalid();
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const parsed = keySchema.safeParse(decoded);
  if (!parsed.success) throw invalid();
  return parsed.data;
}
