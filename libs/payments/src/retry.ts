/**
 * Small, bounded retries inside an adapter. The checkout workflow retries transient
 * failures again with its own backoff, so these stay few (default: one) and short.
 */
export interface RetryPolicy {
  /** Retries after the first attempt; 0 disables them. */
  maxRetries: number;
  /** First backoff; doubles each retry, with jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxRetries: 1, baseDelayMs: 100, maxDelayMs: 1_000 };

export interface RetryHooks {
  onRetry?(error: unknown, attempt: number, delayMs: number): void;
  sleep?(ms: number): Promise<void>;
  random?(): number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** "Equal jitter": half the exponential delay, plus a random part of the other half. */
export function backoffDelay(policy: RetryPolicy, retry: number, random: () => number = Math.random): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.round(exponential / 2 + random() * (exponential / 2));
}

/** Runs `operation`, retrying it while `isRetryable(error)` and retries remain. */
export async function withRetries<T>(
  operation: (attempt: number) => Promise<T>,
  policy: RetryPolicy,
  isRetryable: (error: unknown) => boolean,
  hooks: RetryHooks = {},
): Promise<T> {
  const sleep = hooks.sleep ?? defaultSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (error) {
      if (attempt > policy.maxRetries || !isRetryable(error)) throw error;
      const delay = backoffDelay(policy, attempt, hooks.random);
      hooks.onRetry?.(error, attempt, delay);
      await sleep(delay);
    }
  }
}

/**
 * Settles with `work`, or rejects with `onTimeout()` after `ms`. The SDKs have their own
 * socket timeouts too; this bounds the whole call (token fetch included) whatever they do.
 */
export function withDeadline<T>(work: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
