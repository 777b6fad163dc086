import { z } from 'zod';
import { CustomerIdSchema } from './http';

/**
 * Who calls the API. Customers sign in to a Cognito user pool (locally, a development issuer
 * signing tokens of the same shape); API Gateway's Cognito authorizer checks the ID token and
 * hands its claims on. The customer is the token's `sub`; members of the group `operators` may
 * read any order and any customer's list.
 */

export const OPERATORS_GROUP = 'operators';

/** Claims of a Cognito ID token, as the token carries them. */
export const IdTokenClaimsSchema = z.looseObject({
  sub: CustomerIdSchema,
  'cognito:groups': z.array(z.string()).optional(),
  token_use: z.literal('id'),
  iss: z.string().min(1),
  aud: z.string().min(1),
  exp: z.number().int(),
  iat: z.number().int(),
  auth_time: z.number().int().optional(),
});
export type IdTokenClaims = z.infer<typeof IdTokenClaimsSchema>;

export interface Principal {
  customerId: string;
  operator: boolean;
}

/**
 * A list claim as API Gateway hands it on: its Cognito authorizer turns every claim into a
 * string, an array as `[a b]` (and `a,b` has been seen); a token's own claims are arrays.
 */
export function claimList(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  if (typeof value !== 'string' || value.trim() === '') return [];
  const text = value.trim();
  const inner = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  return inner.split(/[\s,]+/).filter((part) => part !== '');
}

/** The caller the authorizer vouched for, from its claims; undefined without a valid `sub`. */
export function principalFromClaims(claims: unknown): Principal | undefined {
  if (claims === null || typeof claims !== 'object') return undefined;
  const sub = CustomerIdSchema.safeParse((claims as Record<string, unknown>)['sub']);
  if (!sub.success) return undefined;
  return { customerId: sub.data, operator: claimList((claims as Record<string, unknown>)['cognito:groups']).includes(OPERATORS_GROUP) };
}
