import { runningOutOfTime, scheduledJob } from '../scheduled';
import { redriveOutbox } from '../use-cases/redrive-outbox';
import { eventPublisher } from '../wiring/events';
import { outbox } from '../wiring/outbox';

/**
 * Every minute (EventBridge schedule): publishes the events the checkout could not publish
 * (the outbox), through the EventPublisher, each with its stable event id. It stops early
 * rather than be cut off: what is left waits for the next tick.
 */
export const handler = scheduledJob('redrive-outbox', async (context) =>
  redriveOutbox(outbox(), eventPublisher(), { shouldStop: runningOutOfTime(context) }),
);
