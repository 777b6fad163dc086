import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { createTestTable, type TestTable } from '@orderflow/dynamodb-local/test-table';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { withoutSdkLogging } from './sdk-client';

let table: TestTable;

beforeAll(async () => {
  table = await createTestTable('sdk-client');
});

afterAll(async () => {
  await table?.drop();
});

const clientLoggingTo = (info: () => void) =>
  new DynamoDBClient({
    region: 'us-east-1',
    endpoint: table.endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    logger: { debug: () => undefined, info, warn: () => undefined, error: () => undefined },
  });

describe('withoutSdkLogging', () => {
  it('stops the SDK handing each call to its logger (filtered copies of input and output); calls still work', async () => {
    const get = new GetItemCommand({ TableName: table.tableName, Key: { PK: { S: 'none' }, SK: { S: 'none' } } });
    const logged = vi.fn();
    await clientLoggingTo(logged).send(get);
    expect(logged).toHaveBeenCalledTimes(1);

    const notLogged = vi.fn();
    const client = withoutSdkLogging(clientLoggingTo(notLogged));
    expect(client.middlewareStack.identify().some((name) => name.startsWith('loggerMiddleware'))).toBe(false);
    expect((await client.send(get)).Item).toBeUndefined();
    expect(notLogged).not.toHaveBeenCalled();
  });
});
