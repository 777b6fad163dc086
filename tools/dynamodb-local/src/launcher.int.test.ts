import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand, DescribeTimeToLiveCommand, ListTablesCommand, PutItemCommand, GetItemCommand } from '@aws-sdk/client-dynamodb';
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
    const parent = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: join(import.meta.dirname, '..'),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    parent.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    while (!out.includes('\n')) {
      if (parent.exitCode !== null) throw new Error(`parent exited early: ${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const { pid } = JSON.parse(out.trim().split('\n')[0] ?? '{}') as { pid: number };
    expect(isAlive(pid)).toBe(true);

    parent.kill('SIGKILL');
    await once(parent, 'exit');
    // The kernel delivers the parent-death signal at once; poll rather than time it.
    for (let i = 0; i < 100 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
    expect(isAlive(pid)).toBe(false);
  });
});

/** Running, not a zombie waiting to be reaped by whatever PID 1 is here. */
function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}
