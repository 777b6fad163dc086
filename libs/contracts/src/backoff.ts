/** How often and how patiently an operation is retried. */
export interface BackoffPolicy {
  /** Calls in all, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/**
 * Exponential backoff with full jitter: a random delay up to base * 2^attempt, capped.
 * Jitter spreads retries of callers throttled together, so they do not collide again.
 */
export function fullJitterDelay(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt));
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** What one attempt found: the work is done (with its value), or it should be tried again (and why). */
export type AttemptOutcome<T, R> = { done: true; value: T } | { done: false; reason: R };

export interface BackoffHooks<R = unknown> {
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Called before each wait: the attempt that will be retried, why, and how long the wait is. */
  onRetry?: (reason: R, attempt: number, delayMs: number) => void;
  /** The delay before retrying after `attempt` (default: fullJitterDelay). */
  delay?: (attempt: number, policy: BackoffPolicy, random: () => number) => number;
}

/**
 * The one retry loop: runs `attempt(n)` until it says done, waiting a jittered, growing delay
 * between tries; after `policy.maxAttempts` tries, `exhausted(reason, tries)` has the last word —
 * it throws, or gives the value to return. An attempt that throws ends the loop with that error
 * (it decides itself what is worth retrying by returning `{ done: false }`).
 */
export async function retryWithBackoff<T, R>(
  policy: BackoffPolicy,
  attempt: (n: number) => Promise<AttemptOutcome<T, R>>,
  exhausted: (reason: R, attempts: number) => T,
  hooks: BackoffHooks<R> = {},
): Promise<T> {
  const wait = hooks.sleep ?? sleep;
  const random = hooks.random ?? Math.random;
  const delayOf = hooks.delay ?? fullJitterDelay;
  for (let n = 1; ; n++) {
    const outcome = await attempt(n);
    if (outcome.done) return outcome.value;
    if (n >= policy.maxAttempts) return exhausted(outcome.reason, n);
    const delay = delayOf(n, policy, random);
    hooks.onRetry?.(outcome.reason, n, delay);
    await wait(delay);
  }
}
