/**
 * Port: which events a consumer has processed. EventBridge delivers at least once, and an
 * event may also be published twice (a Step Functions retry of PutEvents, an outbox redrive):
 * a consumer whose work is not idempotent by itself records the event id first.
 */
export interface ProcessedEventLog {
  /** Records that `consumer` processes `eventId`; false when it had been recorded before. */
  claim(consumer: string, eventId: string): Promise<boolean>;
  /** Forgets a claim whose processing failed, so the retry of the event processes it. */
  release(consumer: string, eventId: string): Promise<void>;
}

/**
 * Runs `work` once per event id: the first delivery claims the id and runs it (a failure
 * releases the claim and is rethrown, so Lambda's retry runs it again); a later delivery of
 * the same id, or one arriving while the first still runs, runs nothing and answers
 * `duplicate()`. One write per event instead of a two-phase record: a process killed between
 * claim and end (a timeout) leaves the claim, so for that case the work runs at most once —
 * meant for short work (a metric), not for effects that must happen.
 */
export async function processOnce<R, D>(
  log: ProcessedEventLog,
  consumer: string,
  eventId: string,
  work: () => R | Promise<R>,
  duplicate: () => D,
): Promise<R | D> {
  if (!(await log.claim(consumer, eventId))) return duplicate();
  try {
    return await work();
  } catch (error) {
    await log.release(consumer, eventId);
    throw error;
  }
}
