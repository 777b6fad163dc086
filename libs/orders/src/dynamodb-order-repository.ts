import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { GSI1, keys, OrderSchema, PaymentProviderSchema, queryPage } from '@orderflow/contracts';
import { z } from 'zod';
import { OrderRecordInvalidError } from './errors';
import type {
  CreateOrderAttempt,
  OrderChange,
  OrderRecord,
  OrderRecordPage,
  OrderRepository,
  UpdateOrderAttempt,
} from './order-repository';

type Item = Record<string, unknown>;

const PaymentReferenceSchema = z.object({ provider: PaymentProviderSchema, reference: z.string().min(1) });

/**
 * GSI1 sort key of an order: `<createdAt>#<orderId>`, with createdAt normalized to
 * millisecond ISO form so that lexical order is time order ("…00Z" would sort after "…00.5Z").
 */
function customerOrderKeys(customerId: string, createdAt: string, orderId: string) {
  return keys.customerOrders(customerId, new Date(createdAt).toISOString(), orderId);
}

function pageKeySchema(customerId: string) {
  const partition = keys.customerPartition(customerId);
  return z
    .strictObject({
      PK: z.string().regex(/^ORDER#ord_[0-9A-Za-z]{10,40}$/),
      SK: z.literal('ORDER'),
      GSI1PK: z.literal(partition),
      GSI1SK: z.string().min(1).max(200),
    })
    .refine((key) => key.GSI1SK.endsWith(`#${key.PK.slice('ORDER#'.length)}`));
}

/**
 * Orders on the single table: `ORDER#<orderId>`/`ORDER`, indexed in GSI1 under
 * `CUSTOMER#<customerId>` / `<createdAt>#<orderId>` for a customer's order list.
 * Everything read back is validated against the Order schema.
 */
export class DynamoDbOrderRepository implements OrderRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(record: OrderRecord): Promise<CreateOrderAttempt> {
    const { order } = record;
    const item = {
      ...keys.order(order.orderId),
      ...customerOrderKeys(order.customerId, order.createdAt, order.orderId),
      type: 'ORDER',
      ...order,
      ...(record.paymentReference ? { paymentReference: record.paymentReference } : {}),
    };
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ConditionExpression: 'attribute_not_exists(PK)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { created: true };
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      const old = (error as { Item?: Parameters<typeof unmarshall>[0] }).Item;
      const existing = old ? parseRecord(unmarshall(old)) : await this.get(order.orderId);
      if (!existing) throw error; // deleted between the write and the read: let the caller retry
      return { created: false, existing };
    }
  }

  async get(orderId: string): Promise<OrderRecord | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.order(orderId), ConsistentRead: true }),
    );
    return result.Item ? parseRecord(result.Item) : undefined;
  }

  async listByCustomer(customerId: string, page: { limit: number; nextToken?: string | undefined }): Promise<OrderRecordPage> {
    const { items, nextToken } = await queryPage({
      limit: page.limit,
      nextToken: page.nextToken,
      keySchema: pageKeySchema(customerId),
      keyOf: (item: Record<string, unknown>) => ({
        PK: String(item['PK']),
        SK: String(item['SK']),
        GSI1PK: String(item['GSI1PK']),
        GSI1SK: String(item['GSI1SK']),
      }),
      query: async ({ limit, exclusiveStartKey }) => {
        const result = await this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: GSI1.indexName,
            KeyConditionExpression: '#pk = :pk',
            ExpressionAttributeNames: { '#pk': GSI1.partitionKey.name },
            ExpressionAttributeValues: { ':pk': keys.customerPartition(customerId) },
            ScanIndexForward: false,
            Limit: limit,
            ...(exclusiveStartKey ? { ExclusiveStartKey: exclusiveStartKey } : {}),
          }),
        );
        return { items: result.Items ?? [], lastEvaluatedKey: result.LastEvaluatedKey };
      },
    });
    const orders = items.map((item) => parseRecord(item).order);
    return { orders, nextToken };
  }

  async update(orderId: string, change: OrderChange): Promise<UpdateOrderAttempt> {
    const from = Object.fromEntries(change.allowedFrom.map((s, i) => [`:from${i}`, s]));
    try {
      const result = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.order(orderId),
          UpdateExpression: `SET payment.#status = :to, updatedAt = :now${change.status ? ', #status = :orderStatus' : ''}`,
          ConditionExpression: `attribute_exists(PK) AND payment.#status IN (${Object.keys(from).join(', ')})`,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':to': change.paymentStatus,
            ':now': new Date().toISOString(),
            ...from,
            ...(change.status ? { ':orderStatus': change.status } : {}),
          },
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { updated: true, record: parseRecord(result.Attributes ?? {}) };
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      const old = (error as { Item?: Parameters<typeof unmarshall>[0] }).Item;
      return { updated: false, current: old ? parseRecord(unmarshall(old)) : await this.get(orderId) };
    }
  }
}

function parseRecord(item: Item): OrderRecord {
  const key = { PK: String(item['PK']), SK: String(item['SK']) };
  const order = OrderSchema.safeParse(item);
  if (!order.success) {
    throw new OrderRecordInvalidError(key, order.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  }
  const reference = item['paymentReference'] === undefined ? undefined : PaymentReferenceSchema.safeParse(item['paymentReference']);
  if (reference && !reference.success) throw new OrderRecordInvalidError(key, 'paymentReference is not valid');
  return { order: order.data, ...(reference?.success ? { paymentReference: reference.data } : {}) };
}
