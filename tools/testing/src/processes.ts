import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** Running, not a zombie waiting to be reaped by whatever PID 1 is here (Linux: /proc). */
export function isProcessAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/**
 * Runs `script` (an ES module, through tsx, in `cwd`) as a parent process that starts a child
 * and prints `{"pid": <child pid>}` as its first line; answers the parent and that pid.
 */
export async function startParentOfChild(script: string, cwd: string): Promise<{ parent: ChildProcess; childPid: number }> {
  const parent = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  parent.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  while (!out.includes('\n')) {
    if (parent.exitCode !== null) throw new Error(`parent exited early: ${out}`);
    await sleep(100);
  }
  const { pid } = JSON.parse(out.trim().split('\n')[0] ?? '{}') as { pid: number };
  return { parent, childPid: pid };
}

/**
 * SIGKILLs `parent` (no exit hook runs) and answers whether `childPid` is still alive once the
 * kernel has had up to 10 s to deliver the parent-death signal (polled, not timed).
 */
export async function childSurvivesKilledParent(parent: ChildProcess, childPid: number): Promise<boolean> {
  parent.kill('SIGKILL');
  await once(parent, 'exit');
  for (let i = 0; i < 100 && isProcessAlive(childPid); i++) await sleep(100);
  return isProcessAlive(childPid);
}
