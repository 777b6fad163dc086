import { DynamoDbOrderRepository, type OrderRepository } from '@orderflow/orders';
import { documentClient } from './dynamodb';
import { apiEnvironment } from './environment';
import { processSingleton } from './lifecycle';

/** Order records on the table. */
export const orders = processSingleton<OrderRepository>(() => new DynamoDbOrderRepository(documentClient(), apiEnvironment().tableName));
