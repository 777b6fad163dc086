import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { GSI1, keys, OUTBOX_STATUS } from '@orderflow/contracts';
import type { EventOutbox, OutboxEntry } from '../use-cases/redrive-outbox';

/** How long a published entry stays readable (support, audits) before DynamoDB's TTL removes it. */
export const PUBLISHED_OUTBOX_TTL_SECONDS = 7 * 24 * 60 * 60;

/**
 * The outbox on the single table. Items: `OUTBOX#<orderId>` / `EVENT#<detailType>`, written
 * by the checkout workflow. A pending item is also indexed in GSI1 under `OUTBOX` /
 * `<createdAt>#<orderId>#<detailType>` (`keys.outboxPending`): the redrive reads that one
 * partition oldest first — no Scan — and removes the index keys once the event is out, so
 * the partition only ever holds what is still to do.
 */
export class DynamoDbEventOutbox implements EventOutbox {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async pending(limit: number): Promise<OutboxEntry[]> {
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: GSI1.indexName,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': GSI1.partitionKey.name },
        ExpressionAttributeValues: { ':pk': keys.outboxPendingPartition },
        ScanIndexForward: true,
        Limit: limit,
      }),
    );
    return (result.Items ?? []).map((item) => ({
      key: { PK: String(item['PK']), SK: String(item['SK']) },
      eventId: typeof item['eventId'] === 'string' ? item['eventId'] : undefined,
      detailType: typeof item['detailType'] === 'string' ? item['detailType'] : undefined,
      detail: typeof item['detail'] === 'string' ? item['detail'] : undefined,
      attempts: typeof item['attempts'] === 'number' ? item['attempts'] : 0,
      createdAt: typeof item['createdAt'] === 'string' ? item['createdAt'] : undefined,
    }));
  }

  async claim(entry: OutboxEntry, now: Date, leaseUntil: Date): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: entry.key,
          UpdateExpression: 'SET leaseUntil = :until, attempts = if_not_exists(attempts, :zero) + :one, lastAttemptAt = :now',
          ConditionExpression: '#status = :pending AND (attribute_not_exists(leaseUntil) OR leaseUntil < :now)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':until': leaseUntil.toISOString(),
            ':now': now.toISOString(),
            ':pending': OUTBOX_STATUS.pending,
            ':zero': 0,
            ':one': 1,
          },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async markPublished(entry: OutboxEntry, now: Date): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: entry.key,
        UpdateExpression: 'SET #status = :published, publishedAt = :now, #ttl = :ttl REMOVE #gsiPk, #gsiSk, leaseUntil, lastError',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeNames: {
          '#status': 'status',
          '#ttl': 'expiresAt',
          '#gsiPk': GSI1.partitionKey.name,
          '#gsiSk': GSI1.sortKey.name,
        },
        ExpressionAttributeValues: {
          ':published': OUTBOX_STATUS.published,
          ':now': now.toISOString(),
          ':ttl': Math.floor(now.getTime() / 1000) + PUBLISHED_OUTBOX_TTL_SECONDS,
        },
      }),
    );
  }

  async markFailed(entry: OutboxEntry, error: string, now: Date, final: boolean): Promise<void> {
    const names: Record<string, string> = { '#status': 'status' };
    if (final) Object.assign(names, { '#gsiPk': GSI1.partitionKey.name, '#gsiSk': GSI1.sortKey.name });
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: entry.key,
        // A retryable failure frees the entry for the next run at once; a final one leaves the index.
        UpdateExpression: final
          ? 'SET #status = :failed, lastError = :error, failedAt = :now REMOVE leaseUntil, #gsiPk, #gsiSk'
          : 'SET lastError = :error, lastFailedAt = :now REMOVE leaseUntil',
        ConditionExpression: 'attribute_exists(PK) AND #status = :pending',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: {
          ':error': error.slice(0, 1000),
          ':now': now.toISOString(),
          ':pending': OUTBOX_STATUS.pending,
          ...(final ? { ':failed': OUTBOX_STATUS.failed } : {}),
        },
      }),
    );
  }
}
