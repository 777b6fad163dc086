import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { workspaceRoot } from '@orderflow/dynamodb-local';

/** The probe the driver loads into the stack's process (see probe/stack-probe.mjs). */
export const STACK_PROBE_PATH = fileURLToPath(new URL('./probe/stack-probe.mjs', import.meta.url));

export interface LocalStackProcess {
  /** `http://localhost:<port>` */
  baseUrl: string;
  /** The probe's control endpoint, when it was loaded. */
  probeUrl: string | undefined;
  pid: number;
  readyInMs: number;
  stop(): Promise<void>;
}

export interface StartLocalStackOptions {
  /** Load the probe into the stack (outgoing calls, CPU profiles). Default true. */
  probe?: boolean;
  /** Startup progress, one line per step of the stack's log. */
  onProgress?: (line: string) => void;
  /** Give up after this long (default 120 s: a first start synthesizes the CDK app). */
  timeoutMs?: number;
  /** Extra arguments for `npm start --` (default: --in-memory). */
  args?: string[];
}

export class LocalStackStartError extends Error {
  override name = 'LocalStackStartError';
}

/**
 * Starts `npm start --silent -- --in-memory --port 0 --log-format json` as a user would, in a
 * process group of its own, and resolves when it prints its ready line. The JSON log is read
 * for the startup steps; later lines (one per request) are read and dropped.
 */
export function startLocalStack(options: StartLocalStackOptions = {}): Promise<LocalStackProcess> {
  const probe = options.probe ?? true;
  const probeDir = probe ? mkdtempSync(join(tmpdir(), 'orderflow-load-probe-')) : undefined;
  const probeFile = probeDir ? join(probeDir, 'probe.json') : undefined;
  const args = ['start', '--silent', '--', ...(options.args ?? ['--in-memory']), '--port', '0', '--log-format', 'json'];
  const env: NodeJS.ProcessEnv = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
  delete env['PORT'];
  if (probeFile) {
    env['ORDERFLOW_LOAD_PROBE_FILE'] = probeFile;
    // A file URL: no spaces for NODE_OPTIONS to split on.
    env['NODE_OPTIONS'] = `${env['NODE_OPTIONS'] ?? ''} --import=${pathToFileURL(STACK_PROBE_PATH).href}`.trim();
  }
  const child = spawn('npm', args, { cwd: workspaceRoot(), env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const cleanup = () => {
    if (probeDir) rmSync(probeDir, { recursive: true, force: true });
  };
  return new Promise<LocalStackProcess>((resolve, reject) => {
    let settled = false;
    let stderr = '';
    let buffer = '';
    const fail = (message: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void stopGroup(child).finally(cleanup);
      reject(new LocalStackStartError(`${message}${stderr ? `\n${stderr.trim().split('\n').slice(-15).join('\n')}` : ''}`));
    };
    const timer = setTimeout(() => fail(`npm start was not ready within ${(options.timeoutMs ?? 120_000) / 1000} s`), options.timeoutMs ?? 120_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-20_000);
    });
    child.once('error', (error) => fail(`could not run npm start: ${error.message}`));
    child.once('exit', (code, signal) => fail(`npm start exited (${signal ?? code}) before it was ready`));
    child.stdout?.on('data', (chunk: Buffer) => {
      if (settled) return; // after ready: drain the request log
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        const record = parseJsonLine(line);
        if (!record) continue;
        if (record['type'] === 'startup' && typeof record['msg'] === 'string') {
          options.onProgress?.(`${String(record['step'] ?? '').padEnd(10)} ${record['msg']}`);
        } else if (record['level'] === 'error' && typeof record['msg'] === 'string') {
          options.onProgress?.(`error      ${record['msg']}`);
        }
        if (record['type'] === 'ready' && typeof record['url'] === 'string') {
          const baseUrl = record['url'];
          const readyInMs = Number(record['readyInMs']);
          void readProbe(probeFile).then(
            (probeUrl) => {
              if (settled) return;
              settled = true;
              clearTimeout(timer);
              child.removeAllListeners('exit');
              resolve({
                baseUrl,
                probeUrl,
                pid: child.pid ?? 0,
                readyInMs,
                stop: () => stopGroup(child).finally(cleanup),
              });
            },
            (error: unknown) => fail(`the stack probe did not answer: ${(error as Error).message}`),
          );
        }
      }
    });
  });
}

function parseJsonLine(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

async function readProbe(probeFile: string | undefined): Promise<string | undefined> {
  if (!probeFile) return undefined;
  for (let attempt = 0; attempt < 50; attempt++) {
    try {
      const { port } = JSON.parse(readFileSync(probeFile, 'utf8')) as { port: number };
      return `http://127.0.0.1:${port}`;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`no ${probeFile}`);
}

/** SIGTERM to the process group we started (the stack stops cleanly), SIGKILL after 20 s. */
function stopGroup(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return resolve();
    const pid = child.pid;
    const kill = (signal: NodeJS.Signals) => {
      try {
        process.kill(-pid, signal);
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => kill('SIGKILL'), 20_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    kill('SIGTERM');
  });
}
