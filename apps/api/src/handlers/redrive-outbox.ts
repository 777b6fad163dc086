import { scheduledJob } from '../scheduled';
import { redriveOutbox } from '../use-cases/redrive-outbox';
import { wiring } from '../wiring';

/**
 * Every minute (EventBridge schedule): publishes the events the checkout could not publish
 * (the outbox), through the EventPublisher, each with its stable event id.
 */
export const handler = scheduledJob('redrive-outbox', async () => {
  const wired = wiring();
  return redriveOutbox(wired.outbox, wired.eventPublisher());
});
