import { toErrorResponse } from '@orderflow/contracts';
import { type EventConsumer, parseOrderflowEvent, type ReceivedOrderflowEvent } from '@orderflow/events';
import type { Context } from 'aws-lambda';
import { logger, tracer, withInvocationLogger } from './observability';
import { processOnce } from './use-cases/process-once';
import { processedEvents } from './wiring/processed-events';

/**
 * How a consumer keeps a redelivered event (EventBridge delivers at least once; a retried
 * PutEvents or an outbox redrive publishes again) from acting twice:
 * - `event-id`: it claims the event id in the processed-event log first (one conditional
 *   PutItem), and a duplicate runs nothing (`processOnce`);
 * - `idempotent-work`: its work is idempotent by itself (e.g. a conditional write keyed by the
 *   order), so it runs on every delivery and no claim is written.
 */
export type Deduplication = 'event-id' | 'idempotent-work';

/** What a consumer answers for an event id it has already processed. */
export interface DuplicateEvent {
  duplicate: true;
  eventId: string;
}

/** The id a consumer deduplicates on: the detail's stable `eventId` (see `orderEventId`), else the envelope id. */
export function consumedEventId(event: ReceivedOrderflowEvent): string {
  // The stable id is the same for a Step Functions retry and an outbox redrive, where
  // EventBridge gives each publication a new envelope id.
  return event.detail.eventId ?? event.id;
}

/**
 * Wraps an EventBridge consumer: the envelope is parsed and its detail validated (zod), then
 * the work runs, deduplicated as `deduplication` says. An invalid event or a failure is
 * rethrown: Lambda retries the asynchronous invocation, then the event goes to the DLQ.
 */
export function eventConsumer<R extends Record<string, unknown>>(
  consumer: EventConsumer,
  deduplication: Deduplication,
  run: (event: ReceivedOrderflowEvent) => Promise<R>,
): (event: unknown, context?: Context) => Promise<R | DuplicateEvent> {
  return (event, context) =>
    withInvocationLogger({ consumer }, context ?? localContext(consumer), async () => {
      tracer.putAnnotation('consumer', consumer);
      try {
        const received = parseOrderflowEvent(event);
        const eventId = consumedEventId(received);
        logger.appendKeys({ eventId, detailType: received.detailType, orderId: received.detail.orderId });
        const result =
          deduplication === 'event-id'
            ? await processOnce(processedEvents(), consumer, eventId, () => run(received), (): DuplicateEvent => ({ duplicate: true, eventId }))
            : await run(received);
        logger.info('event consumed', { result });
        return result;
      } catch (error) {
        logger.error('event not consumed', { error, status: toErrorResponse(error).statusCode });
        throw error;
      }
    });
}

/** A Lambda context for an in-process invocation without one. */
function localContext(consumer: string): Context {
  const deadline = Date.now() + 30_000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: consumer,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${consumer}`,
    memoryLimitInMB: '512',
    awsRequestId: crypto.randomUUID(),
    logGroupName: `/aws/lambda/${consumer}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
