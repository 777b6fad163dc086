import { describe, expect, it } from 'vitest';
import { backoffDelay, withDeadline, withRetries } from './retry';

const policy = { maxRetries: 2, baseDelayMs: 100, maxDelayMs: 300 };
const noSleep = { sleep: async () => undefined };

describe('withRetries', () => {
  it('retries retryable failures up to maxRetries, then gives up with the last error', async () => {
    let calls = 0;
    await expect(
      withRetries(async () => {
        calls++;
        throw new Error(`attempt ${calls}`);
      }, policy, () => true, noSleep),
    ).rejects.toThrow('attempt 3');
    expect(calls).toBe(3);
  });

  it('never retries what is not retryable', async () => {
    let calls = 0;
    await expect(
      withRetries(async () => {
        calls++;
        throw new Error('declined');
      }, policy, () => false, noSleep),
    ).rejects.toThrow('declined');
    expect(calls).toBe(1);
  });

  it('returns the first success and reports each retry', async () => {
    const retries: number[] = [];
    const result = await withRetries(async (attempt) => {
      if (attempt < 2) throw new Error('blip');
      return attempt;
    }, policy, () => true, { ...noSleep, onRetry: (_e, attempt) => retries.push(attempt) });
    expect(result).toBe(2);
    expect(retries).toEqual([1]);
  });

  it('backs off exponentially with jitter, capped', () => {
    expect(backoffDelay(policy, 1, () => 0)).toBe(50);
    expect(backoffDelay(policy, 1, () => 1)).toBe(100);
    expect(backoffDelay(policy, 2, () => 1)).toBe(200);
    expect(backoffDelay(policy, 5, () => 1)).toBe(300);
  });
});

describe('withDeadline', () => {
  it('rejects with the given error when the work takes longer', async () => {
    const never = new Promise<never>(() => undefined);
    await expect(withDeadline(never, 10, () => new Error('too slow'))).rejects.toThrow('too slow');
  });

  it('settles with the work when it is in time', async () => {
    await expect(withDeadline(Promise.resolve(7), 1000, () => new Error('x'))).resolves.toBe(7);
  });
});
