import { keys } from '@orderflow/contracts';
import { CHECKOUT_TASK_FUNCTIONS, type CheckoutTaskFunction } from '@orderflow/order-workflow';

/**
 * What a handler may do with the table, per DESIGN.md's data table: actions on items whose
 * partition key matches one of `leadingKeys` (IAM `dynamodb:LeadingKeys`, StringLike), and
 * Queries of GSI1 in the partitions matching `indexPartitions`. The patterns are built from
 * the key formats of contracts, so they follow the data layout.
 */
export interface TableAccess {
  items?: readonly { actions: readonly string[]; leadingKeys: readonly string[] }[];
  /** GSI1 partition keys the handler may Query (`dynamodb:Query` on the index only). */
  indexPartitions?: readonly string[];
}

/** A key pattern from a contracts key format: every argument becomes `*`. */
const any = '*';
export const KEY_PATTERNS = {
  product: keys.product(any).PK, // PRODUCT#*: product and stock items
  order: keys.orderPartition(any), // ORDER#*: order, reservations, release marker, confirmation
  outbox: keys.outbox(any, any).PK, // OUTBOX#*
  compensation: keys.compensation(any, any).PK, // COMPENSATION#*
  quote: keys.orderQuote(any).PK, // QUOTE#*
  catalogIndex: keys.catalogPartition, // GSI1 CATALOG
  customerIndex: keys.customerPartition(any), // GSI1 CUSTOMER#*
  outboxIndex: keys.outboxPendingPartition, // GSI1 OUTBOX
  compensationIndex: keys.compensationPendingPartition, // GSI1 COMPENSATION
  claim: keys.idempotency(any, any).PK, // IDEMPOTENCY#*#*: checkout claims (idempotency records)
  checkoutInFlightIndex: keys.checkoutInFlightPartition, // GSI1 CHECKOUT
  consumer: (consumer: string) => keys.eventConsumerIdempotencyPartition(consumer), // exact: its own records only
} as const;

/** Products and their stock, read in batches (priceCart, getProduct). */
const READ_PRODUCTS: TableAccess = { items: [{ actions: ['dynamodb:BatchGetItem'], leadingKeys: [KEY_PATTERNS.product] }] };
const LIST_PRODUCTS: TableAccess = { ...READ_PRODUCTS, indexPartitions: [KEY_PATTERNS.catalogIndex] };
/** Pricing an order: the products, and the order's first quote (read back for a resumed order, written once). */
const PRICE_ORDER: TableAccess = {
  items: [...(READ_PRODUCTS.items ?? []), { actions: ['dynamodb:GetItem', 'dynamodb:PutItem'], leadingKeys: [KEY_PATTERNS.quote] }],
};
/** Reservations: the stock (PRODUCT#) and the order's reservation items (ORDER#), in transactions. */
const RESERVE_STOCK: TableAccess = {
  items: [
    {
      actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem'],
      leadingKeys: [KEY_PATTERNS.product, KEY_PATTERNS.order],
    },
  ],
};
const WRITE_ORDERS: TableAccess = {
  items: [{ actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], leadingKeys: [KEY_PATTERNS.order] }],
};
/** A consumer's processed-event log (claim: conditional PutItem; release: DeleteItem), in its own partition. */
const processedEventLogAccess = (consumer: string): TableAccess => ({
  items: [{ actions: ['dynamodb:PutItem', 'dynamodb:DeleteItem'], leadingKeys: [KEY_PATTERNS.consumer(consumer)] }],
});
/** The outbox redrive: reads the pending partition of GSI1, updates outbox items. */
const REDRIVE_OUTBOX: TableAccess = {
  items: [{ actions: ['dynamodb:UpdateItem'], leadingKeys: [KEY_PATTERNS.outbox] }],
  indexPartitions: [KEY_PATTERNS.outboxIndex],
};

/**
 * The compensation sweep: reads the pending partition of GSI1 and updates compensation items;
 * a release (the order's reservations and release marker, the stock, in transactions); the
 * cancelled order's payment status.
 */
const COMPLETE_COMPENSATIONS: TableAccess = {
  items: [
    { actions: ['dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:GetItem'], leadingKeys: [KEY_PATTERNS.order] },
    { actions: ['dynamodb:UpdateItem'], leadingKeys: [KEY_PATTERNS.product, KEY_PATTERNS.order, KEY_PATTERNS.compensation] },
  ],
  indexPartitions: [KEY_PATTERNS.compensationIndex],
};

/** The recovery job: reads the in-flight partition of GSI1 and sets aside claims it gives up on. */
const RECOVER_CHECKOUTS: TableAccess = {
  items: [{ actions: ['dynamodb:UpdateItem'], leadingKeys: [KEY_PATTERNS.claim] }],
  indexPartitions: [KEY_PATTERNS.checkoutInFlightIndex],
};

/**
 * Memory of the functions that call a payment provider. They wait ~400 ms on the provider per
 * call with ~2 ms of CPU; Lambda bills memory × duration, so at the default 512 MB that wait
 * was 0.4 of the 0.5 GB-s of a checkout (docs/performance.md). 256 MB still gives them a
 * seventh of a vCPU, plenty for a 2 ms handler; 128 MB would make the cold start slow.
 */
export const PAYMENT_FUNCTION_MEMORY_MB = 256;
/** Every other function. */
export const DEFAULT_FUNCTION_MEMORY_MB = 512;

