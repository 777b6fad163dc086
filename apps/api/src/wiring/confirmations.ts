import { DynamoDbConfirmationOutbox } from '../adapters/dynamodb-confirmation-outbox';
import type { ConfirmationSender } from '../use-cases/send-order-confirmation';
import { documentClient } from './dynamodb';
import { apiEnvironment } from './environment';
import { processSingleton } from './lifecycle';

/** Order confirmations, written once per order in the order's partition. */
export const confirmations = processSingleton<ConfirmationSender>(
  () => new DynamoDbConfirmationOutbox(documentClient(), apiEnvironment().tableName),
);
