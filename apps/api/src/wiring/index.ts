// The adapters of every concern, for tests and tools. Handlers import the one module of the
// concern they use (`../wiring/orders`), so their bundles hold nothing else.
export { catalog } from './catalog';
export { compensations } from './compensations';
export { confirmations } from './confirmations';
export { documentClient, dynamoDb } from './dynamodb';
export { type ApiEnvironment, apiEnvironment, ConfigurationError, readApiEnvironment } from './environment';
export { eventPublisher } from './events';
export { inventory } from './inventory';
export { processSingleton, resetWiring } from './lifecycle';
export { orders } from './orders';
export { outbox } from './outbox';
export { payments } from './payments';
export { PROCESSED_EVENT_RETENTION_SECONDS, processedEvents } from './processed-events';
export { quotes } from './quotes';
