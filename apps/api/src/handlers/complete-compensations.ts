import { runningOutOfTime, scheduledJob } from '../scheduled';
import { completeCompensations } from '../use-cases/complete-compensations';
import { compensations } from '../wiring/compensations';
import { inventory } from '../wiring/inventory';
import { orders } from '../wiring/orders';
import { payments } from '../wiring/payments';

/**
 * Every minute (EventBridge schedule): finishes the compensations the checkout could not
 * (stock still reserved, a payment still authorized or captured), until each is done.
 */
export const handler = scheduledJob('complete-compensations', async (context) =>
  completeCompensations(compensations(), { inventory: inventory(), orders: orders(), payments }, { shouldStop: runningOutOfTime(context) }),
);