export interface HandlerSpec {
  /** File name in apps/api/src/handlers (kebab-case), exporting `handler`. */
  handler: string;
  timeoutSeconds: number;
  table?: TableAccess;
  /** Needs the payment provider secrets. */
  payments?: boolean;
  /** Publishes on the bus (EVENT_BUS_NAME, events:PutEvents). */
  publishesEvents?: boolean;
  /** Starts checkout executions (STATE_MACHINE_ARN, states:StartExecution on the checkout machine). */
  startsCheckouts?: boolean;
  /** More environment variables. */
  environment?: Readonly<Record<string, string>>;
  /** Answers HTTP requests (ALLOWED_ORIGINS, for CORS). */
  http?: boolean;
  /**
   * Publishes metrics (EMF documents on stdout). Such a function keeps Lambda's text log format:
   * with Lambda's level filtering an EMF document (no `level`) counts as INFO and would be
   * dropped at any level above it, and with it the metric.
   */
  emitsMetrics?: boolean;
  memorySize?: number;
}

const taskAccess: Record<CheckoutTaskFunction, Omit<HandlerSpec, 'handler' | 'timeoutSeconds'>> = {
  priceCart: { table: PRICE_ORDER },
  reserveLine: { table: RESERVE_STOCK },
  releaseReservations: { table: RESERVE_STOCK },
  authorizePayment: { payments: true, memorySize: PAYMENT_FUNCTION_MEMORY_MB },
  saveOrder: { table: WRITE_ORDERS },
  capturePayment: { payments: true, memorySize: PAYMENT_FUNCTION_MEMORY_MB },
  recordCapture: { table: WRITE_ORDERS },
  voidPayment: { payments: true, memorySize: PAYMENT_FUNCTION_MEMORY_MB },
  refundPayment: { payments: true, memorySize: PAYMENT_FUNCTION_MEMORY_MB },
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
  {
    method: 'GET',
    path: '/orders/{orderId}',
    spec: { handler: 'get-order', timeoutSeconds: 5, table: { items: [{ actions: ['dynamodb:GetItem'], leadingKeys: [KEY_PATTERNS.order] }] } },
  },
  { method: 'GET', path: '/products', spec: { handler: 'list-products', timeoutSeconds: 5, table: LIST_PRODUCTS } },
  { method: 'GET', path: '/products/{productId}', spec: { handler: 'get-product', timeoutSeconds: 5, table: READ_PRODUCTS } },
  {
    method: 'GET',
    path: '/me/orders',
    spec: { handler: 'list-my-orders', timeoutSeconds: 5, table: { indexPartitions: [KEY_PATTERNS.customerIndex] } },
  },
  {
    method: 'GET',
    path: '/customers/{customerId}/orders',
    spec: { handler: 'list-customer-orders', timeoutSeconds: 5, table: { indexPartitions: [KEY_PATTERNS.customerIndex] } },
  },
  {
    method: 'POST',
    path: '/paypal/orders',
    spec: { handler: 'create-paypal-order', timeoutSeconds: 10, table: READ_PRODUCTS, payments: true, memorySize: PAYMENT_FUNCTION_MEMORY_MB },
  },
] as const satisfies readonly { method: string; path: string; spec: HandlerSpec }[];

/** Event consumers, by the consumer names of @orderflow/events' rules. */
export const CONSUMER_HANDLERS = {
  'send-confirmation': {
    handler: 'send-confirmation',
    timeoutSeconds: 10,
    // The confirmation item in the order's partition, written once (its own deduplication).
    table: { items: [{ actions: ['dynamodb:PutItem'], leadingKeys: [KEY_PATTERNS.order] }] },
  },
  'record-metrics': { handler: 'record-metrics', timeoutSeconds: 10, table: processedEventLogAccess('record-metrics'), emitsMetrics: true },
} as const satisfies Record<string, HandlerSpec>;

/** Jobs run by an EventBridge schedule: the handler, and the rule's schedule expression. */
export const SCHEDULED_HANDLERS = [
  {
    id: 'RedriveOutboxSchedule',
    description: 'Every minute: publish the order events the checkout could not publish (the outbox)',
    rateMinutes: 1,
    spec: { handler: 'redrive-outbox', timeoutSeconds: 60, table: REDRIVE_OUTBOX, publishesEvents: true },
  },
  {
    id: 'CompleteCompensationsSchedule',
    description: 'Every minute: finish the compensations the checkout could not (release stock, void or refund payments)',
    rateMinutes: 1,
    spec: {
      handler: 'complete-compensations',
      timeoutSeconds: 60,
      table: COMPLETE_COMPENSATIONS,
      payments: true,
      emitsMetrics: true,
      memorySize: PAYMENT_FUNCTION_MEMORY_MB,
    },
  },
  {
    id: 'RecoverCheckoutsSchedule',
    description: 'Every minute, in twelve passes: resume the checkouts whose execution died, so no stock or money stays held',
    rateMinutes: 1,
    spec: {
      handler: 'recover-checkouts',
      timeoutSeconds: 60,
      table: RECOVER_CHECKOUTS,
      startsCheckouts: true,
      emitsMetrics: true,
      // Passes 5 s apart: a claim is resumed at most 5 s after its lock expired, so a dead checkout
      // is taken up ≤ lock + 5 s = 54 s after it died (the recovery window: ≤ 60 s).
      environment: { RECOVERY_PASSES: '12', RECOVERY_PASS_INTERVAL_SECONDS: '5' },
      // Asleep between its passes most of the minute: the smallest size, billed while it waits.
      memorySize: 128,
    },
  },
] as const satisfies readonly { id: string; description: string; rateMinutes: number; spec: HandlerSpec }[];
