import { DynamoDbInventoryRepository, type InventoryRepository } from '@orderflow/inventory';
import { documentClient } from './dynamodb';
import { apiEnvironment } from './environment';
import { processSingleton } from './lifecycle';

/** Stock and reservations on the table. */
export const inventory = processSingleton<InventoryRepository>(
  () => new DynamoDbInventoryRepository(documentClient(), apiEnvironment().tableName),
);
