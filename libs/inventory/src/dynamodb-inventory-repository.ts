import type { CancellationReason } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { keys, queryAll, retryWithBackoff, sleep } from '@orderflow/contracts';
import { z } from 'zod';
import { InventoryRecordInvalidError } from './errors';
import type {
  InventoryRepository,
  ReleaseAttempt,
  Reservation,
  ReserveAttempt,
  StockLevel,
} from './inventory-repository';
import { DEFAULT_CONFLICT_RETRY, type RetryPolicy } from './retry';

export interface DynamoDbInventoryRepositoryOptions {
  /** Retries of transactions cancelled by a conflict with a concurrent one. */
  retry?: Partial<RetryPolicy>;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

const ReservationItemSchema = z.object({
  orderId: z.string().min(1),
  productId: z.string().min(1),
  quantity: z.number().int().min(1),
  status: z.enum(['RESERVED', 'RELEASED']),
  reservedAt: z.string(),
  releasedAt: z.string().optional(),
});
const StockItemSchema = z.object({ available: z.number().int() });

/** Cancellation reasons worth a retry: another transaction held the item, or throttling. */
const TRANSIENT_REASONS = new Set(['TransactionConflict', 'ThrottlingError', 'ProvisionedThroughputExceeded']);

type Item = Record<string, unknown>;

/**
 * Inventory on the single table. Stock items (`PRODUCT#<id>`/`STOCK`, attribute `available`)
 * are decremented only inside a transaction that also creates the reservation record
 * (`ORDER#<orderId>`/`RESERVATION#<productId>`); the record's `attribute_not_exists`
 * condition is what makes a repeated reservation a no-op. A release marker
 * (`ORDER#<orderId>`/`RESERVATIONS_RELEASED`) closes the order to new reservations.
 */
export class DynamoDbInventoryRepository implements InventoryRepository {
  private readonly retry: RetryPolicy;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: DynamoDbInventoryRepositoryOptions = {},
  ) {
    this.retry = { ...DEFAULT_CONFLICT_RETRY, ...options.retry };
    this.sleep = options.sleep ?? sleep;
    this.random = options.random ?? Math.random;
  }

