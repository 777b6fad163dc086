import { CHECKOUTS_SET_ASIDE_METRIC, OLDEST_EXPIRED_CHECKOUT_METRIC } from '@orderflow/contracts';
import { PowertoolsMetricsRecorder } from '../adapters/powertools-metrics-recorder';
import { metrics } from '../observability';
import { scheduledJob } from '../scheduled';
import { recoverCheckouts, type RecoveryResult } from '../use-cases/recover-checkouts';
import { apiEnvironment } from '../wiring/environment';
import { checkoutStarter, inFlightCheckouts } from '../wiring/recovery';

const recorder = new PowertoolsMetricsRecorder(metrics);

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Every minute (EventBridge schedule), in RECOVERY_PASSES passes RECOVERY_PASS_INTERVAL_SECONDS
 * apart (a schedule cannot tick faster than a minute; the recovery window is the lock plus one
 * interval): resumes every checkout whose execution died, so nothing it held stays held. Each run
 * counts the claims it set aside for an operator and how late the oldest dead one was (EMF).
 */
export const handler = scheduledJob('recover-checkouts', async (): Promise<RecoveryResult> => {
  const { recoveryPasses, recoveryPassIntervalSeconds } = apiEnvironment();
  const total: RecoveryResult = { resumed: [], setAside: [], failed: [], oldestExpiredSeconds: 0 };
  for (let pass = 0; pass < recoveryPasses; pass++) {
    if (pass > 0) await sleep(recoveryPassIntervalSeconds * 1000);
    const result = await recoverCheckouts(inFlightCheckouts(), checkoutStarter());
    total.resumed.push(...result.resumed);
    total.setAside.push(...result.setAside);
    total.failed.push(...result.failed);
    total.oldestExpiredSeconds = Math.max(total.oldestExpiredSeconds, result.oldestExpiredSeconds);
  }
  recorder.count(CHECKOUTS_SET_ASIDE_METRIC, total.setAside.length, {});
  recorder.count(OLDEST_EXPIRED_CHECKOUT_METRIC, total.oldestExpiredSeconds, {});
  return total;
});
