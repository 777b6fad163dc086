import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { announceRunningStack, findRunningStack, withdrawRunningStack } from './running-stack';
import { workspaceRoot } from './workspace-root';

const dir = mkdtempSync(join(tmpdir(), 'workspace-'));
afterEach(() => {
  delete process.env['ORDERFLOW_RUNNING_STACK_FILE'];
});

describe('workspaceRoot', () => {
  it('is the nearest folder above with nx.json, and says so when there is none', () => {
    const root = join(dir, 'repo');
    mkdirSync(join(root, 'apps', 'x', 'src'), { recursive: true });
    writeFileSync(join(root, 'nx.json'), '{}');
    expect(workspaceRoot(join(root, 'apps', 'x', 'src'))).toBe(root);
    expect(() => workspaceRoot('/')).toThrow(/no nx.json above/);
    expect(workspaceRoot()).toMatch(/\S/);
  });
});

describe('the running stack', () => {
  const stack = { url: 'http://localhost:3000', pid: process.pid, dataDir: null, dynamodb: { endpoint: 'http://127.0.0.1:8000', tableName: 'orderflow' }, startedAt: new Date().toISOString() };

  it('is found while its process lives, and forgotten when it stops', () => {
    process.env['ORDERFLOW_RUNNING_STACK_FILE'] = join(dir, 'a', 'running-stack.json');
    expect(findRunningStack()).toBeUndefined();
    announceRunningStack(stack);
    expect(findRunningStack()).toEqual(stack);
    withdrawRunningStack(process.pid + 1);
    expect(findRunningStack()).toEqual(stack);
    withdrawRunningStack();
    expect(findRunningStack()).toBeUndefined();
  });

  it('is not found when the file names a process that is gone (a killed stack)', () => {
    process.env['ORDERFLOW_RUNNING_STACK_FILE'] = join(dir, 'b', 'running-stack.json');
    announceRunningStack({ ...stack, pid: 2 ** 22 + 7 });
    expect(findRunningStack()).toBeUndefined();
  });
});
