import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { GSI1, keys, queryAll } from '@orderflow/contracts';
import type { InFlightCheckout, InFlightCheckouts } from '../use-cases/recover-checkouts';

/** The claim status a set-aside claim gets: it leaves the in-flight index, for an operator. */
export const ABANDONED_STATUS = 'ABANDONED';

const text = (value: unknown) => (typeof value === 'string' ? value : undefined);

/**
 * The checkouts in flight on the single table: claim records (`IDEMPOTENCY#...`) indexed in
 * GSI1 under `CHECKOUT` / `<createdAt>#<orderId>` from the claim until the checkout answers
 * (the workflow writes and removes those keys). The index is sparse and small — the checkouts
 * running now and the ones that died — so a Query of the partition filtered on the lock finds
 * the dead ones, oldest first.
 */
export class DynamoDbInFlightCheckouts implements InFlightCheckouts {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async expired(now: Date, limit: number): Promise<InFlightCheckout[]> {
    const items = await queryAll(async ({ exclusiveStartKey }) => {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: GSI1.indexName,
          KeyConditionExpression: '#pk = :pk',
          FilterExpression: '#status = :inProgress AND lockExpiresAt < :now',
          ExpressionAttributeNames: { '#pk': GSI1.partitionKey.name, '#status': 'status' },
          ExpressionAttributeValues: { ':pk': keys.checkoutInFlightPartition, ':inProgress': 'IN_PROGRESS', ':now': Math.floor(now.getTime() / 1000) },
          ScanIndexForward: true,
          ...(exclusiveStartKey ? { ExclusiveStartKey: exclusiveStartKey } : {}),
        }),
      );
      return { items: page.Items ?? [], lastEvaluatedKey: page.LastEvaluatedKey };
    }, limit);
    return items.map((item) => ({
      key: { PK: String(item['PK']), SK: String(item['SK']) },
      orderId: text(item['orderId']),
      customerId: text(item['customerId']),
      claimKey: text(item['claimKey']),
      request: text(item['request']),
      attempts: typeof item['attempts'] === 'number' ? item['attempts'] : 0,
      lockExpiresAt: typeof item['lockExpiresAt'] === 'number' ? item['lockExpiresAt'] : 0,
    }));
  }

  async setAside(entry: InFlightCheckout, reason: string, now: Date): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: entry.key,
          UpdateExpression: 'SET #status = :abandoned, abandonedAt = :now, abandonedReason = :reason REMOVE #gsiPk, #gsiSk',
          ConditionExpression: '#status = :inProgress AND lockExpiresAt < :epoch',
          ExpressionAttributeNames: { '#status': 'status', '#gsiPk': GSI1.partitionKey.name, '#gsiSk': GSI1.sortKey.name },
          ExpressionAttributeValues: {
            ':abandoned': ABANDONED_STATUS,
            ':inProgress': 'IN_PROGRESS',
            ':now': now.toISOString(),
            ':epoch': Math.floor(now.getTime() / 1000),
            ':reason': reason,
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
