import { spawn, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { workspaceRoot } from './workspace';

/** Processes of a group still running (zombies, which have exited, aside). */
function processesInGroup(pgid: number): string[] {
  const ps = spawnSync('ps', ['-e', '-o', 'pgid=,pid=,stat=,args='], { encoding: 'utf8' });
  return ps.stdout
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([group, , stat]) => Number(group) === pgid && !stat?.startsWith('Z'))
    .map(([, pid, , ...args]) => `${pid} ${args.join(' ')}`);
}

describe('npm start -w @orderflow/dynamodb-local', () => {
  it('runs DynamoDB Local with the table, and a SIGTERM to npm stops it, Java included', async () => {
    const child = spawn('npm', ['start', '-w', '@orderflow/dynamodb-local', '--', '--port', '0', '--in-memory'], {
      cwd: workspaceRoot(),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const pgid = child.pid as number;
    let output = '';
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          if (/DynamoDB Local ready on http:\/\/127\.0\.0\.1:\d+ \(table orderflow\)/.test(output)) resolve();
        });
        child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
        child.once('exit', (code) => reject(new Error(`npm exited ${code}: ${output}`)));
      });
      expect(processesInGroup(pgid).some((p) => p.includes('DynamoDBLocal.jar'))).toBe(true);
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await exited;
      const deadline = Date.now() + 10_000;
      while (processesInGroup(pgid).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      expect(processesInGroup(pgid)).toEqual([]);
    } finally {
      try {
        process.kill(-pgid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }, 90_000);
});
