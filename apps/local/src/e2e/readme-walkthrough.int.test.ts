import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { workspaceRoot } from '@orderflow/dynamodb-local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StackProcess, startStackProcess } from '../stack-process';
import { describeMismatch, runWalkthrough } from '../walkthrough/run-walkthrough';
import { comparableStartup, readmeStartupSample, startupLines } from '../walkthrough/startup-sample';
import { parseWalkthrough } from '../walkthrough/walkthrough-document';

/**
 * The README's walkthrough, command by command, in one bash against a fresh `npm start --
 * --in-memory`, as a reader pastes it: every answer must say what the README shows (ids, times
 * and ports aside). `npm run walkthrough -w @orderflow/local -- --write` refreshes the README.
 */

const dir = mkdtempSync(join(tmpdir(), 'orderflow-walkthrough-'));
const env = { ORDERFLOW_RUNNING_STACK_FILE: join(dir, 'running-stack.json') };
let stack: StackProcess;

beforeAll(async () => {
  stack = await startStackProcess({ args: ['--in-memory'], env });
}, 180_000);
afterAll(async () => {
  await stack?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the README walkthrough against npm start', () => {
  it("shows the start-up as npm start prints it (the same steps saying the same things; times, ports and folders aside)", () => {
    const readme = comparableStartup(readmeStartupSample(readFileSync(join(workspaceRoot(), 'README.md'), 'utf8')));
    const actual = comparableStartup(startupLines(stack.stdout()));
    expect(actual.length).toBeGreaterThan(8);
    expect(readme, `README's sample start-up differs from this start's:\n${startupLines(stack.stdout()).join('\n')}`).toEqual(actual);
  });

  it('answers every command as the README shows', async () => {
    const steps = parseWalkthrough(readFileSync(join(workspaceRoot(), 'README.md'), 'utf8'));
    expect(steps.length).toBeGreaterThan(30);
    const results = await runWalkthrough({ steps, port: stack.port, cwd: workspaceRoot(), env: { ...process.env, ...env } });
    const mismatches = results.filter((r) => !r.matches).map(describeMismatch);
    expect(mismatches, `${mismatches.length} answers differ from the README (npm run walkthrough -w @orderflow/local -- --write refreshes it):\n${mismatches.join('\n\n')}`).toEqual([]);
  }, 300_000);
});
