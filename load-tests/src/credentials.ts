import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { type Credential, LOAD_CUSTOMER_COUNT, loadCustomerId, localTokenRequest } from './scenarios';

/**
 * Who the load runs as: every order route needs a customer's ID token. Locally, the stack's
 * development issuer hands out tokens for load-cust-<i>; against a deployment, the load-test
 * users of its user pool (`npm run load-users`) wrote theirs to a file.
 */

export const CredentialsSchema = z.array(z.object({ customerId: z.string().min(1), token: z.string().min(20) })).min(1);

export class CredentialsError extends Error {
  override name = 'CredentialsError';
}

export function readCredentialsFile(path: string): Credential[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch (error) {
    throw new CredentialsError(`cannot read credentials from ${path}: ${(error as Error).message}`);
  }
  const parsed = CredentialsSchema.safeParse(raw);
  if (!parsed.success) throw new CredentialsError(`${path} is not a JSON array of {customerId, token}: ${parsed.error.issues[0]?.message ?? ''}`);
  return parsed.data;
}

/** Tokens for load-cust-0..count-1 from a local stack's development issuer, 10 at a time. */
export async function localCredentials(baseUrl: string, count = LOAD_CUSTOMER_COUNT): Promise<Credential[]> {
  const credentials: Credential[] = [];
  for (let first = 0; first < count; first += 10) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(10, count - first) }, async (_, i) => {
        const customerId = loadCustomerId(first + i);
        const request = localTokenRequest(customerId);
        const response = await fetch(`${baseUrl}${request.path}`, { method: request.method, headers: request.headers, body: request.body });
        if (!response.ok) {
          throw new CredentialsError(`${baseUrl}/_local/auth/token answered ${response.status}: not a local stack? Give --tokens-file (npm run load-users for a deployment)`);
        }
        return { customerId, token: ((await response.json()) as { token: string }).token };
      }),
    );
    credentials.push(...batch);
  }
  return credentials;
}
