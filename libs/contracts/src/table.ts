/**
 * The single DynamoDB table of DESIGN.md, defined once. CDK builds the AWS table from it
 * and the local launcher creates DynamoDB Local tables from it.
 */
export const ORDER_TABLE = {
  partitionKey: { name: 'PK', type: 'S' },
  sortKey: { name: 'SK', type: 'S' },
  globalSecondaryIndexes: [
    {
      indexName: 'GSI1',
      partitionKey: { name: 'GSI1PK', type: 'S' },
      sortKey: { name: 'GSI1SK', type: 'S' },
      projection: 'ALL',
    },
  ],
  timeToLiveAttribute: 'expiresAt',
  billingMode: 'PAY_PER_REQUEST',
} as const;

export const GSI1 = ORDER_TABLE.globalSecondaryIndexes[0];

/** Structural subset of the SDK's CreateTableCommandInput, so contracts needs no AWS SDK. */
export interface CreateTableInput {
  TableName: string;
  BillingMode: 'PAY_PER_REQUEST';
  AttributeDefinitions: { AttributeName: string; AttributeType: 'S' | 'N' | 'B' }[];
  KeySchema: { AttributeName: string; KeyType: 'HASH' | 'RANGE' }[];
  GlobalSecondaryIndexes: {
    IndexName: string;
    KeySchema: { AttributeName: string; KeyType: 'HASH' | 'RANGE' }[];
    Projection: { ProjectionType: 'ALL' };
  }[];
}

