import { type EventBridgeClient, PutEventsCommand, type PutEventsResultEntry } from '@aws-sdk/client-eventbridge';
import { type BackoffHooks, type BackoffPolicy, fullJitterDelay, OrderflowError, retryWithBackoff } from '@orderflow/contracts';
import { buildPutEventsEntry, type OrderflowEvent, type PutEventsEntry } from './envelope';
import type { EventPublisher } from './event-publisher';

/** PutEvents takes at most 10 entries per call. */
export const PUT_EVENTS_BATCH_SIZE = 10;

/** Entry error codes EventBridge documents as transient: worth sending again. */
const TRANSIENT_ENTRY_ERRORS = new Set(['ThrottlingException', 'InternalFailure', 'InternalException', 'ServiceUnavailable']);

export interface FailedEventEntry {
  detailType: string;
  errorCode: string;
  errorMessage: string;
}

/** Some entries of a PutEvents call were not accepted, after retrying the transient ones. */
export class EventPublishError extends OrderflowError {
  override name = 'EventPublishError';
  constructor(readonly failedEntries: FailedEventEntry[]) {
    super(
      'INTERNAL',
      `${failedEntries.length} event(s) not published: ${failedEntries.map((f) => `${f.detailType} ${f.errorCode}`).join(', ')}`,
    );
  }
}

export interface EventBridgeEventPublisherOptions {
  client: Pick<EventBridgeClient, 'send'>;
  eventBusName: string;
  source?: string;
  /** Attempts for entries that failed transiently (the SDK retries whole-call failures itself). */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

/**
 * Publishes through EventBridge PutEvents. PutEvents succeeds as a call even when some
 * entries fail (`FailedEntryCount`): the failed entries, and only those, are sent again
 * while their error is transient, with exponential backoff and full jitter.
 */
export class EventBridgeEventPublisher implements EventPublisher {
  private readonly retry: BackoffPolicy;
  private readonly hooks: BackoffHooks<FailedEventEntry[]>;

  constructor(private readonly options: EventBridgeEventPublisherOptions) {
    this.retry = { maxAttempts: options.maxAttempts ?? 3, baseDelayMs: options.baseDelayMs ?? 50, maxDelayMs: options.maxDelayMs ?? 1000 };
    this.hooks = {
      ...(options.sleep ? { sleep: options.sleep } : {}),
      ...(options.random ? { random: options.random } : {}),
      // The first retry waits up to the base delay (then doubles), as before.
      delay: (attempt, policy, random) => fullJitterDelay(attempt - 1, policy, random),
    };
  }

  async publish(events: readonly OrderflowEvent[]): Promise<void> {
    // Validate everything before sending anything, so a bad event never half-publishes a batch.
    const entries = events.map((event) =>
      buildPutEventsEntry(event, {
        eventBusName: this.options.eventBusName,
        ...(this.options.source ? { source: this.options.source } : {}),
      }),
    );
    const failed: FailedEventEntry[] = [];
    for (let i = 0; i < entries.length; i += PUT_EVENTS_BATCH_SIZE) {
      failed.push(...(await this.sendBatch(entries.slice(i, i + PUT_EVENTS_BATCH_SIZE))));
    }
    if (failed.length > 0) throw new EventPublishError(failed);
  }

  private async sendBatch(batch: PutEventsEntry[]): Promise<FailedEventEntry[]> {
    let pending = batch;
    const permanent: FailedEventEntry[] = [];
    return retryWithBackoff<FailedEventEntry[], FailedEventEntry[]>(
      this.retry,
      async () => {
        const result = await this.options.client.send(new PutEventsCommand({ Entries: pending }));
        if (!result.FailedEntryCount) return { done: true, value: permanent };
        const retry: PutEventsEntry[] = [];
        const retryFailures: FailedEventEntry[] = [];
        pending.forEach((entry, index) => {
          const outcome: PutEventsResultEntry | undefined = result.Entries?.[index];
          if (outcome?.EventId && !outcome.ErrorCode) return;
          const failure = {
            detailType: entry.DetailType,
            errorCode: outcome?.ErrorCode ?? 'Unknown',
            errorMessage: outcome?.ErrorMessage ?? 'no result for this entry',
          };
          if (TRANSIENT_ENTRY_ERRORS.has(failure.errorCode)) {
            retry.push(entry);
            retryFailures.push(failure);
          } else {
            permanent.push(failure);
          }
        });
        if (retry.length === 0) return { done: true, value: permanent };
        pending = retry;
        return { done: false, reason: retryFailures };
      },
      // Out of attempts: what still fails is reported with the permanent failures.
      (retryFailures) => [...permanent, ...retryFailures],
      this.hooks,
    );
  }
}
