import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { COMPENSATION_STATUS, IDEMPOTENCY_STATUS, keys } from '@orderflow/contracts';
import type { CompensationEntry, CompensationLog, CompensationOutcome } from '../use-cases/complete-compensations';
import { DynamoDbPendingItems } from './dynamodb-pending-items';

/** How long a completed compensation stays readable (support, audits) before DynamoDB's TTL removes it. */
export const COMPLETED_COMPENSATION_TTL_SECONDS = 30 * 24 * 60 * 60;

/**
 * The unfinished compensations on the single table: `COMPENSATION#<orderId>` /
 * `ACTION#<action>`, written by the checkout workflow when releasing, voiding or refunding
 * still failed after its retries; pending ones indexed in GSI1 under `COMPENSATION` /
 * `<createdAt>#<orderId>#<action>` (`keys.compensationPending`), which the sweep queries.
 */
export class DynamoDbCompensationLog extends DynamoDbPendingItems<CompensationEntry> implements CompensationLog {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {
    super(db, table, {
      fields: ['action', 'orderId', 'payment', 'amount', 'authorize', 'customerId', 'claimKey'],
      indexPartition: keys.compensationPendingPartition,
      statuses: COMPENSATION_STATUS,
      doneAtAttribute: 'completedAt',
      doneTtlSeconds: COMPLETED_COMPENSATION_TTL_SECONDS,
    });
  }

  /** Done, keeping what was done on the item (JSON text) for support. */
  markDone(entry: CompensationEntry, now: Date, outcome: CompensationOutcome): Promise<void> {
    return this.complete(entry, now, { outcome: JSON.stringify(outcome) });
  }

  async releaseClaimWhenSettled(entry: CompensationEntry, now: Date): Promise<boolean> {
    if (!entry.orderId || !entry.customerId || !entry.claimKey) return false;
    // Anything of this order still to undo (a void after a release, say) keeps the key. One
    // action per item, three at most: a single page.
    const stillPending = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'PK = :pk',
        FilterExpression: '#status = :pending',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':pk': keys.compensation(entry.orderId, '').PK, ':pending': COMPENSATION_STATUS.pending },
        ConsistentRead: true,
      }),
    );
    if ((stillPending.Items ?? []).length > 0) return false;
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.idempotency(entry.customerId, entry.claimKey),
          UpdateExpression: 'SET #status = :released, releasedAt = :now REMOVE releaseWhenCompensated',
          // Only the answer this order left for the sweep: a key since taken by another attempt stays as it is.
          ConditionExpression: 'orderId = :orderId AND #status = :completed AND releaseWhenCompensated = :true',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':released': IDEMPOTENCY_STATUS.released,
            ':completed': IDEMPOTENCY_STATUS.completed,
            ':orderId': entry.orderId,
            ':now': now.toISOString(),
            ':true': true,
          },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
