import { type ChildProcess, type ChildProcessByStdio, spawn, type SpawnOptionsWithStdioTuple, type StdioNull, type StdioPipe } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';

export interface TiedChildOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** How long `stop()` waits after SIGTERM before SIGKILL, ms (default 5000). */
  stopGraceMs?: number;
  /** false: stdout is left to the caller (a child that prints a ready line), not collected. */
  captureStdout?: boolean;
}

export interface TiedChild {
  child: ChildProcessByStdio<null, Readable, Readable>;
  /** The last 4000 characters the child wrote (stderr, and stdout unless the caller reads it). */
  output(): string;
  /** SIGTERM, then SIGKILL after the grace period; resolves when the child has exited. */
  stop(): Promise<void>;
}

const SETPRIV = '/usr/bin/setpriv';

/**
 * Starts a helper process (stdio piped) that never outlives this one: an exit hook kills it
 * when this process exits, and because that hook does not run when this process is SIGKILLed,
 * on Linux `setpriv --pdeathsig` has the kernel kill the child with its parent.
 */
export function startTiedChild(
  command: string,
  args: readonly string[],
  options: TiedChildOptions,
): TiedChild {
  const tie = process.platform === 'linux' && existsSync(SETPRIV);
  const spawnOptions: SpawnOptionsWithStdioTuple<StdioNull, StdioPipe, StdioPipe> = {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  };
  const child = tie ? spawn(SETPRIV, ['--pdeathsig', 'KILL', command, ...args], spawnOptions) : spawn(command, [...args], spawnOptions);

  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stderr.on('data', collect);
  if (options.captureStdout !== false) child.stdout.on('data', collect);

  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  return {
    child,
    output: () => output,
    stop: async () => {
      process.removeListener('exit', killOnExit);
      await stopChild(child, options.stopGraceMs ?? 5000);
    },
  };
}

async function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timeout = sleep(graceMs).then(() => 'timeout' as const);
  if ((await Promise.race([exited, timeout])) === 'timeout') {
    child.kill('SIGKILL');
    await exited;
  }
}
