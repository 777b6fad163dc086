import { type EventDetailType, eventDetailSchemas, ORDER_PLACED, ORDER_REJECTED, orderEventId } from '@orderflow/contracts';
import type { EventPublisher, OrderflowEvent } from '@orderflow/events';

/**
 * An event the checkout could not publish, as the outbox holds it (written by the
 * workflow's RecordUnpublishedEvent state: `keys.outbox`, pending in GSI1 under
 * `keys.outboxPending`). Fields are as read: the redrive validates them.
 */
export interface OutboxEntry {
  key: { PK: string; SK: string };
  eventId: string | undefined;
  detailType: string | undefined;
  /** The event detail as JSON text. */
  detail: string | undefined;
  attempts: number;
  createdAt: string | undefined;
}

/** Port: the outbox of unpublished events (DynamoDbEventOutbox on the table). */
export interface EventOutbox {
  /** Pending entries, oldest first, at most `limit`. */
  pending(limit: number): Promise<OutboxEntry[]>;
  /**
   * Takes the entry until `leaseUntil` and counts the attempt; false when it is no longer
   * pending or another redrive holds it. Two overlapping runs so never publish one entry at once.
   */
  claim(entry: OutboxEntry, now: Date, leaseUntil: Date): Promise<boolean>;
  /** The event is on the bus: the entry leaves the pending index (and expires later). */
  markPublished(entry: OutboxEntry, now: Date): Promise<void>;
  /** Publishing failed: kept pending for the next run, or (`final`) set aside for an operator. */
  markFailed(entry: OutboxEntry, error: string, now: Date, final: boolean): Promise<void>;
}

export interface RedriveOptions {
  /** Entries handled per run. */
  limit?: number;
  /** How long a claimed entry is this run's (longer than publishing one event takes). */
  leaseMs?: number;
  now?: () => Date;
  /** Asked before each entry: true ends the run (e.g. the invocation is running out of time). */
  shouldStop?: () => boolean;
}

export interface RedriveResult {
  /** Event ids published in this run. */
  published: string[];
  /** Entries that failed; `final` ones are invalid and will not be tried again. */
  failed: { key: string; eventId: string | undefined; error: string; final: boolean }[];
  /** Entries another run holds. */
  skipped: number;
  /** Entries left for the next run because this one had to stop. */
  deferred: number;
}

export const REDRIVE_DEFAULTS = { limit: 100, leaseMs: 5 * 60_000 } as const;

/** The stored entry cannot become a valid event: retrying will not help. */
class InvalidOutboxEntryError extends Error {
  override name = 'InvalidOutboxEntryError';
}

/**
 * The event an outbox entry holds, validated against its zod schema, with its stable id
 * (the entry's `eventId`, which the workflow also put in the detail): consumers deduplicate
 * on it, so publishing an entry twice (a run that died after publishing) delivers it once.
 */
export function outboxEvent(entry: OutboxEntry): OrderflowEvent {
  const detailType = entry.detailType;
  if (detailType !== ORDER_PLACED && detailType !== ORDER_REJECTED) {
    throw new InvalidOutboxEntryError(`unknown detail type ${String(detailType)}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(entry.detail ?? '');
  } catch {
    throw new InvalidOutboxEntryError('the detail is not JSON');
  }
  const body = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const eventId = entry.eventId ?? (typeof body['eventId'] === 'string' ? body['eventId'] : undefined) ?? fallbackEventId(body, detailType);
  const parsed = eventDetailSchemas[detailType].safeParse({ ...body, eventId });
  if (!parsed.success) {
    throw new InvalidOutboxEntryError(`invalid ${detailType} detail: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return { detailType, detail: parsed.data } as OrderflowEvent;
}

function fallbackEventId(body: Record<string, unknown>, detailType: EventDetailType): string | undefined {
  return typeof body['orderId'] === 'string' ? orderEventId(body['orderId'], detailType) : undefined;
}

/**
 * Publishes the outbox's pending events through the EventPublisher, oldest first, one at a
 * time so each entry's outcome is known: published entries leave the pending index, failed
 * ones stay for the next run (or, when invalid, are set aside with the reason).
 */
export async function redriveOutbox(outbox: EventOutbox, publisher: EventPublisher, options: RedriveOptions = {}): Promise<RedriveResult> {
  const limit = options.limit ?? REDRIVE_DEFAULTS.limit;
  const leaseMs = options.leaseMs ?? REDRIVE_DEFAULTS.leaseMs;
  const now = options.now ?? (() => new Date());
  const result: RedriveResult = { published: [], failed: [], skipped: 0, deferred: 0 };

  const entries = await outbox.pending(limit);
  for (const [index, entry] of entries.entries()) {
    if (options.shouldStop?.()) {
      result.deferred = entries.length - index;
      break;
    }
    const claimedAt = now();
    if (!(await outbox.claim(entry, claimedAt, new Date(claimedAt.getTime() + leaseMs)))) {
      result.skipped++;
      continue;
    }
    let event: OrderflowEvent;
    try {
      event = outboxEvent(entry);
    } catch (error) {
      const message = (error as Error).message;
      await outbox.markFailed(entry, message, now(), true);
      result.failed.push({ key: `${entry.key.PK}/${entry.key.SK}`, eventId: entry.eventId, error: message, final: true });
      continue;
    }
    try {
      await publisher.publish([event]);
    } catch (error) {
      const message = `${(error as Error).name}: ${(error as Error).message}`;
      await outbox.markFailed(entry, message, now(), false);
      result.failed.push({ key: `${entry.key.PK}/${entry.key.SK}`, eventId: event.detail.eventId, error: message, final: false });
      continue;
    }
    await outbox.markPublished(entry, now());
    result.published.push(event.detail.eventId ?? `${entry.key.PK}/${entry.key.SK}`);
  }
  return result;
}
