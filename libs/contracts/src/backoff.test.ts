import { describe, expect, it } from 'vitest';
import { fullJitterDelay, retryWithBackoff } from './backoff';

const policy = { maxAttempts: 4, baseDelayMs: 10, maxDelayMs: 50 };

describe('retryWithBackoff', () => {
  it('tries until an attempt is done, waiting a growing, capped, jittered delay between tries', async () => {
    const waits: number[] = [];
    const retried: Array<[string, number]> = [];
    const value = await retryWithBackoff(
      policy,
      async (n) => (n < 4 ? { done: false, reason: `busy ${n}` } : { done: true, value: `ok after ${n}` }),
      () => 'exhausted',
      { sleep: async (ms) => void waits.push(ms), random: () => 0.999, onRetry: (reason, n) => retried.push([reason, n]) },
    );
    expect(value).toBe('ok after 4');
    expect(waits).toEqual([19, 39, 49]);
    expect(retried).toEqual([
      ['busy 1', 1],
      ['busy 2', 2],
      ['busy 3', 3],
    ]);
  });

  it('gives the last word to exhausted after maxAttempts: a value, or what it throws', async () => {
    let tries = 0;
    const always = async () => {
      tries++;
      return { done: false as const, reason: 'still busy' };
    };
    const hooks = { sleep: async () => undefined };
    expect(await retryWithBackoff(policy, always, (reason, n) => `${reason} after ${n}`, hooks)).toBe('still busy after 4');
    expect(tries).toBe(4);
    await expect(
      retryWithBackoff(policy, always, (reason) => {
        throw new Error(reason);
      }, hooks),
    ).rejects.toThrow('still busy');
  });

  it('ends at once with the error of an attempt that throws', async () => {
    let tries = 0;
    const failing = async () => {
      tries++;
      throw new Error('not retryable');
    };
    await expect(retryWithBackoff(policy, failing, () => 'never', { sleep: async () => undefined })).rejects.toThrow('not retryable');
    expect(tries).toBe(1);
    expect(fullJitterDelay(1, policy, () => 0.5)).toBe(10);
  });
});