export function createTableInput(tableName: string): CreateTableInput {
  const t = ORDER_TABLE;
  const attributes = [t.partitionKey, t.sortKey, ...t.globalSecondaryIndexes.flatMap((g) => [g.partitionKey, g.sortKey])];
  return {
    TableName: tableName,
    BillingMode: t.billingMode,
    AttributeDefinitions: attributes.map((a) => ({ AttributeName: a.name, AttributeType: a.type })),
    KeySchema: [
      { AttributeName: t.partitionKey.name, KeyType: 'HASH' },
      { AttributeName: t.sortKey.name, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: t.globalSecondaryIndexes.map((g) => ({
      IndexName: g.indexName,
      KeySchema: [
        { AttributeName: g.partitionKey.name, KeyType: 'HASH' },
        { AttributeName: g.sortKey.name, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: g.projection },
    })),
  };
}

/**
 * Statuses of an outbox item: the checkout writes PENDING (indexed under
 * `keys.outboxPending`), the redrive sets PUBLISHED, or FAILED for an event that can never
 * be published (invalid), both leaving the pending index.
 */
export const OUTBOX_STATUS = { pending: 'PENDING', published: 'PUBLISHED', failed: 'FAILED' } as const;

/**
 * Compensation steps of the checkout that can be finished later: when one still fails after
 * the workflow's retries, the workflow records it (`keys.compensation`, pending in GSI1 under
 * `keys.compensationPending`) and the scheduled `complete-compensations` job retries it.
 */
export const COMPENSATION_ACTIONS = ['RELEASE_RESERVATIONS', 'VOID_PAYMENT', 'REFUND_PAYMENT', 'CANCEL_ORDER'] as const;
export type CompensationAction = (typeof COMPENSATION_ACTIONS)[number];

/**
 * Statuses of a recorded compensation: PENDING (indexed for the sweep), DONE once it went
 * through, FAILED when it can never go through (an operator's case); both leave the index.
 */
export const COMPENSATION_STATUS = { pending: 'PENDING', done: 'DONE', failed: 'FAILED' } as const;

/**
 * Statuses of a checkout's claim (idempotency record): IN_PROGRESS while it runs, COMPLETED
 * with its answer (replayed), RELEASED after a 5xx once nothing is held, free for a retry.
 */
export const IDEMPOTENCY_STATUS = { inProgress: 'IN_PROGRESS', completed: 'COMPLETED', released: 'RELEASED' } as const;

const eventConsumerPartition = (consumer: string) => `EVENT_CONSUMER#${consumer}`;

/** Key formats of the items in DESIGN.md's data table. */
export const keys = {
  product: (productId: string) => ({ PK: `PRODUCT#${productId}`, SK: 'PRODUCT' }),
  stock: (productId: string) => ({ PK: `PRODUCT#${productId}`, SK: 'STOCK' }),
  reservation: (orderId: string, productId: string) => ({ PK: `ORDER#${orderId}`, SK: `RESERVATION#${productId}` }),
  reservationPrefix: 'RESERVATION#',
  order: (orderId: string) => ({ PK: `ORDER#${orderId}`, SK: 'ORDER' }),
  orderPartition: (orderId: string) => `ORDER#${orderId}`,
  /** GSI1 keys of an order: `<createdAt>#<orderId>` keeps two orders of the same instant apart. */
  customerOrders: (customerId: string, createdAt: string, orderId: string) => ({
    GSI1PK: `CUSTOMER#${customerId}`,
    GSI1SK: `${createdAt}#${orderId}`,
  }),
  customerPartition: (customerId: string) => `CUSTOMER#${customerId}`,
  /** Marks an order's reservations as released: no reservation for the order can be made afterwards. */
  reservationRelease: (orderId: string) => ({ PK: `ORDER#${orderId}`, SK: 'RESERVATIONS_RELEASED' }),
  /** GSI1 keys of a product item, so products are listed with a Query (ordered by id), never a Scan. */
  catalogIndex: (productId: string) => ({ GSI1PK: 'CATALOG', GSI1SK: productId }),
  catalogPartition: 'CATALOG',
  /** The order confirmation the send-confirmation consumer produced for an order. */
  orderConfirmation: (orderId: string) => ({ PK: `ORDER#${orderId}`, SK: 'CONFIRMATION' }),
  /** Partition of the events a consumer has processed (its own, so its IAM access is exact). */
  eventConsumerIdempotencyPartition: eventConsumerPartition,
  /** An event a consumer has processed (claimed by a conditional put, removed by TTL). */
  processedEvent: (consumer: string, eventId: string) => ({ PK: eventConsumerPartition(consumer), SK: `EVENT#${eventId}` }),
  /** An event the checkout could not publish after the order was placed, kept for a redrive. */
  outbox: (orderId: string, detailType: string) => ({ PK: `OUTBOX#${orderId}`, SK: `EVENT#${detailType}` }),
  /**
   * GSI1 keys of an outbox event still to be published: the redrive queries this one
   * partition oldest first, never a Scan. Sparse: removed once the event is published.
   */
  outboxPending: (createdAt: string, orderId: string, detailType: string) => ({
    GSI1PK: 'OUTBOX',
    GSI1SK: `${createdAt}#${orderId}#${detailType}`,
  }),
  outboxPendingPartition: 'OUTBOX',
  /** A compensation step of an order that failed after the workflow's retries, kept for the sweep. */
  compensation: (orderId: string, action: string) => ({ PK: `COMPENSATION#${orderId}`, SK: `ACTION#${action}` }),
  /** GSI1 keys of a compensation still to do (sparse, like the outbox's): the sweep queries this partition. */
  compensationPending: (createdAt: string, orderId: string, action: string) => ({
    GSI1PK: 'COMPENSATION',
    GSI1SK: `${createdAt}#${orderId}#${action}`,
  }),
  compensationPendingPartition: 'COMPENSATION',
  /**
   * The price an order was first quoted (the priced cart), kept for a checkout with an
   * Idempotency-Key: an execution that takes the key over resumes the order at this price.
   */
  orderQuote: (orderId: string) => ({ PK: `QUOTE#${orderId}`, SK: 'QUOTE' }),
  idempotency: (customerId: string, idempotencyKey: string) => ({
    PK: `IDEMPOTENCY#${customerId}#${idempotencyKey}`,
    SK: 'IDEMPOTENCY',
  }),
  /**
   * GSI1 keys of a checkout still in flight (its claim record, IN_PROGRESS): the
   * recover-checkouts job queries this one partition, oldest first, for claims whose lock
   * expired — executions that died. Sparse: the keys are removed when the checkout answers.
   */
  checkoutInFlight: (createdAt: string, orderId: string) => ({ GSI1PK: 'CHECKOUT', GSI1SK: `${createdAt}#${orderId}` }),
  checkoutInFlightPartition: 'CHECKOUT',
} as const;

/**
 * The claim key of a checkout sent without an Idempotency-Key: its execution's name, behind a
 * space (a character no Idempotency-Key may hold, so it never meets a client's key). Every
 * checkout claims a record, so one that dies is found and finished by the same recovery.
 */
export function executionClaimKey(executionName: string): string {
  return `execution ${executionName}`;
}
