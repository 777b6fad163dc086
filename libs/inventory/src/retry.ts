import type { BackoffPolicy } from '@orderflow/contracts';

/** How often and how patiently a transaction that collided with another one is retried. */
export type RetryPolicy = BackoffPolicy;

/**
 * Many checkouts of one popular product collide on its stock item (TransactionConflict).
 * Ten tries with up to ~1 s between them resolve a burst of a few dozen within a request.
 */
export const DEFAULT_CONFLICT_RETRY: RetryPolicy = { maxAttempts: 10, baseDelayMs: 20, maxDelayMs: 1_000 };
