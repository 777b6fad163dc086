import type { Context, ScheduledEvent } from 'aws-lambda';
import { logger, tracer, withInvocationLogger } from './observability';

/**
 * Wraps a job an EventBridge schedule runs (`rate(1 minute)`): its own logger with the
 * job's name and the scheduled event's id, a summary line, and errors rethrown so the
 * invocation counts as failed (the next tick runs the job again).
 */
export function scheduledJob<R>(
  job: string,
  run: (context: Context | undefined) => Promise<R>,
): (event?: Partial<ScheduledEvent> | null, context?: Context) => Promise<R> {
  return (event, context) =>
    withInvocationLogger({ job, scheduledEventId: event?.id, scheduledTime: event?.time }, context, async () => {
      tracer.putAnnotation('job', job);
      try {
        const result = await run(context);
        logger.info('job finished', { result });
        return result;
      } catch (error) {
        logger.error('job failed', { error });
        throw error;
      }
    });
}

/** Time a run keeps in hand when it stops: one item's work (with its retries) fits well inside. */
export const STOP_WITH_MS_LEFT = 15_000;

/** Asked before each item of a run: true once the invocation has less than STOP_WITH_MS_LEFT left (never without a context). */
export function runningOutOfTime(context: Context | undefined): () => boolean {
  return () => (context ? context.getRemainingTimeInMillis() < STOP_WITH_MS_LEFT : false);
}
