import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '@orderflow/contracts';
import type { ConfirmationSender, OrderConfirmation } from '../use-cases/send-order-confirmation';

/**
 * Confirmations as items of the order's partition (`ORDER#<id>` / `CONFIRMATION`), written
 * once (conditional put): the outbox a mailer drains, and what support sees was sent.
 */
export class DynamoDbConfirmationOutbox implements ConfirmationSender {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async send(confirmation: OrderConfirmation): Promise<{ delivered: boolean }> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.orderConfirmation(confirmation.orderId), ...confirmation, status: 'PENDING_DELIVERY', createdAt: new Date().toISOString() },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
      return { delivered: true };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return { delivered: false };
      throw error;
    }
  }

  /** The confirmation of an order, if one was produced. */
  async get(orderId: string): Promise<Record<string, unknown> | undefined> {
    const result = await this.client.send(new GetCommand({ TableName: this.tableName, Key: keys.orderConfirmation(orderId), ConsistentRead: true }));
    return result.Item;
  }
}
