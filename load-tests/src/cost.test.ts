import { describe, expect, it } from 'vitest';
import { attributeValueBytes, costPerMillionCheckouts, itemBytes, REFERENCE_CHECKOUT, REFERENCE_TOTAL_PER_MILLION, requestUnits } from './cost';

describe('costPerMillionCheckouts', () => {
  it("reproduces the reference architecture's $12.80 per million", () => {
    const cost = costPerMillionCheckouts(REFERENCE_CHECKOUT);
    expect(cost.apiGateway).toBe(3.5);
    expect(cost.express).toBeCloseTo(4.13, 2);
    expect(cost.lambda).toBeCloseTo(5.17, 2);
    expect(cost.total).toBeCloseTo(REFERENCE_TOTAL_PER_MILLION, 1);
  });

  it('bills Express per started 100 ms at 64 MB', () => {
    const at = (ms: number) => costPerMillionCheckouts({ expressDurationMs: ms, lambdas: [] }).expressGbSeconds;
    expect(at(1)).toBeCloseTo(0.1 * 0.0625);
    expect(at(100)).toBeCloseTo(0.1 * 0.0625);
    expect(at(101)).toBeCloseTo(0.2 * 0.0625);
    expect(costPerMillionCheckouts({ expressDurationMs: 100, expressMemoryMb: 65, lambdas: [] }).expressGbSeconds).toBeCloseTo(0.1 * 0.125);
  });

  it('bills Lambda per ms and GB, per invocation', () => {
    const cost = costPerMillionCheckouts({ expressDurationMs: 0, lambdas: [{ name: 'f', invocations: 2, durationMs: 100.2, memoryMb: 512 }] });
    expect(cost.lambdaGbSeconds).toBeCloseTo(2 * 0.101 * 0.5);
    expect(cost.lambdaRequests).toBeCloseTo(0.4);
  });

  it('keeps EventBridge and DynamoDB out of the reference scope', () => {
    const cost = costPerMillionCheckouts({ expressDurationMs: 0, lambdas: [], eventsPublished: 1, dynamoWriteUnits: 10, dynamoReadUnits: 2 });
    expect(cost.total).toBeCloseTo(3.5 + 1);
    expect(cost.eventBridge).toBe(1);
    expect(cost.dynamodb).toBeCloseTo(10 * 0.625 + 2 * 0.125);
    expect(cost.totalWithData).toBeCloseTo(cost.total + 1 + cost.dynamodb);
  });
});

describe('DynamoDB item sizes and request units', () => {
  it('count names and values as DynamoDB does', () => {
    expect(attributeValueBytes({ S: 'abc' })).toBe(3);
    expect(attributeValueBytes({ S: 'é' })).toBe(2);
    expect(attributeValueBytes({ N: '1000000' })).toBe(5);
    expect(attributeValueBytes({ BOOL: true })).toBe(1);
    expect(attributeValueBytes({ L: [{ S: 'ab' }, { N: '1' }] })).toBe(3 + 1 + 2 + 1 + 2);
    expect(attributeValueBytes({ M: { a: { S: 'xy' } } })).toBe(3 + 1 + 1 + 2);
    expect(itemBytes({ PK: { S: 'ORDER#1' }, n: { N: '12' } })).toBe(2 + 7 + 1 + 2);
  });

  it('estimate units per call', () => {
    const small = { PK: { S: 'A' }, SK: { S: 'B' } };
    const big = { PK: { S: 'A' }, data: { S: 'x'.repeat(1500) } };
    expect(requestUnits('dynamodb:PutItem', JSON.stringify({ Item: small }))).toEqual({ write: 1, read: 0 });
    expect(requestUnits('dynamodb:PutItem', JSON.stringify({ Item: big }))).toEqual({ write: 2, read: 0 });
    expect(requestUnits('dynamodb:PutItem', JSON.stringify({ Item: { ...small, GSI1PK: { S: 'C' } } }))).toEqual({ write: 2, read: 0 });
    expect(requestUnits('dynamodb:TransactWriteItems', JSON.stringify({ TransactItems: [{ Update: { ExpressionAttributeValues: { ':q': { N: '1' } } } }, { Put: { Item: small } }] }))).toEqual({
      write: 4,
      read: 0,
    });
    expect(requestUnits('dynamodb:BatchGetItem', JSON.stringify({ RequestItems: { t: { Keys: [small, small, small] } } }))).toEqual({ write: 0, read: 1.5 });
    expect(requestUnits('dynamodb:GetItem', JSON.stringify({ Key: small, ConsistentRead: true }))).toEqual({ write: 0, read: 1 });
    expect(requestUnits('dynamodb:PutItem', 'not json')).toEqual({ write: 0, read: 0 });
  });
});
