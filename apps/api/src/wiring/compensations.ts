import { DynamoDbCompensationLog } from '../adapters/dynamodb-compensation-log';
import type { CompensationLog } from '../use-cases/complete-compensations';
import { documentClient } from './dynamodb';
import { apiEnvironment } from './environment';
import { processSingleton } from './lifecycle';

/** Compensations the checkout could not finish. */
export const compensations = processSingleton<CompensationLog>(() => new DynamoDbCompensationLog(documentClient(), apiEnvironment().tableName));
