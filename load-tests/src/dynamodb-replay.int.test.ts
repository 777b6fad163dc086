import { createTestTable } from '@orderflow/dynamodb-local/test-table';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replayTraces, traceFromCalls } from './dynamodb-replay';
import type { CapturedCall } from './probe-client';

let table: Awaited<ReturnType<typeof createTestTable>>;
beforeAll(async () => {
  table = await createTestTable('replay');
});
afterAll(async () => {
  await table?.drop();
});

const ORDER = 'ord_0123456789abcdef0123456789abcdef';

function captured(target: string, start: number, body: unknown): CapturedCall {
  return {
    kind: 'dynamodb',
    target: `dynamodb:${target}`,
    startMs: start,
    endMs: start + 1,
    status: 200,
    method: 'POST',
    path: '/',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `DynamoDB_20120810.${target}`,
      // DynamoDB Local reads the credential, not the signature
      authorization: 'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=00',
      'x-amz-date': '20260101T000000Z',
    },
    body: JSON.stringify(body),
  };
}

describe('replayTraces against DynamoDB Local', () => {
  it('replays conditional writes with fresh ids, so every replay meets the same conditions', async () => {
    const put = (pk: string, start: number) =>
      captured('PutItem', start, { TableName: table.tableName, Item: { PK: { S: pk }, SK: { S: 'ORDER' } }, ConditionExpression: 'attribute_not_exists(PK)' });
    const trace = traceFromCalls('order', [
      put(`ORDER#${ORDER}`, 0),
      put(`IDEMPOTENCY#c#key-7`, 2),
      captured('GetItem', 4, { TableName: table.tableName, Key: { PK: { S: `ORDER#${ORDER}` }, SK: { S: 'ORDER' } } }),
    ], ['key-7']);
    const result = await replayTraces({ endpoint: table.endpoint, traces: [trace], concurrency: 4, durationSeconds: 1 });
    expect(result.iterations).toBeGreaterThan(0);
    expect(result.calls).toBe(result.iterations * 3);
    expect(result.errors).toEqual({});
    expect(result.latencyMs.med).toBeGreaterThan(0);
    // and what it wrote is there, under new keys
    const scan = await table.client.send(new (await import('@aws-sdk/client-dynamodb')).ScanCommand({ TableName: table.tableName, Select: 'COUNT' }));
    expect(scan.Count).toBe(result.iterations * 2);
  });

  it('counts refused calls by operation and error', async () => {
    const same = captured('PutItem', 0, {
      TableName: table.tableName,
      Item: { PK: { S: 'FIXED' }, SK: { S: 'X' } },
      ConditionExpression: 'attribute_not_exists(PK)',
    });
    const result = await replayTraces({ endpoint: table.endpoint, traces: [traceFromCalls('fixed', [same])], concurrency: 1, durationSeconds: 0.3 });
    expect(result.iterations).toBeGreaterThan(1);
    expect(result.errors['PutItem: ConditionalCheckFailedException']).toBe(result.iterations - 1);
  });
});
