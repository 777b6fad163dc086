import { DynamoDbProcessedEventLog } from '../adapters/dynamodb-processed-event-log';
import type { ProcessedEventLog } from '../use-cases/process-once';
import { documentClient } from './dynamodb';
import { apiEnvironment } from './environment';
import { processSingleton } from './lifecycle';

/** How long a consumer remembers an event id: EventBridge retries within 24 h, archives replay later. */
export const PROCESSED_EVENT_RETENTION_SECONDS = 7 * 24 * 60 * 60;

/** The events each consumer has processed, on the table (TTL). */
export const processedEvents = processSingleton<ProcessedEventLog>(
  () => new DynamoDbProcessedEventLog(documentClient(), apiEnvironment().tableName, PROCESSED_EVENT_RETENTION_SECONDS),
);
