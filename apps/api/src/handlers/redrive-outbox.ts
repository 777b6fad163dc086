import { scheduledJob } from '../scheduled';
import { redriveOutbox } from '../use-cases/redrive-outbox';
import { eventPublisher } from '../wiring/events';
import { outbox } from '../wiring/outbox';

/** Time a run keeps in hand when it stops: publishing one event (with its retries) fits well inside. */
const STOP_WITH_MS_LEFT = 15_000;

/**
 * Every minute (EventBridge schedule): publishes the events the checkout could not publish
 * (the outbox), through the EventPublisher, each with its stable event id.
 */
export const handler = scheduledJob('redrive-outbox', async (context) => {
  return redriveOutbox(outbox(), eventPublisher(), {
    // Stop early rather than be cut off: what is left waits for the next tick.
    shouldStop: () => (context ? context.getRemainingTimeInMillis() < STOP_WITH_MS_LEFT : false),
  });
});
