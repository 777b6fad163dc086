import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { workspaceRoot } from '@orderflow/dynamodb-local';

/**
 * The stack as a user starts it: `npm start` in the repository root, as a child process in
 * its own process group (so a test can prove nothing of it is left after a stop).
 */

export interface StackProcess {
  url: string;
  port: number;
  child: ChildProcess;
  /** The process group of `npm start` and everything it started. */
  pgid: number;
  /** stdout so far. */
  stdout(): string;
  /** stdout and stderr so far. */
  output(): string;
  /**
   * Sends a signal to `npm` (as a process manager would) — or, with `group`, to every
   * process of the group, as Ctrl-C in a terminal does — and waits for npm to exit.
   */
  stop(signal?: NodeJS.Signals, options?: { timeoutMs?: number; group?: boolean }): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface StartOptions {
  args?: string[];
  env?: Record<string, string>;
  timeoutMs?: number;
}

const READY = /^orderflow ready on (http:\/\/localhost:(\d+))$/m;
const READY_JSON = /"msg":"orderflow ready on (http:\/\/localhost:(\d+))"/;

/** The environment a user's shell would have: no test runner variables. */
function userEnvironment(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith('VITEST') || key === 'NODE_OPTIONS' || key === 'NODE_ENV' || key === 'TEST') continue;
    env[key] = value;
  }
  return { ...env, PORT: '0', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...extra };
}

export function startStackProcess(options: StartOptions = {}): Promise<StackProcess> {
  const child = spawn('npm', ['start', '--', ...(options.args ?? [])], {
    cwd: workspaceRoot(),
    env: userEnvironment(options.env ?? {}),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let stdout = '';
  let all = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    all += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    all += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const pgid = child.pid as number;

  const stop: StackProcess['stop'] = async (signal = 'SIGTERM', { timeoutMs = 30_000, group = false } = {}) => {
    if (child.exitCode === null && child.signalCode === null) {
      if (group) process.kill(-pgid, signal);
      else child.kill(signal);
    }
    const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), timeoutMs).unref());
    const outcome = await Promise.race([exited, timer]);
    if (outcome === 'timeout') {
      killGroup(pgid);
      throw new Error(`npm start did not exit within ${timeoutMs} ms of ${signal}:\n${all.slice(-3000)}`);
    }
    return outcome;
  };

  return new Promise((resolve, reject) => {
    const deadline = setTimeout(() => {
      killGroup(pgid);
      reject(new Error(`no ready line within ${options.timeoutMs ?? 120_000} ms:\n${all.slice(-4000)}`));
    }, options.timeoutMs ?? 120_000);
    const check = () => {
      const match = READY.exec(stdout) ?? READY_JSON.exec(stdout);
      if (!match) return;
      clearTimeout(deadline);
      child.stdout?.off('data', check);
      resolve({ url: match[1] as string, port: Number(match[2]), child, pgid, stdout: () => stdout, output: () => all, stop });
    };
    child.stdout?.on('data', check);
    void exited.then(({ code, signal }) => {
      clearTimeout(deadline);
      reject(Object.assign(new Error(`npm start exited (${signal ?? code}) before it was ready:\n${all.slice(-4000)}`), { code, output: all }));
    });
  });
}

/** Runs `npm start` to its end (for starts that must fail). */
export function runStackToExit(options: StartOptions = {}): { code: number | null; output: string } {
  const result = spawnSync('npm', ['start', '--', ...(options.args ?? [])], {
    cwd: workspaceRoot(),
    env: userEnvironment(options.env ?? {}),
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 60_000,
  });
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

/**
 * Processes still running in a process group (none once everything stopped). Zombies are
 * not counted: they have exited and wait for init to reap them (which a container's PID 1
 * may never do).
 */
export function processesInGroup(pgid: number): string[] {
  const result = spawnSync('ps', ['-e', '-o', 'pgid=,pid=,stat=,args='], { encoding: 'utf8' });
  return result.stdout
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([group, , stat]) => Number(group) === pgid && !stat?.startsWith('Z'))
    .map(([, pid, , ...args]) => `${pid} ${args.join(' ')}`);
}

function killGroup(pgid: number): void {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // already gone
  }
}
