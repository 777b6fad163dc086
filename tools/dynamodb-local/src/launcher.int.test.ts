import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand, DescribeTimeToLiveCommand, ListTablesCommand, PutItemCommand, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { childSurvivesKilledParent, isProcessAlive, startParentOfChild } from '@orderflow/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { startDynamoDbLocal } from './launcher';

const dataDir = mkdtempSync(join(tmpdir(), 'orderflow-ddb-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('DynamoDB Local launcher', () => {
  it('starts on a free port, creates the table from the shared definition and stops cleanly', async () => {
    const dynamo = await startDynamoDbLocal({ tableName: 'orderflow' });
    try {
      const table = await dynamo.client.send(new DescribeTableCommand({ TableName: 'orderflow' }));
      expect(table.Table?.KeySchema?.map((k) => k.AttributeName)).toEqual(['PK', 'SK']);
      expect(table.Table?.GlobalSecondaryIndexes?.map((g) => g.IndexName)).toEqual(['GSI1']);
      const ttl = await dynamo.client.send(new DescribeTimeToLiveCommand({ TableName: 'orderflow' }));
      expect(ttl.TimeToLiveDescription?.AttributeName).toBe('expiresAt');
    } finally {
      await dynamo.stop();
    }
    await expect(fetch(dynamo.endpoint)).rejects.toThrow();
  });

  it('keeps data in a data folder across restarts', async () => {
    const first = await startDynamoDbLocal({ dataDir, tableName: 'orderflow' });
    await first.client.send(
      new PutItemCommand({ TableName: 'orderflow', Item: { PK: { S: 'ORDER#kept' }, SK: { S: 'ORDER' } } }),
    );
    await first.stop();

    const second = await startDynamoDbLocal({ dataDir, tableName: 'orderflow' });
    try {
      const item = await second.client.send(
        new GetItemCommand({ TableName: 'orderflow', Key: { PK: { S: 'ORDER#kept' }, SK: { S: 'ORDER' } } }),
      );
      expect(item.Item?.['PK']?.S).toBe('ORDER#kept');
      const tables = await second.client.send(new ListTablesCommand({}));
      expect(tables.TableNames).toEqual(['orderflow']);
    } finally {
      await second.stop();
    }
  });
});

describe('DynamoDB Local launcher, parent killed', () => {
  it.runIf(process.platform === 'linux')('takes Java down with a parent that is SIGKILLed (no exit hook runs)', async () => {
    const script = `
      import { startDynamoDbLocal } from './src/launcher.ts';
      const dynamo = await startDynamoDbLocal({});
      console.log(JSON.stringify({ pid: dynamo.pid }));
      setInterval(() => undefined, 1000);
    `;
    const { parent, childPid } = await startParentOfChild(script, join(import.meta.dirname, '..'));
    expect(isProcessAlive(childPid)).toBe(true);
    expect(await childSurvivesKilledParent(parent, childPid)).toBe(false);
  });
});
