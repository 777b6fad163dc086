import { describe, expect, it } from 'vitest';
import { SessionStore, sessionFromToken, tokenClaims } from './session';
import { memoryStore } from './storage';

const token = (claims: Record<string, unknown>) => `h.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.s`;

describe('sessions', () => {
  it('reads who and until when from the ID token', () => {
    expect(tokenClaims(token({ sub: 'cust-42', exp: 2_000 }))).toEqual({ sub: 'cust-42', exp: 2_000 });
    expect(sessionFromToken(token({ sub: 'cust-42', exp: 2_000 }))).toEqual({ token: token({ sub: 'cust-42', exp: 2_000 }), customerId: 'cust-42', expiresAt: 2_000_000 });
    expect(sessionFromToken('garbage')).toBeUndefined();
    expect(sessionFromToken(token({ exp: 1 }))).toBeUndefined();
  });

  it('ends a session that expired, and says so once a new one starts no longer', () => {
    let now = 1_000_000;
    const sessions = new SessionStore(memoryStore(), () => now);
    sessions.set({ token: 't', customerId: 'cust-42', expiresAt: 2_000_000 });
    expect(sessions.current()?.customerId).toBe('cust-42');
    now = 2_000_000;
    expect(sessions.current()).toBeUndefined();
    expect(sessions.expired()).toBe(true);
    sessions.set({ token: 't2', customerId: 'cust-42', expiresAt: 3_000_000 });
    expect(sessions.expired()).toBe(false);
    sessions.expire();
    expect(sessions.current()).toBeUndefined();
  });
});
