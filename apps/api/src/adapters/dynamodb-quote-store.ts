import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { keys, type PricedCartResult, PricedCartSchema } from '@orderflow/contracts';
import type { QuoteStore } from '../use-cases/price-order';

/**
 * How long a quote is kept: longer than an idempotency record (24 h), the longest an
 * execution can take the order over.
 */
export const QUOTE_TTL_SECONDS = 2 * 24 * 60 * 60;

/** A kept quote no longer reads as a priced cart: the item was changed by hand or by a bug. */
export class QuoteRecordInvalidError extends Error {
  override name = 'QuoteRecordInvalidError';
}

/** Quotes as items of their own (`QUOTE#<orderId>` / `QUOTE`), written once (conditional put). */
export class DynamoDbQuoteStore implements QuoteStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async get(orderId: string): Promise<PricedCartResult | undefined> {
    const result = await this.client.send(new GetCommand({ TableName: this.tableName, Key: keys.orderQuote(orderId), ConsistentRead: true }));
    if (!result.Item) return undefined;
    const parsed = PricedCartSchema.safeParse(result.Item['quote']);
    if (!parsed.success) throw new QuoteRecordInvalidError(`the quote of ${orderId} is not a priced cart`);
    return parsed.data;
  }

  async keep(orderId: string, quote: PricedCartResult): Promise<PricedCartResult> {
    const now = this.now();
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...keys.orderQuote(orderId),
            orderId,
            quote,
            quotedAt: now.toISOString(),
            expiresAt: Math.floor(now.getTime() / 1000) + QUOTE_TTL_SECONDS,
          },
          // The first quote stands: a retried task (its first put landed) or a resumed order keeps it.
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
      return quote;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const kept = await this.get(orderId);
      if (!kept) throw error;
      return kept;
    }
  }
}
