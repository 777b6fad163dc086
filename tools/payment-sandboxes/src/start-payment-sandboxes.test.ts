import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startPaymentSandboxes } from './start-payment-sandboxes';

describe('startPaymentSandboxes', () => {
  it('starts both sandboxes on free ports, with the env that points the payments library at them', async () => {
    const sandboxes = await startPaymentSandboxes();
    try {
      expect(sandboxes.stripe.port).not.toBe(sandboxes.paypal.port);
      expect(sandboxes.env).toEqual({
        STRIPE_SECRET_KEY: sandboxes.stripe.secretKey,
        STRIPE_API_BASE: `http://127.0.0.1:${sandboxes.stripe.port}`,
        PAYPAL_CLIENT_ID: sandboxes.paypal.clientId,
        PAYPAL_CLIENT_SECRET: sandboxes.paypal.clientSecret,
        PAYPAL_BASE_URL: `http://127.0.0.1:${sandboxes.paypal.port}`,
      });
      expect(await (await fetch(`${sandboxes.stripe.url}/_sandbox`)).json()).toMatchObject({ sandbox: 'stripe' });
      expect(await (await fetch(`${sandboxes.paypal.url}/_sandbox`)).json()).toMatchObject({ sandbox: 'paypal' });
    } finally {
      await sandboxes.stop();
    }
    await expect(fetch(`${sandboxes.stripe.url}/_sandbox`)).rejects.toThrow();
  });

  it('gives each start its own credentials', async () => {
    const [a, b] = await Promise.all([startPaymentSandboxes(), startPaymentSandboxes()]);
    try {
      expect(a.stripe.secretKey).not.toBe(b.stripe.secretKey);
      expect(a.paypal.clientSecret).not.toBe(b.paypal.clientSecret);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });
});

describe('the CLI (npm start)', () => {
  it('prints both URLs and the variables to use, serves until stopped', async () => {
    const cli = join(dirname(fileURLToPath(import.meta.url)), 'cli.ts');
    const child = spawn(process.execPath, ['--import', 'tsx', cli, '--stripe-port', '0', '--paypal-port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`CLI did not start: ${output}`)), 20_000);
        child.stdout.on('data', () => {
          if (output.includes('Ctrl-C stops them.')) {
            clearTimeout(timer);
            resolve();
          }
        });
        child.once('exit', (code) => reject(new Error(`CLI exited with ${code}: ${output}`)));
      });
      const stripeUrl = /Stripe sandbox\s+(http:\/\/\S+)/.exec(output)?.[1];
      const paypalUrl = /PayPal sandbox\s+(http:\/\/\S+)/.exec(output)?.[1];
      expect(output).toContain('STRIPE_API_BASE=');
      expect(output).toContain('PAYPAL_BASE_URL=');
      expect(await (await fetch(`${stripeUrl}/_sandbox`)).json()).toMatchObject({ sandbox: 'stripe' });
      expect(await (await fetch(`${paypalUrl}/_sandbox`)).json()).toMatchObject({ sandbox: 'paypal' });
    } finally {
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });
});
