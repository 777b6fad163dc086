import { CHECKOUT_TASK_FUNCTIONS, type CheckoutTaskFunction } from '@orderflow/order-workflow';

/** What a handler may do with the table: DynamoDB actions, on the table and maybe GSI1. */
export interface TableAccess {
  actions: readonly string[];
  index?: boolean;
}

const READ_CATALOG: TableAccess = { actions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'], index: true };
const RESERVE_STOCK: TableAccess = {
  actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem'],
};
const WRITE_ORDERS: TableAccess = { actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'] };
/** Powertools Idempotency's persistence layer on the same table, plus the consumer's own write. */
const CONSUMER_IDEMPOTENCY: TableAccess = {
  actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
};

/** The outbox redrive: reads the pending partition of GSI1, updates outbox items. */
const REDRIVE_OUTBOX: TableAccess = { actions: ['dynamodb:Query', 'dynamodb:UpdateItem'], index: true };

export interface HandlerSpec {
  /** File name in apps/api/src/handlers (kebab-case), exporting `handler`. */
  handler: string;
  timeoutSeconds: number;
  table?: TableAccess;
  /** Needs the payment provider secrets. */
  payments?: boolean;
  /** Publishes on the bus (EVENT_BUS_NAME, events:PutEvents). */
  publishesEvents?: boolean;
  memorySize?: number;
}

const taskAccess: Record<CheckoutTaskFunction, Omit<HandlerSpec, 'handler' | 'timeoutSeconds'>> = {
  priceCart: { table: READ_CATALOG },
  reserveLine: { table: RESERVE_STOCK },
  releaseReservations: { table: RESERVE_STOCK },
  authorizePayment: { payments: true },
  saveOrder: { table: WRITE_ORDERS },
  capturePayment: { payments: true },
  recordCapture: { table: WRITE_ORDERS },
  voidPayment: { payments: true },
  refundPayment: { payments: true },
  cancelOrder: { table: WRITE_ORDERS },
};

/** The workflow's task functions, as the order-workflow library names them. */
export const TASK_HANDLERS: Record<CheckoutTaskFunction, HandlerSpec> = Object.fromEntries(
  (Object.keys(CHECKOUT_TASK_FUNCTIONS) as CheckoutTaskFunction[]).map((name) => [
    name,
    { handler: CHECKOUT_TASK_FUNCTIONS[name].handler, timeoutSeconds: CHECKOUT_TASK_FUNCTIONS[name].timeoutSeconds, ...taskAccess[name] },
  ]),
) as Record<CheckoutTaskFunction, HandlerSpec>;

/** Lambda proxy routes of the REST API. */
export const ROUTE_HANDLERS = [
  { method: 'GET', path: '/orders/{orderId}', spec: { handler: 'get-order', timeoutSeconds: 5, table: { actions: ['dynamodb:GetItem'] } } },
  { method: 'GET', path: '/products', spec: { handler: 'list-products', timeoutSeconds: 5, table: READ_CATALOG } },
  { method: 'GET', path: '/products/{productId}', spec: { handler: 'get-product', timeoutSeconds: 5, table: READ_CATALOG } },
  {
    method: 'GET',
    path: '/customers/{customerId}/orders',
    spec: { handler: 'list-customer-orders', timeoutSeconds: 5, table: { actions: ['dynamodb:Query'], index: true } },
  },
  {
    method: 'POST',
    path: '/paypal/orders',
    spec: { handler: 'create-paypal-order', timeoutSeconds: 10, table: READ_CATALOG, payments: true },
  },
] as const satisfies readonly { method: string; path: string; spec: HandlerSpec }[];

/** Event consumers, by the consumer names of @orderflow/events' rules. */
export const CONSUMER_HANDLERS = {
  'send-confirmation': { handler: 'send-confirmation', timeoutSeconds: 10, table: CONSUMER_IDEMPOTENCY },
  'record-metrics': { handler: 'record-metrics', timeoutSeconds: 10, table: CONSUMER_IDEMPOTENCY },
} as const satisfies Record<string, HandlerSpec>;

/** Jobs run by an EventBridge schedule: the handler, and the rule's schedule expression. */
export const SCHEDULED_HANDLERS = [
  {
    id: 'RedriveOutboxSchedule',
    description: 'Every minute: publish the order events the checkout could not publish (the outbox)',
    rateMinutes: 1,
    spec: { handler: 'redrive-outbox', timeoutSeconds: 60, table: REDRIVE_OUTBOX, publishesEvents: true },
  },
] as const satisfies readonly { id: string; description: string; rateMinutes: number; spec: HandlerSpec }[];
