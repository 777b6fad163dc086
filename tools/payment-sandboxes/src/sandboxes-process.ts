import type { ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTiedChild } from '@orderflow/child-process';
import type { PaymentSandboxes } from './start-payment-sandboxes';

/** What the CLI prints (one JSON line) once both sandboxes listen, with `--ready-json`. */
export interface PaymentSandboxesReady {
  stripe: { url: string };
  paypal: { url: string };
  env: PaymentSandboxes['env'];
}

/** Both sandboxes in a process of their own; state, faults and requests through their `/_sandbox/` HTTP routes. */
export interface PaymentSandboxesProcess extends PaymentSandboxesReady {
  pid: number | undefined;
  stop(): Promise<void>;
}

export interface PaymentSandboxesProcessOptions {
  /** How long to wait for both to listen. Default 20 s. */
  startTimeoutMs?: number;
  /** Keep the ledgers in this folder across restarts, as the providers keep their state (default: in memory). */
  dataDir?: string;
}

export class PaymentSandboxesStartError extends Error {
  override name = 'PaymentSandboxesStartError';
}

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Starts the Stripe and PayPal sandboxes in a child Node process, each on a free port: providers
 * are other machines, so their HTTP does not share the caller's event loop and CPU. The child
 * dies with this process even when it is SIGKILLed (`setpriv --pdeathsig` on Linux, else the
 * child watches its parent).
 */
export async function startPaymentSandboxesProcess(options: PaymentSandboxesProcessOptions = {}): Promise<PaymentSandboxesProcess> {
  const args = [
    '--import',
    'tsx',
    join(packageDir, 'src', 'cli.ts'),
    '--stripe-port',
    '0',
    '--paypal-port',
    '0',
    '--ready-json',
    ...(options.dataDir === undefined ? [] : ['--data-dir', options.dataDir]),
  ];
  // NODE_OPTIONS emptied: flags meant for the caller (the load driver's CPU probe, --inspect) are not for the sandboxes.
  const { child, output, stop } = startTiedChild(process.execPath, args, {
    cwd: packageDir,
    env: { ...process.env, NODE_OPTIONS: '' },
    captureStdout: false,
  });
  try {
    const ready = await readReadyLine(child, options.startTimeoutMs ?? 20_000, output);
    return { ...ready, pid: child.pid, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function readReadyLine(child: ChildProcess, timeoutMs: number, stderr: () => string): Promise<PaymentSandboxesReady> {
  return new Promise((resolve, reject) => {
    let out = '';
    const fail = (message: string) => {
      clearTimeout(timer);
      reject(new PaymentSandboxesStartError(`${message}${stderr().trim() ? `: ${stderr().trim().slice(-600)}` : ''}`));
    };
    const timer = setTimeout(() => fail(`the payment sandboxes did not start within ${timeoutMs} ms`), timeoutMs);
    child.once('exit', (code, signal) => fail(`the payment sandboxes exited (${code ?? signal}) before listening`));
    child.once('error', (error) => fail(`could not run the payment sandboxes: ${error.message}`));
    child.stdout?.on('data', (chunk: Buffer) => {
      if (out.includes('\n')) return;
      out += chunk.toString();
      const newline = out.indexOf('\n');
      if (newline < 0) return;
      clearTimeout(timer);
      try {
        resolve(JSON.parse(out.slice(0, newline)) as PaymentSandboxesReady);
      } catch {
        fail(`the payment sandboxes printed ${out.slice(0, newline)} instead of their addresses`);
      }
    });
  });
}
