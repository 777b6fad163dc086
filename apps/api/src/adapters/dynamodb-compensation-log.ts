import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { COMPENSATION_STATUS, keys } from '@orderflow/contracts';
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
  constructor(client: DynamoDBDocumentClient, tableName: string) {
    super(client, tableName, {
      fields: ['action', 'orderId', 'payment', 'amount', 'authorize'],
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
}
