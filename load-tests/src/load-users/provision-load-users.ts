import type { Credential } from '../scenarios';

/**
 * Load-test users in a deployed user pool: each gets a permanent password and signs in once;
 * what the load runs as is their `sub` and ID token. Idempotent: users that exist are reused.
 */

/** What provisioning needs from a user pool (Cognito's admin API in AWS and locally). */
export interface LoadUserPool {
  /** Creates the user, verified, no invitation sent; false if they exist already. */
  createUser(email: string): Promise<boolean>;
  setPermanentPassword(email: string, password: string): Promise<void>;
  /** The user's ID token (admin password flow of the load-test client). */
  signIn(email: string, password: string): Promise<string>;
}

export interface ProvisionOptions {
  pool: LoadUserPool;
  count: number;
  password: string;
  /** The email of load user `i`. */
  emailOf?: (i: number) => string;
  /** Users provisioned at once (Cognito's admin API quotas are tens per second). */
  concurrency?: number;
  onProgress?: (done: number, created: number) => void;
}

export const loadUserEmail = (i: number) => `load-user-${i}@load-test.invalid`;

export class LoadUsersError extends Error {
  override name = 'LoadUsersError';
}

/** The `sub` of an ID token (no signature check: it comes straight from the pool). */
export function subOfIdToken(token: string): string {
  const payload = token.split('.')[1];
  let sub: unknown;
  try {
    sub = (JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as { sub?: unknown }).sub;
  } catch {
    sub = undefined;
  }
  if (typeof sub !== 'string' || sub === '') throw new LoadUsersError('the pool answered a sign-in with a token that has no sub');
  return sub;
}

export async function provisionLoadUsers(options: ProvisionOptions): Promise<Credential[]> {
  const { pool, count, password } = options;
  const emailOf = options.emailOf ?? loadUserEmail;
  const concurrency = Math.max(1, options.concurrency ?? 5);
  const credentials: Credential[] = new Array<Credential>(count);
  let next = 0;
  let done = 0;
  let created = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const email = emailOf(i);
      if (await pool.createUser(email)) created++;
      await pool.setPermanentPassword(email, password);
      const token = await pool.signIn(email, password);
      credentials[i] = { customerId: subOfIdToken(token), token };
      options.onProgress?.(++done, created);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return credentials;
}
