import { retryWithBackoff } from '@orderflow/contracts';
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

/** "Equal jitter": half the exponential delay, plus a random part of the other half. */
export function backoffDelay(policy: RetryPolicy, retry: number, random: () => number = Math.random): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.round(exponential / 2 + random() * (exponential / 2));
}

/** Runs `operation`, retrying it while `isRetryable(error)` and retries remain (the contracts' one retry loop). */
export async function withRetries<T>(
  operation: (attempt: number) => Promise<T>,
  policy: RetryPolicy,
  isRetryable: (error: unknown) => boolean,
  hooks: RetryHooks = {},
): Promise<T> {
  return retryWithBackoff<T, unknown>(
    { maxAttempts: policy.maxRetries + 1, baseDelayMs: policy.baseDelayMs, maxDelayMs: policy.maxDelayMs },
    async (attempt) => {
      try {
        return { done: true, value: await operation(attempt) };
      } catch (error) {
        if (!isRetryable(error)) throw error;
        return { done: false, reason: error };
      }
    },
    (lastError) => {
      throw lastError;
    },
    {
      ...(hooks.sleep ? { sleep: hooks.sleep } : {}),
      ...(hooks.random ? { random: hooks.random } : {}),
      ...(hooks.onRetry ? { onRetry: hooks.onRetry } : {}),
      delay: (retry, _policy, random) => backoffDelay(policy, retry, random),
    },
  );
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
