import { ValidationError } from './errors';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { decodePageToken, encodePageToken } from './page-token';

const KeySchema = z.strictObject({ PK: z.string(), SK: z.literal('PRODUCT') });

describe('page tokens', () => {
  it('round-trips a key as URL-safe text', () => {
    const token = encodePageToken({ PK: 'PRODUCT#a/b+c', SK: 'PRODUCT' });
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodePageToken(token, KeySchema)).toEqual({ PK: 'PRODUCT#a/b+c', SK: 'PRODUCT' });
  });

  it.each([
    ['not base64url', 'abc$%'],
    ['not JSON', Buffer.from('{nope').toString('base64url')],
    ['JSON of another shape', encodePageToken({ PK: 'PRODUCT#a', SK: 'STOCK' })],
    ['an extra attribute', Buffer.from(JSON.stringify({ PK: 'x', SK: 'PRODUCT', extra: 1 })).toString('base64url')],
    ['too long', 'a'.repeat(3000)],
  ])('rejects a token that is %s with a ValidationError on nextToken', (_what, token) => {
    let caught: unknown;
    try {
      decodePageToken(token, KeySchema);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    expect((caught as ValidationError).details?.[0]?.path).toBe('nextToken');
  });
});
