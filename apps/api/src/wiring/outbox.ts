import { DynamoDbEventOutbox } from '../adapters/dynamodb-event-outbox';
import type { EventOutbox } from '../use-cases/redrive-outbox';
import { documentClient } from './dynamodb';
import { apiEnvironment } from './environment';
import { processSingleton } from './lifecycle';

/** Events the checkout could not publish. */
export const outbox = processSingleton<EventOutbox>(() => new DynamoDbEventOutbox(documentClient(), apiEnvironment().tableName));
