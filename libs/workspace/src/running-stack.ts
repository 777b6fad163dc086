import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { cacheDir } from './workspace-root';

/**
 * Where a running `npm start` says it is (`.cache/running-stack.json`), so the tools that talk
 * to it — `npm run token`, `npm run seed` — find it by themselves. Written once the stack is
 * ready, removed when it stops; a file left by a killed stack names a process that is gone.
 */

export interface RunningStack {
  url: string;
  pid: number;
  dataDir: string | null;
  dynamodb: { endpoint: string; tableName: string };
  startedAt: string;
}

/** `ORDERFLOW_RUNNING_STACK_FILE` moves it (a test's stack must not take the place of the one a developer runs). */
export function runningStackFile(): string {
  return process.env['ORDERFLOW_RUNNING_STACK_FILE'] ?? join(cacheDir(), 'running-stack.json');
}

export function announceRunningStack(stack: RunningStack): void {
  mkdirSync(dirname(runningStackFile()), { recursive: true });
  writeFileSync(runningStackFile(), `${JSON.stringify(stack, null, 2)}\n`);
}

/** Removes the file if it is this process's. */
export function withdrawRunningStack(pid = process.pid): void {
  const found = readRunningStack();
  if (found?.pid === pid) rmSync(runningStackFile(), { force: true });
}

function readRunningStack(): RunningStack | undefined {
  if (!existsSync(runningStackFile())) return undefined;
  try {
    return JSON.parse(readFileSync(runningStackFile(), 'utf8')) as RunningStack;
  } catch {
    return undefined;
  }
}

/** The stack `npm start` runs now on this checkout, if any (its process alive). */
export function findRunningStack(): RunningStack | undefined {
  const found = readRunningStack();
  if (!found) return undefined;
  try {
    process.kill(found.pid, 0);
    return found;
  } catch {
    return undefined;
  }
}
