import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { keys, ORDER_TABLE, toErrorResponse } from '@orderflow/contracts';
import { type EventConsumer, parseOrderflowEvent, type ReceivedOrderflowEvent } from '@orderflow/events';
import type { Context } from 'aws-lambda';
import { logger, tracer, withInvocationLogger } from './observability';
import { dynamoDb } from './wiring/dynamodb';
import { apiEnvironment } from './wiring/environment';

/** How long a consumer remembers an event id: EventBridge retries within 24 h, archives replay later. */
export const CONSUMER_IDEMPOTENCY_SECONDS = 7 * 24 * 60 * 60;

/** What a consumer deduplicates on: `detail.eventId` (see `orderEventId`), else the envelope id. */
export const CONSUMER_IDEMPOTENCY_KEY = 'detail.eventId || id';

/**
 * Wraps an EventBridge consumer: the envelope is parsed and its detail validated (zod), and
 * the work runs once per event id (`CONSUMER_IDEMPOTENCY_KEY`) — Powertools Idempotency with its DynamoDB persistence
 * layer on the service's single table (PK `EVENT_CONSUMER#<consumer>`, SK the hashed event
 * id, TTL on `expiresAt`). A redelivered event returns the first result without running again.
 */
export function eventConsumer<R extends Record<string, unknown>>(
  consumer: EventConsumer,
  run: (event: ReceivedOrderflowEvent) => Promise<R>,
): (event: unknown, context?: Context) => Promise<R> {
  let idempotent: ((event: unknown, context: Context) => Promise<R>) | undefined;
  const config = new IdempotencyConfig({
    // The detail's stable event id when it has one (the same for a Step Functions retry and
    // an outbox redrive, where EventBridge gives each publication a new envelope id).
    eventKeyJmesPath: CONSUMER_IDEMPOTENCY_KEY,
    expiresAfterSeconds: CONSUMER_IDEMPOTENCY_SECONDS,
    throwOnNoIdempotencyKey: true,
  });

  const build = () => {
    const environment = apiEnvironment();
    const persistenceStore = new DynamoDBPersistenceLayer({
      tableName: environment.tableName,
      keyAttr: ORDER_TABLE.partitionKey.name,
      sortKeyAttr: ORDER_TABLE.sortKey.name,
      staticPkValue: keys.eventConsumerIdempotencyPartition(consumer),
      expiryAttr: ORDER_TABLE.timeToLiveAttribute,
      awsSdkV3Client: dynamoDb(),
    });
    return makeIdempotent(
      async (event: unknown, _context: Context): Promise<R> => {
        const received = parseOrderflowEvent(event);
        logger.appendKeys({ eventId: received.id, detailType: received.detailType, orderId: received.detail.orderId });
        return run(received);
      },
      { persistenceStore, config },
    );
  };

  return (event, context) => {
    const lambdaContext = context ?? localContext(consumer);
    return withInvocationLogger({ consumer }, lambdaContext, async () => {
      config.registerLambdaContext(lambdaContext);
      tracer.putAnnotation('consumer', consumer);
      try {
        idempotent ??= build();
        const result = await idempotent(event, lambdaContext);
        logger.info('event consumed', { result });
        return result;
      } catch (error) {
        // Rethrown: Lambda retries the asynchronous invocation, then the event goes to the DLQ.
        logger.error('event not consumed', { error, status: toErrorResponse(error).statusCode });
        throw error;
      }
    });
  };
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
