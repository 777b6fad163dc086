import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { processesInGroup, type StackProcess, startStackProcess } from '../stack-process';

/**
 * What a crash does to a burst, as a user would see it: `npm start` on a data folder, a product
 * at stock 40, 50 concurrent checkouts each with its own Idempotency-Key; after 13 answers the
 * whole process group is SIGKILLed (DynamoDB Local and the sandboxes with it); `npm start`
 * again on the same folder; then most keys are retried every 5 s until their answer is final,
 * and the rest are never retried (recover-checkouts must finish those on its own). At the end
 * every guarantee of DESIGN.md holds: one order and one charge per key at most, nothing sold
 * twice, nothing held.
 */

type Item = Record<string, unknown>;

interface Info {
  dynamodb: { endpoint: string; tableName: string };
  sandboxes: { stripe: { url: string }; paypal: { url: string } };
}

interface Intent {
  id: string;
  status: string;
  amountReceived: number;
  amountRefunded: number;
  metadata: Record<string, string>;
}

const PRODUCT = 'mug-classic';
const STOCK = 40;
const KEYS = 50;
const ANSWERS_BEFORE_KILL = 13;
/** Keys never retried: recover-checkouts alone must finish them. */
const NEVER_RETRIED = 10;
const run = Date.now().toString(36);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a SIGKILL of npm start in the middle of a burst', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'orderflow-crash-burst-'));
  let stack: StackProcess | undefined;
  afterAll(async () => {
    await stack?.stop('SIGTERM', { group: true }).catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('loses nothing and charges nothing twice: retried keys get their answer, the others are finished by recovery', { timeout: 420_000 }, async () => {
    stack = await startStackProcess({ args: ['--data-dir', dataDir] });
    const info = async (s: StackProcess) => (await (await fetch(`${s.url}/_local/info`)).json()) as Info;
    const database = (i: Info) =>
      DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: i.dynamodb.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }));
    const first = await info(stack);
    const db1 = database(first);
    await db1.send(
      new UpdateCommand({ TableName: first.dynamodb.tableName, Key: { PK: `PRODUCT#${PRODUCT}`, SK: 'STOCK' }, UpdateExpression: 'SET available = :n', ExpressionAttributeValues: { ':n': STOCK } }),
    );
    db1.destroy();

    const customers = Array.from({ length: KEYS }, (_, i) => `burst-${run}-${i}`);
    const body = (customerId: string) => ({ customerId, items: [{ productId: PRODUCT, quantity: 1 }], payment: { method: 'card', paymentMethodId: 'pm_card_visa' } });
    // Tokens of the stack's development issuer: its key is kept in the data folder, so they still hold after the restart.
    const tokens = new Map<string, string>();
    for (const customerId of customers) {
      const res = await fetch(`${stack.url}/_local/auth/token`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ customerId }) });
      tokens.set(customerId, ((await res.json()) as { token: string }).token);
    }
    const post = (url: string, customerId: string) =>
      fetch(`${url}/orders`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Idempotency-Key': `key-${customerId}`, Authorization: `Bearer ${tokens.get(customerId)}` },
        body: JSON.stringify(body(customerId)),
      }).then(async (res) => ({ status: res.status, body: (await res.json()) as { orderId?: string; error?: { code: string } } }));

    // The burst; SIGKILL of the whole group after 13 answers.
    const answered = new Map<string, number>();
    const stack1 = stack;
    let killed!: () => void;
    const kill = new Promise<void>((resolve) => (killed = resolve));
    const burst = customers.map((customerId) =>
      post(stack1.url, customerId).then(
        (answer) => {
          answered.set(customerId, answer.status);
          if (answered.size === ANSWERS_BEFORE_KILL) killed();
        },
        () => undefined,
      ),
    );
    await kill;
    process.kill(-stack1.pgid, 'SIGKILL');
    await Promise.allSettled(burst);
    await stack1.stop('SIGKILL', { group: true }).catch(() => undefined);
    expect(processesInGroup(stack1.pgid)).toEqual([]);
    const unanswered = customers.filter((c) => !answered.has(c));
    expect(answered.size).toBeGreaterThanOrEqual(ANSWERS_BEFORE_KILL);
    expect(unanswered.length).toBeGreaterThan(NEVER_RETRIED);

    // Back on the same folder.
    stack = await startStackProcess({ args: ['--data-dir', dataDir] });
    const backAt = Date.now();
    const stack2 = stack;
    const retried = unanswered.slice(NEVER_RETRIED);
    const finalAnswers = new Map<string, { status: number; afterMs: number }>();
    await Promise.all(
      retried.map(async (customerId) => {
        for (;;) {
          const answer = await post(stack2.url, customerId).catch(() => undefined);
          const final = answer && answer.status < 500 && answer.body.error?.code !== 'IDEMPOTENCY_IN_PROGRESS';
          if (final) {
            finalAnswers.set(customerId, { status: answer.status, afterMs: Date.now() - backAt });
            return;
          }
          if (Date.now() - backAt > 240_000) throw new Error(`key of ${customerId} had no final answer 240 s after the restart`);
          await sleep(5_000);
        }
      }),
    );
    const slowest = Math.max(...[...finalAnswers.values()].map((a) => a.afterMs));

    // The keys nobody retries: recover-checkouts finishes them (no claim left in flight).
    const second = await info(stack2);
    const db = database(second);
    const scan = async (): Promise<Item[]> => {
      const items: Item[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const page = await db.send(new ScanCommand({ TableName: second.dynamodb.tableName, ConsistentRead: true, ...(start ? { ExclusiveStartKey: start } : {}) }));
        items.push(...(page.Items ?? []));
        start = page.LastEvaluatedKey;
      } while (start);
      return items;
    };
    let items = await scan();
    const inFlight = (all: Item[]) => all.filter((i) => String(i['PK']).startsWith('IDEMPOTENCY#burst-') && i['status'] === 'IN_PROGRESS');
    while (inFlight(items).length > 0) {
      if (Date.now() - backAt > 300_000) throw new Error(`claims still in flight 300 s after the restart: ${inFlight(items).map((i) => String(i['PK'])).join(', ')}`);
      await sleep(2_000);
      items = await scan();
    }
    const recoveredAfterMs = Date.now() - backAt;
    // Let the last resumed executions write their events and settle.
    await sleep(1_000);
    items = await scan();
    const intents = ((await (await fetch(`${second.sandboxes.stripe.url}/_sandbox/payment_intents`)).json()) as { data: Intent[] }).data.filter((pi) =>
      pi.metadata['customer_id']?.startsWith(`burst-${run}-`),
    );
    db.destroy();

    const problems: string[] = [];
    const orders = items.filter((i) => i['SK'] === 'ORDER' && String(i['customerId']).startsWith(`burst-${run}-`));
    const confirmed = orders.filter((o) => o['status'] === 'CONFIRMED');
    for (const customerId of customers) {
      const own = confirmed.filter((o) => o['customerId'] === customerId);
      if (own.length > 1) problems.push(`${customerId}: ${own.length} CONFIRMED orders`);
      for (const order of own) {
        const paid = intents.filter((pi) => pi.metadata['order_id'] === order['orderId'] && pi.amountReceived - pi.amountRefunded > 0);
        if (paid.length !== 1 || (order['payment'] as { status: string }).status !== 'CAPTURED') problems.push(`${customerId}: order paid ${paid.length} times`);
      }
    }
    for (const pi of intents) {
      if (pi.status === 'requires_capture') problems.push(`${pi.id} still authorized`);
      if (pi.amountReceived - pi.amountRefunded > 0 && !confirmed.some((o) => o['orderId'] === pi.metadata['order_id'])) problems.push(`${pi.id} kept without a CONFIRMED order`);
    }
    for (const reservation of items.filter((i) => String(i['SK']).startsWith('RESERVATION#') && i['status'] === 'RESERVED')) {
      const order = items.find((i) => i['PK'] === reservation['PK'] && i['SK'] === 'ORDER');
      if (order?.['status'] !== 'CONFIRMED') problems.push(`${String(reservation['PK'])} holds stock without a CONFIRMED order`);
    }
    const stock = (items.find((i) => i['PK'] === `PRODUCT#${PRODUCT}` && i['SK'] === 'STOCK')?.['available'] as number) ?? -1;
    const sold = confirmed.reduce((n, o) => n + (o['items'] as { quantity: number }[]).reduce((m, l) => m + l.quantity, 0), 0);
    if (stock + sold !== STOCK) problems.push(`stock ${stock} + confirmed ${sold} != ${STOCK}`);
    if (stock < 0) problems.push(`stock below zero: ${stock}`);

    console.log(
      [
        `crash burst: ${KEYS} keys, SIGKILL after ${answered.size} answers; ${retried.length} retried every 5 s, ${NEVER_RETRIED} never`,
        `after the restart: every retried key final within ${(slowest / 1000).toFixed(1)} s (${[...finalAnswers.values()].filter((a) => a.status === 201).length} x 201, others ${[...new Set([...finalAnswers.values()].map((a) => a.status).filter((s) => s !== 201))].join(', ') || 'none'}); no claim in flight after ${(recoveredAfterMs / 1000).toFixed(1)} s`,
        `orders CONFIRMED ${confirmed.length} (stock ${STOCK} -> ${stock}), PaymentIntents ${intents.length}: ${intents.filter((p) => p.status === 'succeeded' && p.amountRefunded === 0).length} captured, ${intents.filter((p) => p.status === 'canceled').length} voided, ${intents.filter((p) => p.amountRefunded > 0).length} refunded`,
      ].join('\n'),
    );
    expect(problems).toEqual([]);
    expect(sold).toBeLessThanOrEqual(STOCK);
    // Everything the first run answered 201 is still there.
    for (const [customerId, status] of answered) if (status === 201) expect(confirmed.some((o) => o['customerId'] === customerId), customerId).toBe(true);
  });
});
