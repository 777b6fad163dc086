import { createTestTable, type TestTable } from '@orderflow/dynamodb-local/test-table';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileStateMachine } from '../state-machine';
import { crc32 } from './http-metadata';

let table: TestTable;

beforeAll(async () => {
  table = await createTestTable('sfn-runtime');
});

afterAll(async () => {
  await table?.drop();
});

function task(action: string, parameters: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return compileStateMachine(
    { StartAt: 'T', States: { T: { Type: 'Task', Resource: `arn:aws:states:::dynamodb:${action}`, Parameters: { TableName: table.tableName, ...parameters }, End: true, ...extra } } },
    { integrations: { dynamoDb: table.client } },
  );
}

const key = (pk: string) => ({ PK: { S: pk }, SK: { S: 'STOCK' } });

describe('dynamodb:* on DynamoDB Local', () => {
  it('putItem then getItem, with the SDK metadata AWS adds to results', async () => {
    const put = await task('putItem', { 'Item.$': '$.item' }).execute({ item: { ...key('PRODUCT#mug'), available: { N: '5' }, blob: { B: 'aGVsbG8=' } } });
    expect(put.status).toBe('SUCCEEDED');
    expect(put.output).toMatchObject({
      SdkHttpMetadata: { HttpStatusCode: 200, HttpHeaders: expect.objectContaining({ 'Content-Length': '2', 'Content-Type': 'application/x-amz-json-1.0' }) },
      SdkResponseMetadata: { RequestId: expect.any(String) },
    });
    expect(put.history[2]?.taskScheduledEventDetails).toMatchObject({ resourceType: 'dynamodb', resource: 'putItem' });

    const get = await task('getItem', { Key: key('PRODUCT#mug') }).execute({});
    const output = get.output as { Item: unknown; SdkHttpMetadata: { HttpHeaders: Record<string, string> } };
    expect(output.Item).toEqual({ ...key('PRODUCT#mug'), available: { N: '5' }, blob: { B: 'aGVsbG8=' } });
    const body = JSON.stringify({ Item: output.Item });
    expect(output.SdkHttpMetadata.HttpHeaders['Content-Length']).toBe(String(Buffer.byteLength(body)));
    expect(output.SdkHttpMetadata.HttpHeaders['x-amz-crc32']).toBe(String(crc32(body)));
  });

  it('updateItem with a condition, ReturnValues and JSONata Arguments', async () => {
    const m = compileStateMachine(
      {
        QueryLanguage: 'JSONata',
        StartAt: 'Reserve',
        States: {
          Reserve: {
            Type: 'Task',
            Resource: 'arn:aws:states:::dynamodb:updateItem',
            Arguments: {
              TableName: table.tableName,
              Key: { PK: { S: '{% "PRODUCT#" & $states.input.sku %}' }, SK: { S: 'STOCK' } },
              UpdateExpression: 'SET available = available - :q',
              ConditionExpression: 'available >= :q',
              ExpressionAttributeValues: { ':q': { N: '{% $string($states.input.qty) %}' } },
              ReturnValues: 'UPDATED_NEW',
            },
            Output: { left: '{% $number($states.result.Attributes.available.N) %}' },
            End: true,
          },
        },
      },
      { integrations: { dynamoDb: table.client } },
    );
    expect((await m.execute({ sku: 'mug', qty: 2 })).output).toEqual({ left: 3 });
    const refused = await m.execute({ sku: 'mug', qty: 10 });
    expect(refused).toMatchObject({ status: 'FAILED', error: 'DynamoDB.ConditionalCheckFailedException' });
    expect(refused.cause).toMatch(
      /^The conditional request failed \(Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ConditionalCheckFailedException; Request ID: \S+; Proxy: null\)$/,
    );
  });

  it('the error can be caught like on AWS', async () => {
    const m = compileStateMachine(
      {
        StartAt: 'T',
        States: {
          T: {
            Type: 'Task',
            Resource: 'arn:aws:states:::dynamodb:putItem',
            Parameters: { TableName: table.tableName, Item: { ...key('PRODUCT#mug'), available: { N: '1' } }, ConditionExpression: 'attribute_not_exists(PK)' },
            Catch: [{ ErrorEquals: ['DynamoDB.ConditionalCheckFailedException'], ResultPath: '$.error', Next: 'Exists' }],
            End: true,
          },
          Exists: { Type: 'Pass', End: true },
        },
      },
      { integrations: { dynamoDb: table.client } },
    );
    const result = await m.execute({ attempt: 1 });
    expect(result.status).toBe('SUCCEEDED');
    expect(result.history.map((e) => e.type)).toContain('PassStateEntered');
    expect((result.output as { error: { Error: string } }).error.Error).toBe('DynamoDB.ConditionalCheckFailedException');
  });

  it('deleteItem returns the old item with ReturnValues ALL_OLD', async () => {
    const result = await task('deleteItem', { Key: key('PRODUCT#mug'), ReturnValues: 'ALL_OLD' }).execute({});
    expect((result.output as { Attributes: { available: unknown } }).Attributes.available).toEqual({ N: '3' });
    const after = await task('getItem', { Key: key('PRODUCT#mug') }).execute({});
    expect((after.output as { Item?: unknown }).Item).toBeUndefined();
  });

  it('names service errors DynamoDB.<Exception> (missing table)', async () => {
    const m = compileStateMachine(
      { StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:getItem', Parameters: { TableName: 'no-such-table', Key: key('x') }, End: true } } },
      { integrations: { dynamoDb: table.client } },
    );
    const result = await m.execute({});
    expect(result.error).toBe('DynamoDB.ResourceNotFoundException');
    expect(result.cause).toContain('(Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ResourceNotFoundException;');
  });

  it('rejects unsupported or missing parameters at compile time', () => {
    expect(() => compileStateMachine(
      { StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:getItem', Parameters: { Key: key('x'), Nope: 1 }, End: true } } },
      { integrations: { dynamoDb: table.client } },
    )).toThrowError(/'Nope' is not supported.*'TableName' is required/s);
  });
});
