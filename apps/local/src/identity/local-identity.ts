import type { ServerResponse } from 'node:http';
import { CustomerIdSchema, errorBody, zodIssuesToDetails } from '@orderflow/contracts';
import { DEFAULT_TOKEN_TTL_SECONDS, type LocalUserPool } from '@orderflow/local-aws';
import { z } from 'zod';
import type { IncomingRequest } from '@orderflow/local-aws';

/**
 * The development issuer of `npm start`: the template's Cognito user pool stands here as a
 * LocalUserPool, and anyone on this machine may have a token for any customer —
 *   POST /_local/auth/token   {"customerId": "cust-42", "groups": ["operators"]?}
 *                             -> {"token": "<ID token>", "expiresIn": 3600}
 *   GET  /_local/auth/jwks.json (and /_local/auth/.well-known/jwks.json)  the pool's keys
 *   GET  /_local/auth          issuer, client id, where the keys are
 * The customer is the token's `sub`, as a Cognito user's id would be.
 */

export const TokenRequestSchema = z.strictObject({
  customerId: CustomerIdSchema,
  groups: z.array(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a group name is letters, digits, - and _')).max(10).optional(),
});

export interface LocalIdentityOptions {
  pool: LocalUserPool;
}

function send(res: ServerResponse, status: number, body: unknown): true {
  const text = `${JSON.stringify(body)}\n`;
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
  return true;
}

export function createLocalIdentity(options: LocalIdentityOptions): (request: IncomingRequest, res: ServerResponse) => Promise<boolean> {
  const { pool } = options;
  return async (request, res) => {
    const path = request.path.replace(/\/+$/, '');
    if (path === '/_local/auth/jwks.json' || path === '/_local/auth/.well-known/jwks.json') {
      return request.method === 'GET' ? send(res, 200, pool.jwks()) : false;
    }
    if (path === '/_local/auth' && request.method === 'GET') {
      return send(res, 200, {
        issuer: pool.issuer,
        userPoolId: pool.userPoolId,
        clientIds: pool.clientIds,
        jwks: '/_local/auth/jwks.json',
        token: 'POST /_local/auth/token {"customerId": "...", "groups": ["operators"]}',
      });
    }
    if (path !== '/_local/auth/token') return false;
    if (request.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      return send(res, 405, errorBody('METHOD_NOT_ALLOWED'));
    }
    let input: unknown;
    try {
      input = JSON.parse(request.body.toString('utf8') || '{}') as unknown;
    } catch {
      return send(res, 400, errorBody('VALIDATION_FAILED', 'The request body is not valid JSON.', [{ path: '(root)', message: 'malformed JSON' }]));
    }
    const parsed = TokenRequestSchema.safeParse(input);
    if (!parsed.success) return send(res, 400, errorBody('VALIDATION_FAILED', undefined, zodIssuesToDetails(parsed.error.issues)));
    const token = await pool.issueIdToken({ sub: parsed.data.customerId, ...(parsed.data.groups ? { groups: parsed.data.groups } : {}) });
    return send(res, 200, { token, expiresIn: DEFAULT_TOKEN_TTL_SECONDS });
  };
}
