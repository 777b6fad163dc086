import { DynamoDbQuoteStore } from '../adapters/dynamodb-quote-store';
import type { QuoteStore } from '../use-cases/price-order';
import { documentClient } from './dynamodb';
import { apiEnvironment } from './environment';
import { processSingleton } from './lifecycle';

/** The price each resumable order was first quoted. */
export const quotes = processSingleton<QuoteStore>(() => new DynamoDbQuoteStore(documentClient(), apiEnvironment().tableName));
