import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { workspaceRoot } from '@orderflow/dynamodb-local';
import { afterAll, describe, expect, it } from 'vitest';
import type { CheckoutAccount } from './accounting';
import type { LoadReport } from './cli';
import type { RunSummary } from './summary';

const dir = mkdtempSync(join(tmpdir(), 'orderflow-load-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `npm run load -- <args>` as a user runs it; stdout, stderr, exit code. */
function runLoadCommand(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', 'load', '--silent', '--', ...args], {
      cwd: workspaceRoot(),
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npm run load against a stack it starts (npm start --in-memory, free port)', () => {
  it('runs the checkout scenario: no failures, every answer a 201, the accounting and the DynamoDB Local ceiling', async () => {
    const json = join(dir, 'checkout.json');
    const { code, stdout, stderr } = await runLoadCommand([
      '--scenario',
      'checkout',
      '--connections',
      '4',
      '--duration',
      '2s',
      '--warmup',
      '0',
      '--account',
      '--ceiling',
      '--json',
      json,
    ]);
    expect(code, `${stdout}\n${stderr}`).toBe(0);
    // progress on stderr: the stack's startup, the seeding, the run
    expect(stderr).toMatch(/starting the local stack/);
    expect(stderr).toMatch(/seeded 50 products/);
    expect(stderr).toMatch(/stopping the local stack/);
    // the same summary k6's handleSummary prints
    expect(stdout).toMatch(/checkout against http:\/\/localhost:\d+ \(autocannon, 4 concurrent clients/);
    expect(stdout).toMatch(/latency {4}avg [\d.]+ ms · med [\d.]+ ms · p90 [\d.]+ ms · p95 [\d.]+ ms · max [\d.]+ ms/);

    const report = JSON.parse(readFileSync(json, 'utf8')) as LoadReport;
    const summary = report.levels[0]?.summary as RunSummary;
    expect(summary.requests.total).toBeGreaterThan(0);
    expect(summary.requests.failed).toBe(0);
    expect(summary.statuses).toEqual({ '201': summary.requests.total });
    expect(summary.latencyMs.min).toBeGreaterThan(0);
    expect(summary.latencyMs.med).toBeLessThanOrEqual(summary.latencyMs.p95);
    expect(summary.latencyMs.p95).toBeLessThanOrEqual(summary.latencyMs.max);

    // single checkouts, accounted from their histories and the probe
    const accounts = report.accounting as CheckoutAccount[];
    expect(accounts.length).toBeGreaterThanOrEqual(3);
    for (const account of accounts) {
      expect(account.status).toBe(201);
      expect(account.execution.stateTransitions).toBeGreaterThan(10);
      // price, a reservation per line, authorize, save, capture, record
      expect(account.execution.lambdaInvocations).toBe(account.lines + 5);
      expect(account.consumerInvocations).toBeGreaterThanOrEqual(2);
      expect(Object.values(account.dynamoInRequest).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(account.lines + 4);
      expect(account.trace.groups.length).toBeGreaterThan(0);
    }
    // the replay of those calls straight against DynamoDB Local: all accepted
    const ceiling = report.levels[0]?.ceiling;
    expect(ceiling?.iterations).toBeGreaterThan(0);
    expect(ceiling?.errors).toEqual({});
    expect(report.cost?.input.lambdas.length).toBeGreaterThan(0);
  });
});
