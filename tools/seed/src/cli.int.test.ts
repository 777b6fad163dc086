import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDbCatalogRepository, getProductsByIds } from '@orderflow/catalog';
import { createTestTable, type TestTable } from '@orderflow/dynamodb-local/test-table';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CATALOG_PATH, LOAD_CATALOG_PATH, loadCatalogFile } from './catalog-file';

const cli = join(dirname(fileURLToPath(import.meta.url)), 'cli.ts');
const tsx = createRequire(import.meta.url).resolve('tsx');

/** Runs the seed CLI as `npm run seed` does (tsx), in a child process. */
function runCli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // A user's shell: no SDK switches set. No running stack unless a test names one (a developer's npm start must not be seeded).
    const base: NodeJS.ProcessEnv = { ...process.env };
    delete base['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'];
    const child = spawn(process.execPath, ['--import', tsx, cli, ...args], {
      env: { ...base, ORDERFLOW_RUNNING_STACK_FILE: join(tmpdir(), 'no-running-stack.json'), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

let table: TestTable;
beforeAll(async () => {
  table = await createTestTable('seedcli');
});
afterAll(() => table.drop());

describe('npm run seed (the CLI as a child process)', () => {
  it('loads the default catalog, and a second run changes nothing', async () => {
    const target = ['--endpoint', table.endpoint, '--table', table.tableName];
    const count = loadCatalogFile(DEFAULT_CATALOG_PATH).products.length;

    const first = await runCli(target);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`seeding catalog "default" (${count} products) into table ${table.tableName} at ${table.endpoint}`);
    expect(first.stdout).toMatch(/writing items \d+\/\d+ \(100%\)/);
    expect(first.stdout).toContain(`${count} created, 0 updated, 0 unchanged (${count * 2} items written)`);

    const second = await runCli(target);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(`0 created, 0 updated, ${count} unchanged (0 items written)`);
    expect(second.stdout).not.toContain('writing items');

    const products = await getProductsByIds(new DynamoDbCatalogRepository(table.documentClient, table.tableName), ['mug-classic']);
    expect(products[0]?.available).toBe(120);
  });

  it('finds the running npm start by itself (its DynamoDB Local and table), prints no SDK notice, and says where it wrote', async () => {
    const note = join(mkdtempSync(join(tmpdir(), 'seed-running-')), 'running-stack.json');
    const running = { url: 'http://localhost:3999', pid: process.pid, dataDir: null, dynamodb: { endpoint: table.endpoint, tableName: table.tableName }, startedAt: new Date().toISOString() };
    writeFileSync(note, JSON.stringify(running));
    const result = await runCli([], { ORDERFLOW_RUNNING_STACK_FILE: note });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`into table ${table.tableName} at ${table.endpoint} — the DynamoDB Local of the running npm start (http://localhost:3999, data in memory)`);
    expect(result.stderr).toBe('');
  });

  it('loads the high-stock load set with --load', async () => {
    const result = await runCli(['--endpoint', table.endpoint, '--table', table.tableName, '--load']);
    expect(result.code).toBe(0);
    const count = loadCatalogFile(LOAD_CATALOG_PATH).products.length;
    expect(result.stdout).toContain(`${count} created`);
  });

  it('fails clearly on a bad catalog file, writing nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'seed-cli-'));
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ name: 'bad', products: [{ productId: 'zz-bad', name: 'Bad', price: { amount: -5, currency: 'USD' }, stock: 1 }] }));
    const result = await runCli(['--endpoint', table.endpoint, '--table', table.tableName, '--catalog', file]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`seed: ${file} is not a valid catalog:`);
    expect(result.stderr).toContain('products[0] (zz-bad) price.amount:');
    const stored = await getProductsByIds(new DynamoDbCatalogRepository(table.documentClient, table.tableName), ['zz-bad']);
    expect(stored).toEqual([]);
  });

  it('explains an unreachable endpoint, a missing table and a bad flag', async () => {
    const unreachable = await runCli(['--endpoint', 'http://127.0.0.1:9', '--table', table.tableName]);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain('seed: cannot reach DynamoDB at http://127.0.0.1:9');

    const missing = await runCli(['--endpoint', table.endpoint, '--table', 'no-such-table']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`seed: table no-such-table at ${table.endpoint} does not exist`);

    const bad = await runCli(['--colour', 'red']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("Unknown option '--colour'");
  });
});
