import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { keys, type PricedCartResult } from '@orderflow/contracts';
import { createTestTable, type TestTable } from '@orderflow/dynamodb-local/test-table';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbQuoteStore, QUOTE_TTL_SECONDS, QuoteRecordInvalidError } from './dynamodb-quote-store';

let table: TestTable;
beforeAll(async () => {
  table = await createTestTable('quotes');
}, 60_000);
afterAll(async () => {
  await table?.drop();
});

const quote = (amount: number): PricedCartResult => ({
  lines: [{ productId: 'mug', name: 'Mug', quantity: 1, unitPrice: { amount, currency: 'USD' }, lineTotal: { amount, currency: 'USD' } }],
  total: { amount, currency: 'USD' },
  currency: 'USD',
});

describe('DynamoDbQuoteStore (DynamoDB Local)', () => {
  it('keeps the first quote of an order, with a TTL; a later one gets the first back', async () => {
    const now = new Date('2025-01-01T00:00:00.000Z');
    const store = new DynamoDbQuoteStore(table.documentClient, table.tableName, () => now);
    expect(await store.get('ord_quote000000001')).toBeUndefined();
    expect(await store.keep('ord_quote000000001', quote(1299))).toEqual(quote(1299));
    expect(await store.keep('ord_quote000000001', quote(1500))).toEqual(quote(1299));
    expect(await store.get('ord_quote000000001')).toEqual(quote(1299));
    const item = (await table.documentClient.send(new GetCommand({ TableName: table.tableName, Key: keys.orderQuote('ord_quote000000001') }))).Item;
    expect(item).toMatchObject({ orderId: 'ord_quote000000001', quotedAt: now.toISOString(), expiresAt: now.getTime() / 1000 + QUOTE_TTL_SECONDS });
  });

  it('refuses a quote item that is not a priced cart', async () => {
    await table.documentClient.send(new PutCommand({ TableName: table.tableName, Item: { ...keys.orderQuote('ord_quote000000002'), quote: { total: 'free' } } }));
    await expect(new DynamoDbQuoteStore(table.documentClient, table.tableName).get('ord_quote000000002')).rejects.toThrow(QuoteRecordInvalidError);
  });
});
