import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys, OUTBOX_STATUS } from '@orderflow/contracts';
import type { EventOutbox, OutboxEntry } from '../use-cases/redrive-outbox';
import { DynamoDbPendingItems } from './dynamodb-pending-items';

/** How long a published entry stays readable (support, audits) before DynamoDB's TTL removes it. */
export const PUBLISHED_OUTBOX_TTL_SECONDS = 7 * 24 * 60 * 60;

/**
 * The outbox on the single table. Items: `OUTBOX#<orderId>` / `EVENT#<detailType>`, written
 * by the checkout workflow. A pending item is also indexed in GSI1 under `OUTBOX` /
 * `<createdAt>#<orderId>#<detailType>` (`keys.outboxPending`): the redrive reads that one
 * partition oldest first — no Scan — and removes the index keys once the event is out, so
 * the partition only ever holds what is still to do.
 */
export class DynamoDbEventOutbox extends DynamoDbPendingItems<OutboxEntry> implements EventOutbox {
  constructor(client: DynamoDBDocumentClient, tableName: string) {
    super(client, tableName, {
      fields: ['eventId', 'detailType', 'detail', 'createdAt'],
      indexPartition: keys.outboxPendingPartition,
      statuses: { pending: OUTBOX_STATUS.pending, done: OUTBOX_STATUS.published, failed: OUTBOX_STATUS.failed },
      doneAtAttribute: 'publishedAt',
      doneTtlSeconds: PUBLISHED_OUTBOX_TTL_SECONDS,
    });
  }

  markPublished(entry: OutboxEntry, now: Date): Promise<void> {
    return this.complete(entry, now);
  }
}
