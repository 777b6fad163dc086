import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { childSurvivesKilledParent, isProcessAlive, startParentOfChild } from '@orderflow/testing';
import { describe, expect, it } from 'vitest';
import { startPaymentSandboxesProcess } from './sandboxes-process';

describe('startPaymentSandboxesProcess', () => {
  it('runs both sandboxes in a child process, controlled over HTTP, and stops it', async () => {
    const sandboxes = await startPaymentSandboxesProcess();
    try {
      expect(sandboxes.pid).toBeDefined();
      expect(sandboxes.pid).not.toBe(process.pid);
      expect(isProcessAlive(sandboxes.pid ?? 0)).toBe(true);
      expect(sandboxes.env.STRIPE_API_BASE).toBe(sandboxes.stripe.url);
      expect(sandboxes.env.PAYPAL_BASE_URL).toBe(sandboxes.paypal.url);
      expect(sandboxes.env.STRIPE_SECRET_KEY).toMatch(/^sk_test_/);
      expect(await (await fetch(`${sandboxes.stripe.url}/_sandbox`)).json()).toMatchObject({ sandbox: 'stripe' });
      expect(await (await fetch(`${sandboxes.paypal.url}/_sandbox`)).json()).toMatchObject({ sandbox: 'paypal' });
      // The fault control tests use works across the process boundary.
      const set = await fetch(`${sandboxes.stripe.url}/_sandbox/faults`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ errorRate: 1, errorStatus: 503 }),
      });
      expect(set.ok).toBe(true);
      const charge = await fetch(`${sandboxes.stripe.url}/v1/payment_intents`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${sandboxes.env.STRIPE_SECRET_KEY}`, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'amount=100&currency=eur',
      });
      expect(charge.status).toBe(503);
    } finally {
      await sandboxes.stop();
    }
    expect(isProcessAlive(sandboxes.pid ?? 0)).toBe(false);
    await expect(fetch(`${sandboxes.stripe.url}/_sandbox`)).rejects.toThrow();
  });

  it.runIf(process.platform === 'linux')('dies with a parent that is SIGKILLed (no exit hook runs)', async () => {
    const script = `
      import { startPaymentSandboxesProcess } from './src/sandboxes-process.ts';
      const sandboxes = await startPaymentSandboxesProcess();
      console.log(JSON.stringify({ pid: sandboxes.pid }));
      setInterval(() => undefined, 1000);
    `;
    const { parent, childPid } = await startParentOfChild(script, join(import.meta.dirname, '..'));
    expect(isProcessAlive(childPid)).toBe(true);
    expect(await childSurvivesKilledParent(parent, childPid)).toBe(false);
  });

  it('keeps its ledgers in the data folder: a SIGKILLed process, started again, still knows the payment', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sandboxes-process-'));
    try {
      const first = await startPaymentSandboxesProcess({ dataDir });
      const created = await fetch(`${first.stripe.url}/v1/payment_intents`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${first.env.STRIPE_SECRET_KEY}`, 'Content-Type': 'application/x-www-form-urlencoded', 'Idempotency-Key': 'ord_9:authorize' },
        body: 'amount=4200&currency=usd&payment_method=pm_card_visa&allowed_payment_method_types[0]=card&capture_method=manual&confirm=true',
      });
      const { id } = (await created.json()) as { id: string };
      process.kill(first.pid ?? 0, 'SIGKILL');
      await first.stop();
      const second = await startPaymentSandboxesProcess({ dataDir });
      try {
        const intents = (await (await fetch(`${second.stripe.url}/_sandbox/payment_intents`)).json()) as { data: { id: string; status: string }[] };
        expect(intents.data).toEqual([expect.objectContaining({ id, status: 'requires_capture' })]);
        expect(await (await fetch(`${second.stripe.url}/_sandbox`)).json()).toMatchObject({ ledger: join(dataDir, 'stripe.jsonl') });
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
