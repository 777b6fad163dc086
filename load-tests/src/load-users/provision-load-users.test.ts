import { describe, expect, it } from 'vitest';
import { type LoadUserPool, LoadUsersError, loadUserEmail, provisionLoadUsers, subOfIdToken } from './provision-load-users';

const tokenFor = (sub: string) => `h.${Buffer.from(JSON.stringify({ sub })).toString('base64url')}.s`;

/** A pool in memory: users by email with a sub and password; counts calls in flight. */
class FakePool implements LoadUserPool {
  readonly users = new Map<string, { sub: string; password?: string }>();
  inFlight = 0;
  maxInFlight = 0;

  private async call<T>(work: () => T): Promise<T> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    await new Promise((r) => setTimeout(r, 1));
    this.inFlight--;
    return work();
  }
  createUser(email: string) {
    return this.call(() => {
      if (this.users.has(email)) return false;
      this.users.set(email, { sub: `sub-${this.users.size}` });
      return true;
    });
  }
  setPermanentPassword(email: string, password: string) {
    return this.call(() => {
      const user = this.users.get(email);
      if (!user) throw new Error('no such user');
      user.password = password;
    });
  }
  signIn(email: string, password: string) {
    return this.call(() => {
      const user = this.users.get(email);
      if (user?.password !== password) throw new Error('wrong password');
      return tokenFor(user.sub);
    });
  }
}

describe('provisionLoadUsers', () => {
  it("creates the users, signs each in with the run's password and returns their subs and tokens in order", async () => {
    const pool = new FakePool();
    const progress: Array<[number, number]> = [];
    const credentials = await provisionLoadUsers({ pool, count: 12, password: 'pw-1', concurrency: 3, onProgress: (d, c) => progress.push([d, c]) });
    expect(credentials).toHaveLength(12);
    credentials.forEach((credential, i) => {
      const user = pool.users.get(loadUserEmail(i));
      expect(credential).toEqual({ customerId: user?.sub, token: tokenFor(user?.sub ?? '') });
    });
    expect(new Set(credentials.map((c) => c.customerId)).size).toBe(12);
    expect(pool.maxInFlight).toBeLessThanOrEqual(3);
    expect(progress.at(-1)).toEqual([12, 12]);
  });

  it('reuses users that exist (a second run gives them a new password and the same subs)', async () => {
    const pool = new FakePool();
    const first = await provisionLoadUsers({ pool, count: 5, password: 'pw-1' });
    let created = -1;
    const second = await provisionLoadUsers({ pool, count: 5, password: 'pw-2', onProgress: (_, c) => (created = c) });
    expect(created).toBe(0);
    expect(second.map((c) => c.customerId)).toEqual(first.map((c) => c.customerId));
    expect(pool.users.get(loadUserEmail(0))?.password).toBe('pw-2');
  });

  it('fails when the pool refuses, and on a token without a sub', async () => {
    const pool = new FakePool();
    pool.signIn = () => Promise.reject(new Error('NotAuthorizedException'));
    await expect(provisionLoadUsers({ pool, count: 2, password: 'pw' })).rejects.toThrow('NotAuthorizedException');
    expect(() => subOfIdToken('not-a-jwt')).toThrow(LoadUsersError);
    expect(() => subOfIdToken(`h.${Buffer.from('{}').toString('base64url')}.s`)).toThrow(/no sub/);
    expect(subOfIdToken(tokenFor('abc'))).toBe('abc');
  });
});
