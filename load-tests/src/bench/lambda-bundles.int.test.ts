import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { workspaceRoot } from '@orderflow/dynamodb-local';
import { afterAll, describe, expect, it } from 'vitest';
import { benchBundles, benchParts, formatBundleTable, formatPartsTable } from './lambda-bundles';

const outDir = join(workspaceRoot(), 'load-tests', '.cache', `test-bundles-${process.pid}`);
const partsDir = join(workspaceRoot(), 'load-tests', '.cache', `test-parts-${process.pid}`);
afterAll(() => {
  rmSync(outDir, { recursive: true, force: true });
  rmSync(partsDir, { recursive: true, force: true });
});

describe('benchBundles', () => {
  it('bundles a handler as the CDK stack does and imports it in fresh Node processes', async () => {
    const [figures] = await benchBundles({ runs: 2, handlers: ['get-order'], outDir });
    expect(figures?.handler).toBe('get-order');
    expect(existsSync(join(outDir, 'get-order', 'index.mjs'))).toBe(true);
    expect(figures?.bytes).toBeGreaterThan(10_000);
    expect(figures?.gzipBytes).toBeLessThan(figures?.bytes ?? 0);
    expect(figures?.mapBytes).toBeGreaterThan(0);
    expect(figures?.largestInputs.length).toBeGreaterThan(0);
    expect(figures?.importRunsMs).toHaveLength(2);
    expect(figures?.importMs).toBeGreaterThan(0);
    expect(figures?.importMsSourceMaps).toBeGreaterThan(0);
    // the SDK is inside (as the stack bundles it): without it, the bundle is smaller
    expect(figures?.sdkExternal.bytes).toBeLessThan(figures?.bytes ?? 0);
    expect(figures?.sdkExternal.importMs).toBeGreaterThan(0);
    expect(formatBundleTable(figures ? [figures] : [])).toMatch(/\| get-order \| \d+ KB \|/);
  });

  it('times a package the handlers import, alone', async () => {
    const [zod] = await benchParts({ runs: 1, parts: ['zod'], outDir: partsDir });
    expect(zod?.part).toBe('zod');
    expect(zod?.bytes).toBeGreaterThan(10_000);
    expect(zod?.importMs).toBeGreaterThan(0);
    expect(formatPartsTable(zod ? [zod] : [])).toMatch(/\| zod \| \d+ KB \|/);
  });
});
