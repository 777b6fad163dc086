import { type EventDetailType, eventDetailSchemas, ORDER_PLACED, ORDER_REJECTED, orderEventId } from '@orderflow/contracts';
import type { EventPublisher, OrderflowEvent } from '@orderflow/events';
import { DRAIN_DEFAULTS, type DrainOptions, drainPending, InvalidPendingEntryError, type PendingQueue } from './drain-pending';

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
export interface EventOutbox extends PendingQueue<OutboxEntry> {
  /** The event is on the bus: the entry leaves the pending index (and expires later). */
  markPublished(entry: OutboxEntry, now: Date): Promise<void>;
}

export type RedriveOptions = DrainOptions;

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

export const REDRIVE_DEFAULTS = DRAIN_DEFAULTS;

/**
 * The event an outbox entry holds, validated against its zod schema, with its stable id
 * (the entry's `eventId`, which the workflow also put in the detail): consumers deduplicate
 * on it, so publishing an entry twice (a run that died after publishing) delivers it once.
 */
export function outboxEvent(entry: OutboxEntry): OrderflowEvent {
  const detailType = entry.detailType;
  if (detailType !== ORDER_PLACED && detailType !== ORDER_REJECTED) {
    throw new InvalidPendingEntryError(`unknown detail type ${String(detailType)}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(entry.detail ?? '');
  } catch {
    throw new InvalidPendingEntryError('the detail is not JSON');
  }
  const body = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const eventId = entry.eventId ?? (typeof body['eventId'] === 'string' ? body['eventId'] : undefined) ?? fallbackEventId(body, detailType);
  const parsed = eventDetailSchemas[detailType].safeParse({ ...body, eventId });
  if (!parsed.success) {
    throw new InvalidPendingEntryError(`invalid ${detailType} detail: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
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
  const { done, failed, skipped, deferred } = await drainPending(
    outbox,
    {
      id: (entry) => entry.eventId,
      run: async (entry, now) => {
        const event = outboxEvent(entry);
        await publisher.publish([event]);
        await outbox.markPublished(entry, now());
        return event.detail.eventId ?? `${entry.key.PK}/${entry.key.SK}`;
      },
      isFinal: (error) => error instanceof InvalidPendingEntryError,
    },
    options,
  );
  return { published: done, failed: failed.map(({ id, ...failure }) => ({ ...failure, eventId: id })), skipped, deferred };
}
