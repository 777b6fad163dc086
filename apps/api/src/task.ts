import { OrderflowError, type TaskCorrelation, toErrorResponse, zodIssuesToDetails } from '@orderflow/contracts';
import type { Context } from 'aws-lambda';
import type { z } from 'zod';
import { logger, tracer, withInvocationLogger } from './observability';

/** The state machine sent a payload its task does not accept: a bug in the ASL, never the client's. */
export class TaskInputError extends OrderflowError {
  override name = 'TaskInputError';
  constructor(task: string, issues: z.core.$ZodIssue[]) {
    super('INTERNAL', `${task} received an invalid payload.`, zodIssuesToDetails(issues));
  }
}

/**
 * The error a task hands back to Step Functions. Its `name` is the original error's stable
 * name (Step Functions matches Retry and Catch on it); its message is the JSON of
 * `toErrorResponse(error)`, so the workflow answers with the catalogue's status and body
 * (the one error -> HTTP mapping) without knowing the error. Stacks stay in the cause,
 * which the workflow never copies into a response.
 */
export class WorkflowTaskError extends Error {
  override name: string;
  constructor(original: unknown) {
    super(JSON.stringify(toErrorResponse(original)));
    this.name = original instanceof Error && original.name ? original.name : 'Error';
    if (original instanceof Error && original.stack) this.stack = original.stack;
  }
}

interface CorrelatedPayload {
  correlation: TaskCorrelation;
}

/**
 * Wraps a workflow task: parse the payload with its zod schema, log with the execution's
 * correlation ids, run the use case, hand errors back as WorkflowTaskError.
 */
export function workflowTask<S extends z.ZodType<CorrelatedPayload>, R>(
  task: string,
  schema: S,
  run: (input: z.infer<S>) => Promise<R>,
): (event: unknown, context?: Context) => Promise<R> {
  return (event, context) => {
    const correlation = (event as Partial<CorrelatedPayload> | null)?.correlation;
    // A logger of this invocation's own: concurrent invocations never share correlation keys.
    return withInvocationLogger(
      { task, correlationId: correlation?.executionName, requestId: correlation?.requestId },
      context,
      async () => {
        tracer.putAnnotation('task', task);
        if (correlation?.executionName) tracer.putAnnotation('execution', correlation.executionName);
        try {
          const parsed = schema.safeParse(event);
          if (!parsed.success) throw new TaskInputError(task, parsed.error.issues);
          const result = await run(parsed.data);
          logger.debug('task succeeded', { result });
          return result;
        } catch (error) {
          const response = toErrorResponse(error);
          if (response.statusCode >= 500) logger.error('task failed', { error });
          else logger.info('task rejected', { errorName: (error as Error).name, status: response.statusCode });
          throw new WorkflowTaskError(error);
        }
      },
    );
  };
}