  async reserveLine(orderId: string, line: { productId: string; quantity: number }): Promise<ReserveAttempt> {
    const reservation: Reservation = {
      orderId,
      productId: line.productId,
      quantity: line.quantity,
      status: 'RESERVED',
      reservedAt: new Date().toISOString(),
    };
    const command = new TransactWriteCommand({
      TransactItems: [
        {
          Update: {
            TableName: this.tableName,
            Key: keys.stock(line.productId),
            UpdateExpression: 'SET available = available - :quantity, updatedAt = :now',
            ConditionExpression: 'attribute_exists(available) AND available >= :quantity',
            ExpressionAttributeValues: { ':quantity': line.quantity, ':now': reservation.reservedAt },
            // The current stock comes back with the cancellation: OutOfStockError names it.
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        },
        {
          Put: {
            TableName: this.tableName,
            Item: { ...keys.reservation(orderId, line.productId), type: 'RESERVATION', ...reservation },
            ConditionExpression: 'attribute_not_exists(PK)',
            // The existing reservation comes back: a retry is told apart from a conflict.
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        },
        {
          ConditionCheck: {
            TableName: this.tableName,
            Key: keys.reservationRelease(orderId),
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
      ],
    });

    const reasons = await this.transact(command);
    if (!reasons) return { outcome: 'reserved', reservation };
    const [stock, existing, released] = reasons;
    if (released?.Code === 'ConditionalCheckFailed') return { outcome: 'order-released' };
    if (existing?.Code === 'ConditionalCheckFailed') {
      const found = existing.Item
        ? parseReservation(unmarshall(existing.Item), keys.reservation(orderId, line.productId))
        : await this.getReservation(orderId, line.productId);
      if (!found || found.status === 'RELEASED') return { outcome: 'order-released' };
      return { outcome: 'already-reserved', reservation: found };
    }
    if (stock?.Code === 'ConditionalCheckFailed') {
      if (!stock.Item) return { outcome: 'unknown-product' };
      const item = unmarshall(stock.Item);
      if (item['available'] === undefined) return { outcome: 'unknown-product' };
      return { outcome: 'out-of-stock', available: parseStock(item, keys.stock(line.productId)) };
    }
    throw new Error(`reservation transaction cancelled for an unexpected reason: ${JSON.stringify(reasons.map((r) => r.Code))}`);
  }

  async listReservations(orderId: string): Promise<Reservation[]> {
    const items = await queryAll(async ({ exclusiveStartKey }) => {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
          ExpressionAttributeValues: { ':pk': keys.orderPartition(orderId), ':prefix': keys.reservationPrefix },
          // Strongly consistent: a release must see every reservation committed before it.
          ConsistentRead: true,
          ...(exclusiveStartKey ? { ExclusiveStartKey: exclusiveStartKey } : {}),
        }),
      );
      return { items: page.Items ?? [], lastEvaluatedKey: page.LastEvaluatedKey };
    });
    return items.map((item) => parseReservation(item, { PK: String(item['PK']), SK: String(item['SK']) }));
  }

  async markOrderReleased(orderId: string): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.reservationRelease(orderId), type: 'RESERVATIONS_RELEASED', orderId, releasedAt: new Date().toISOString() },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
    } catch (error) {
      // Already marked by an earlier or concurrent release: keep the first timestamp.
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
    }
  }

  async releaseReservation(reservation: Reservation): Promise<ReleaseAttempt> {
    const now = new Date().toISOString();
    const command = new TransactWriteCommand({
      TransactItems: [
        {
          Update: {
            TableName: this.tableName,
            Key: keys.stock(reservation.productId),
            UpdateExpression: 'ADD available :quantity SET updatedAt = :now',
            ExpressionAttributeValues: { ':quantity': reservation.quantity, ':now': now },
          },
        },
        {
          Update: {
            TableName: this.tableName,
            Key: keys.reservation(reservation.orderId, reservation.productId),
            UpdateExpression: 'SET #status = :released, releasedAt = :now',
            // Only a RESERVED record of exactly this quantity is given back: twice is once.
            ConditionExpression: '#status = :reserved AND quantity = :quantity',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':released': 'RELEASED', ':reserved': 'RESERVED', ':quantity': reservation.quantity, ':now': now },
          },
        },
      ],
    });
    const reasons = await this.transact(command);
    if (!reasons) return 'released';
    if (reasons[1]?.Code === 'ConditionalCheckFailed') return 'already-released';
    throw new Error(`release transaction cancelled for an unexpected reason: ${JSON.stringify(reasons.map((r) => r.Code))}`);
  }

  async getStock(productId: string): Promise<StockLevel | undefined> {
    const key = keys.stock(productId);
    const result = await this.client.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
    if (!result.Item) return undefined;
    return { productId, available: parseStock(result.Item, key) };
  }

  private async getReservation(orderId: string, productId: string): Promise<Reservation | undefined> {
    const key = keys.reservation(orderId, productId);
    const result = await this.client.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
    return result.Item ? parseReservation(result.Item, key) : undefined;
  }

  /**
   * Runs a transaction. Returns undefined when it committed, or the cancellation reasons when
   * a condition failed. Conflicts with concurrent transactions are retried with backoff and
   * jitter; when retries run out, the last error is thrown (transient: callers may retry).
   */
  private async transact(command: TransactWriteCommand): Promise<CancellationReason[] | undefined> {
    return retryWithBackoff<CancellationReason[] | undefined, unknown>(
      this.retry,
      async () => {
        try {
          await this.client.send(command);
          return { done: true, value: undefined };
        } catch (error) {
          if ((error as Error).name !== 'TransactionCanceledException') throw error;
          const reasons = (error as { CancellationReasons?: CancellationReason[] }).CancellationReasons ?? [];
          // With a conflict on any item the other reasons are not conclusive (that item was not
          // evaluated): retry until every condition has been checked.
          const transient = reasons.some((r) => r.Code !== undefined && TRANSIENT_REASONS.has(r.Code));
          return transient ? { done: false, reason: error } : { done: true, value: reasons };
        }
      },
      (lastError) => {
        throw lastError;
      },
      { sleep: this.sleep, random: this.random },
    );
  }
}

function parseReservation(item: Item, key: { PK: string; SK: string }): Reservation {
  const parsed = ReservationItemSchema.safeParse(item);
  if (!parsed.success) throw new InventoryRecordInvalidError(key, parsed.error.issues.map((i) => i.message).join('; '));
  const { releasedAt, ...rest } = parsed.data;
  return { ...rest, ...(releasedAt === undefined ? {} : { releasedAt }) };
}

function parseStock(item: Item, key: { PK: string; SK: string }): number {
  const parsed = StockItemSchema.safeParse(item);
  if (!parsed.success) throw new InventoryRecordInvalidError(key, parsed.error.issues.map((i) => i.message).join('; '));
  return parsed.data.available;
}
