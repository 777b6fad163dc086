/** How often and how patiently a transaction that collided with another one is retried. */
export interface RetryPolicy {
  /** Calls in all, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/**
 * Many checkouts of one popular product collide on its stock item (TransactionConflict).
 * Ten tries with up to ~1 s between them resolve a burst of a few dozen within a request.
 */
export const DEFAULT_CONFLICT_RETRY: RetryPolicy = { maxAttempts: 10, baseDelayMs: 20, maxDelayMs: 1_000 };

/**
 * Exponential backoff with full jitter: a random delay up to base * 2^attempt, capped.
 * Jitter spreads retries of callers throttled together, so they do not collide again.
 */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt));
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
