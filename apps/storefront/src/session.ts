import { type KeyValueStore, readJson } from './storage';

/** The signed-in customer: their ID token, who they are (its `sub`) and when it expires. */
export interface Session {
  token: string;
  customerId: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

const KEY = 'orderflow.session';

/** The claims of a JWT, unverified: the API verifies it; the shop only reads who and until when. */
export function tokenClaims(token: string): { sub?: string; exp?: number } {
  const part = token.split('.')[1];
  if (!part) return {};
  try {
    const json = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
    return JSON.parse(json) as { sub?: string; exp?: number };
  } catch {
    return {};
  }
}

export function sessionFromToken(token: string): Session | undefined {
  const { sub, exp } = tokenClaims(token);
  if (!sub || !exp) return undefined;
  return { token, customerId: sub, expiresAt: exp * 1000 };
}

export class SessionStore {
  constructor(
    private readonly store: KeyValueStore,
    private readonly now: () => number = Date.now,
  ) {}

  /** The session, unless it expired (then it is gone, and `expired()` says so once). */
  current(): Session | undefined {
    const session = readJson<Session>(this.store, KEY);
    if (!session) return undefined;
    if (session.expiresAt <= this.now()) {
      this.expire();
      return undefined;
    }
    return session;
  }

  set(session: Session): void {
    this.store.set(KEY, JSON.stringify(session));
    this.store.remove(`${KEY}.expired`);
  }

  clear(): void {
    this.store.remove(KEY);
  }

  /** The API refused the token (401) or it ran out: sign in again; the cart stays. */
  expire(): void {
    this.store.remove(KEY);
    this.store.set(`${KEY}.expired`, '1');
  }

  /** Whether the last session ended by expiring (shown once as "sign in again"). */
  expired(): boolean {
    return this.store.get(`${KEY}.expired`) === '1';
  }
}
