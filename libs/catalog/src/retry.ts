import type { BackoffPolicy } from '@orderflow/contracts';

/** How often and how patiently a partial batch (UnprocessedKeys/UnprocessedItems) is retried. */
export type RetryPolicy = BackoffPolicy;

export const DEFAULT_BATCH_RETRY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 25, maxDelayMs: 2_000 };
