/**
 * Work the checkout left for later (events not published, compensations not finished) is
 * kept as items pending in a sparse index; a scheduled job drains them. This is that job's
 * loop, shared by every kind of pending item: oldest first, each item claimed with a lease
 * (two overlapping runs never take the same one), worked on alone so its outcome is known,
 * kept pending after a failure that may pass, set aside after one that cannot.
 */

export interface PendingEntry {
  key: { PK: string; SK: string };
  /** Since when it has been pending (ISO time, the index's sort key), when the store knows. */
  pendingSince?: string | undefined;
}

/** Port: the pending items of one kind (DynamoDbPendingItems on the table underneath). */
export interface PendingQueue<E extends PendingEntry> {
  /** Pending entries, oldest first, at most `limit`. */
  pending(limit: number): Promise<E[]>;
  /** Takes the entry until `leaseUntil` and counts the attempt; false when it is no longer pending or another run holds it. */
  claim(entry: E, now: Date, leaseUntil: Date): Promise<boolean>;
  /** The work failed: kept pending for the next run, or (`final`) set aside for an operator. */
  markFailed(entry: E, error: string, now: Date, final: boolean): Promise<void>;
}

export interface DrainOptions {
  /** Entries handled per run. */
  limit?: number;
  /** How long a claimed entry is this run's (longer than working on one takes). */
  leaseMs?: number;
  now?: () => Date;
  /** Asked before each entry: true ends the run (e.g. the invocation is running out of time). */
  shouldStop?: () => boolean;
}

export interface DrainFailure {
  key: string;
  id: string | undefined;
  error: string;
  /** The entry was set aside: it will not be tried again. */
  final: boolean;
}

export interface DrainResult<D> {
  /** What the work answered for each entry done in this run. */
  done: D[];
  failed: DrainFailure[];
  /** Entries another run holds. */
  skipped: number;
  /** Entries left for the next run because this one had to stop. */
  deferred: number;
  /** The oldest `pendingSince` of what this run leaves pending (failed to retry, skipped, deferred); absent when nothing is left. */
  oldestLeftPendingSince?: string;
}

export interface PendingWork<E extends PendingEntry, D> {
  /** How results and logs name an entry. */
  id(entry: E): string | undefined;
  /** Does the entry's work and marks it done; throws when it could not. */
  run(entry: E, now: () => Date): Promise<D>;
  /** A failure retrying cannot cure (the entry is invalid, the provider refused for good). */
  isFinal(error: unknown): boolean;
}

export const DRAIN_DEFAULTS = { limit: 100, leaseMs: 5 * 60_000 } as const;

/** The stored entry can never be worked on (unknown kind, unreadable fields): retrying will not help. */
export class InvalidPendingEntryError extends Error {
  override name = 'InvalidPendingEntryError';
}

export async function drainPending<E extends PendingEntry, D>(
  queue: PendingQueue<E>,
  work: PendingWork<E, D>,
  options: DrainOptions = {},
): Promise<DrainResult<D>> {
  const limit = options.limit ?? DRAIN_DEFAULTS.limit;
  const leaseMs = options.leaseMs ?? DRAIN_DEFAULTS.leaseMs;
  const now = options.now ?? (() => new Date());
  const result: DrainResult<D> = { done: [], failed: [], skipped: 0, deferred: 0 };

  const leftPending = (entry: E) => {
    if (entry.pendingSince && (!result.oldestLeftPendingSince || entry.pendingSince < result.oldestLeftPendingSince)) result.oldestLeftPendingSince = entry.pendingSince;
  };

  const entries = await queue.pending(limit);
  for (const [index, entry] of entries.entries()) {
    if (options.shouldStop?.()) {
      result.deferred = entries.length - index;
      entries.slice(index).forEach(leftPending);
      break;
    }
    const claimedAt = now();
    if (!(await queue.claim(entry, claimedAt, new Date(claimedAt.getTime() + leaseMs)))) {
      result.skipped++;
      leftPending(entry);
      continue;
    }
    try {
      result.done.push(await work.run(entry, now));
    } catch (error) {
      const final = work.isFinal(error);
      const message = final ? (error as Error).message : `${(error as Error).name}: ${(error as Error).message}`;
      await queue.markFailed(entry, message, now(), final);
      result.failed.push({ key: `${entry.key.PK}/${entry.key.SK}`, id: work.id(entry), error: message, final });
      if (!final) leftPending(entry);
    }
  }
  return result;
}
