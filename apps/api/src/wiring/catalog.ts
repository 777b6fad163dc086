import { type CatalogRepository, DynamoDbCatalogRepository } from '@orderflow/catalog';
import { documentClient } from './dynamodb';
import { apiEnvironment } from './environment';
import { processSingleton } from './lifecycle';

/** Products and prices on the table. */
export const catalog = processSingleton<CatalogRepository>(() => new DynamoDbCatalogRepository(documentClient(), apiEnvironment().tableName));
