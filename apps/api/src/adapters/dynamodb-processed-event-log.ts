import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { keys, ORDER_TABLE } from '@orderflow/contracts';
import type { ProcessedEventLog } from '../use-cases/process-once';

/**
 * Processed event ids on the single table, one item each in the consumer's own partition
 * (`keys.processedEvent`: `EVENT_CONSUMER#<consumer>` / `EVENT#<event id>`), written by one
 * conditional PutItem and removed by DynamoDB's TTL after `retentionSeconds` (EventBridge
 * retries within 24 h; archive replays come later). TTL deletes lazily, so an item already
 * past its expiry counts as absent.
 */
export class DynamoDbProcessedEventLog implements ProcessedEventLog {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly retentionSeconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  async claim(consumer: string, eventId: string): Promise<boolean> {
    const now = this.now();
    const nowSeconds = Math.floor(now / 1000);
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...keys.processedEvent(consumer, eventId),
            eventId,
            processedAt: new Date(now).toISOString(),
            [ORDER_TABLE.timeToLiveAttribute]: nowSeconds + this.retentionSeconds,
          },
          ConditionExpression: 'attribute_not_exists(#pk) OR #expiresAt <= :now',
          ExpressionAttributeNames: { '#pk': ORDER_TABLE.partitionKey.name, '#expiresAt': ORDER_TABLE.timeToLiveAttribute },
          ExpressionAttributeValues: { ':now': nowSeconds },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async release(consumer: string, eventId: string): Promise<void> {
    await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: keys.processedEvent(consumer, eventId) }));
  }
}
