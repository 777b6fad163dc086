import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { GSI1 } from '@orderflow/contracts';
import type { PendingEntry, PendingQueue } from '../use-cases/drain-pending';

/** How one kind of pending item is laid out (the outbox's events, the unfinished compensations). */
export interface PendingItemsLayout<E extends PendingEntry> {
  /** The string attributes an entry carries besides its key and attempts (read as they are: the job validates them). */
  fields: readonly Exclude<keyof E, 'key' | 'attempts'>[];
  /** The GSI1 partition pending items are indexed under (sorted by `<createdAt>#...`). */
  indexPartition: string;
  statuses: { pending: string; done: string; failed: string };
  /** The attribute that says when the item was done (`publishedAt`, `completedAt`). */
  doneAtAttribute: string;
  /** How long a done item stays readable (support, audits) before DynamoDB's TTL removes it. */
  doneTtlSeconds: number;
}

export type StoredItem = Record<string, unknown>;

/**
 * Items of the single table that wait for a scheduled job. A pending item is indexed in GSI1
 * under its kind's partition, oldest first: the job Queries that one partition — no Scan —
 * and the index is sparse (done and failed items drop their GSI1 keys), so it only ever holds
 * what is still to do. A claim is a conditional lease, so two overlapping runs never work on
 * one item at once. A kind's adapter extends this with how it reads an entry and names "done".
 */
export class DynamoDbPendingItems<E extends PendingEntry & { attempts: number }> implements PendingQueue<E> {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly layout: PendingItemsLayout<E>,
  ) {}

  /** The entry an item holds: its key, attempts and the layout's fields as read. */
  private entry(item: StoredItem): E {
    const fields = this.layout.fields.map((name) => [name, typeof item[name as string] === 'string' ? item[name as string] : undefined]);
    const indexed = item[GSI1.sortKey.name];
    return {
      key: { PK: String(item['PK']), SK: String(item['SK']) },
      // The index's sort key begins with the time the item was written pending (`<createdAt>#...`).
      pendingSince: typeof indexed === 'string' ? indexed.split('#')[0] : undefined,
      attempts: typeof item['attempts'] === 'number' ? item['attempts'] : 0,
      ...Object.fromEntries(fields),
    } as E; // the layout lists E's string fields, so the object is an E
  }

  async pending(limit: number): Promise<E[]> {
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: GSI1.indexName,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': GSI1.partitionKey.name },
        ExpressionAttributeValues: { ':pk': this.layout.indexPartition },
        ScanIndexForward: true,
        Limit: limit,
      }),
    );
    return (result.Items ?? []).map((item) => this.entry(item));
  }

  async claim(entry: E, now: Date, leaseUntil: Date): Promise<boolean> {
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
            ':pending': this.layout.statuses.pending,
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

  /** The work is done: the item leaves the pending index and expires later; `details` are kept on it. */
  protected async complete(entry: E, now: Date, details: Record<string, unknown> = {}): Promise<void> {
    const detailNames = Object.keys(details);
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: entry.key,
        UpdateExpression: `SET ${['#status = :done', '#doneAt = :now', '#ttl = :ttl', ...detailNames.map((_, i) => `#d${i} = :d${i}`)].join(', ')} REMOVE #gsiPk, #gsiSk, leaseUntil, lastError`,
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeNames: {
          '#status': 'status',
          '#doneAt': this.layout.doneAtAttribute,
          '#ttl': 'expiresAt',
          '#gsiPk': GSI1.partitionKey.name,
          '#gsiSk': GSI1.sortKey.name,
          ...Object.fromEntries(detailNames.map((name, i) => [`#d${i}`, name])),
        },
        ExpressionAttributeValues: {
          ':done': this.layout.statuses.done,
          ':now': now.toISOString(),
          ':ttl': Math.floor(now.getTime() / 1000) + this.layout.doneTtlSeconds,
          ...Object.fromEntries(detailNames.map((name, i) => [`:d${i}`, details[name]])),
        },
      }),
    );
  }

  async markFailed(entry: E, error: string, now: Date, final: boolean): Promise<void> {
    const names: Record<string, string> = { '#status': 'status' };
    if (final) Object.assign(names, { '#gsiPk': GSI1.partitionKey.name, '#gsiSk': GSI1.sortKey.name });
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: entry.key,
        // A retryable failure frees the item for the next run at once; a final one leaves the index.
        UpdateExpression: final
          ? 'SET #status = :failed, lastError = :error, failedAt = :now REMOVE leaseUntil, #gsiPk, #gsiSk'
          : 'SET lastError = :error, lastFailedAt = :now REMOVE leaseUntil',
        ConditionExpression: 'attribute_exists(PK) AND #status = :pending',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: {
          ':error': error.slice(0, 1000),
          ':now': now.toISOString(),
          ':pending': this.layout.statuses.pending,
          ...(final ? { ':failed': this.layout.statuses.failed } : {}),
        },
      }),
    );
  }
}
