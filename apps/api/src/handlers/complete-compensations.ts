import { PowertoolsMetricsRecorder } from '../adapters/powertools-metrics-recorder';
import { metrics } from '../observability';
import { runningOutOfTime, scheduledJob } from '../scheduled';
import { completeCompensations, compensationsStillPending, oldestPendingCompensationSeconds } from '../use-cases/complete-compensations';
import { compensations } from '../wiring/compensations';
import { inventory } from '../wiring/inventory';
import { orders } from '../wiring/orders';
import { payments } from '../wiring/payments';
import { COMPENSATIONS_STILL_PENDING_METRIC, OLDEST_PENDING_COMPENSATION_METRIC } from '@orderflow/contracts';

const recorder = new PowertoolsMetricsRecorder(metrics);

/**
 * Every minute (EventBridge schedule): finishes the compensations the checkout could not
 * (stock still reserved, a payment still authorized or captured), until each is done. Each run
 * counts what it leaves pending (`CompensationsStillPending`, EMF): pending across the recovery
 * window is the operators' alarm, with the age of the oldest (`OldestPendingCompensationSeconds`).
 */
export const handler = scheduledJob('complete-compensations', async (context) => {
  const result = await completeCompensations(compensations(), { inventory: inventory(), orders: orders(), payments }, { shouldStop: runningOutOfTime(context) });
  recorder.count(COMPENSATIONS_STILL_PENDING_METRIC, compensationsStillPending(result), {});
  recorder.count(OLDEST_PENDING_COMPENSATION_METRIC, oldestPendingCompensationSeconds(result, new Date()), {});
  return result;
});
