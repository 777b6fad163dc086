import { keys } from '@orderflow/contracts';
import { CHECKOUT_TASK_FUNCTIONS, checkoutExecutionName, minimumCheckoutLockSeconds } from '@orderflow/order-workflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckoutCall, CheckoutHarness } from './test/checkout-harness';
import { checkoutProblems, outcomeOf, recoverUntilSettled, runSweeps, scanAll, stockProblems } from './test/checkout-invariants';
import { CHECKOUT_SCENARIOS, CRASH_TEST_STOCK, ExecutionHooks, type HandlerHook, runReference, type Scenario, startCrashTestHarness } from './test/checkout-scenarios';

/**
 * A task outlives its execution. An Express execution that times out stops, but a Lambda task
 * it was running goes on until the function's own timeout (Lambda does not know the execution
 * ended). Here the checkout times out while one task is running, and that task then does its
 * work as late as Lambda would let it: just before its function's timeout, answering nobody.
 * Meanwhile the claim's lock expires and the checkout is taken over, by the client's retry
 * or by recover-checkouts.
 *
 * The takeover must not begin while such a task can still act: the lock outlasts the
 * execution's timeout plus the longest task's timeout (`minimumCheckoutLockSeconds`). With a
 * lock of only the timeout plus 2 s (what the crash matrix once used), this test finds
 * CONFIRMED orders whose money was refunded, and captures kept without an order.
 *
 * Real parts as in the crash matrix: the synthesized ASL on the runtime, the handlers on
 * DynamoDB Local, the Stripe and PayPal SDKs against the sandboxes, recover-checkouts through
 * the Step Functions endpoint. The execution timeout is 4 s so that every task (whose function
 * timeouts are 5–8 s) is still running when its execution times out.
 */

const TIMEOUT_SECONDS = 4;
const LOCK_SECONDS = minimumCheckoutLockSeconds(TIMEOUT_SECONDS);
/** A late task acts this long before its function's timeout (leaving it time to finish, as a slow Lambda would). */
const MARGIN_MS = 1_500;
let h: CheckoutHarness;

const TASK_HANDLERS = Object.values(CHECKOUT_TASK_FUNCTIONS).map((f) => f.handler);
const SCENARIO_NAMES = ['card, placed', 'PayPal, placed', 'card, no key, placed', 'declined', 'capture fails (void)', 'capture unrecorded (refund)'];

const executionHooks = new ExecutionHooks();
const hooks = executionHooks.hooks;

interface Case {
  scenario: Scenario;
  /** The task still running when the execution times out. */
  task: string;
  mode: 'retry' | 'no retry';
  customerId: string;
  key: string | undefined;
  body: Record<string, unknown>;
  first?: CheckoutCall;
  retry?: CheckoutCall;
  /** When the late task did its work, and when the takeover began (ms since epoch). */
  lateTaskAt?: number;
  lateTaskDone?: Promise<void>;
  takeoverAt?: number;
}

let seq = 0;
const customerOf = () => `late-${process.pid}-${++seq}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** The first execution: the scenario's faults, and `c.task` held past the execution's end, then run late. */
async function runTimedOut(c: Case): Promise<CheckoutCall> {
  const requestId = `req-${c.customerId}`;
  const name = checkoutExecutionName(c.body, requestId);
  const own: Record<string, HandlerHook> = { ...c.scenario.faults };
  const functionTimeoutMs = (h.functions.find((f) => f.handlerFile.endsWith(`/${c.task}.ts`))?.timeoutSeconds ?? 0) * 1000;
  let executionEnded: () => void = () => undefined;
  const ended = new Promise<void>((resolve) => (executionEnded = resolve));
  let lateTaskDone: () => void = () => undefined;
  c.lateTaskDone = new Promise<void>((resolve) => (lateTaskDone = resolve));
  const before = own[c.task];
  let entered = false;
  own[c.task] = (real) => async (event, context) => {
    const work = before ? before(real) : real;
    if (entered) return work(event, context);
    entered = true;
    const started = Date.now();
    await ended;
    await sleep(started + functionTimeoutMs - MARGIN_MS - Date.now());
    c.lateTaskAt = Date.now();
    try {
      return await work(event, context);
    } finally {
      lateTaskDone();
    }
  };
  hooks.set(name, own);
  try {
    return await h.checkout(c.body, { ...(c.key ? { idempotencyKey: c.key } : {}), requestId });
  } finally {
    executionEnded();
    hooks.delete(name);
    if (!entered) lateTaskDone();
  }
}

beforeAll(async () => {
  h = await startCrashTestHarness({ timeoutSeconds: TIMEOUT_SECONDS, lockSeconds: LOCK_SECONDS }, executionHooks, TASK_HANDLERS);
}, 240_000);

afterAll(async () => {
  await h?.close();
});

describe('a task that outlives its timed-out execution', () => {
  it('acts as late as Lambda lets it while the checkout is taken over; every guarantee still holds', { timeout: 600_000 }, async () => {
    const cases: Case[] = [];
    for (const scenario of CHECKOUT_SCENARIOS.filter((s) => SCENARIO_NAMES.includes(s.name))) {
      // A clean run shows which tasks this scenario calls.
      const reference = await runReference(h, executionHooks, scenario, customerOf());
      expect(reference.execution.status, scenario.name).toBe('SUCCEEDED');
      for (const task of new Set(reference.called)) {
        for (const mode of scenario.keyed === false ? (['no retry'] as const) : (['retry', 'no retry'] as const)) {
          const id = customerOf();
          const key = scenario.keyed === false ? undefined : `key-${id}`;
          cases.push({ scenario, task, mode, customerId: id, key, body: { customerId: id, items: scenario.items, payment: await scenario.payment(h, id) } });
        }
      }
    }

    // 1. Every first execution times out with one task still running; 2. as soon as its lock
    // allows, the checkout is taken over: by the client's retry, or by recover-checkouts.
    const takeover = async (c: Case, startedAt: number): Promise<void> => {
      await sleep(startedAt + (LOCK_SECONDS + 1) * 1000 - Date.now());
      c.takeoverAt = Date.now();
      if (c.mode === 'no retry') {
        await h.runScheduled('recover-checkouts');
        return;
      }
      // A client retries until the answer is final (a recovery pass of another case may hold the claim a moment).
      for (let attempt = 0; attempt < 30; attempt++) {
        c.retry = await h.checkout(c.body, { ...(c.key ? { idempotencyKey: c.key } : {}), requestId: `retry-${attempt}-${c.customerId}` });
        if (c.retry.body.error?.code !== 'IDEMPOTENCY_IN_PROGRESS') break;
        await sleep(2_000);
      }
    };
    // Four first executions at a time (so each reaches its task within the 4 s): each times out with
    // its task still running; as soon as its lock allows, the checkout is taken over.
    const queue = [...cases];
    const takeovers: Promise<void>[] = [];
    await Promise.all(
      [1, 2, 3, 4].map(async () => {
        for (let c = queue.shift(); c; c = queue.shift()) {
          const startedAt = Date.now();
          c.first = await runTimedOut(c);
          takeovers.push(takeover(c, startedAt));
        }
      }),
    );
    await Promise.all(takeovers);
    for (const c of cases) {
      expect(c.first?.execution.status, `${c.scenario.name} ${c.task}`).toBe('TIMED_OUT');
      // Each first execution did reach its task before it timed out (or this case tested nothing).
      expect(c.lateTaskAt, `${c.scenario.name} ${c.task}: task reached`).toBeDefined();
    }

    // 3. Recovery finishes whatever is still in flight.
    const recovery = await recoverUntilSettled(h, { lockSeconds: LOCK_SECONDS, maxPasses: 4 });
    await Promise.all(cases.map((c) => c.lateTaskDone));
    await runSweeps(h);

    // 4. The guarantees, per case and over the stock.
    const items = await scanAll(h);
    const failures: string[] = [];
    const rows: string[] = [];
    for (const c of cases) {
      const label = `${c.scenario.name} | ${c.task} | ${c.mode}`;
      const lateBy = ((c.lateTaskAt ?? 0) - (c.takeoverAt ?? 0)) / 1000;
      rows.push(`${label.padEnd(64)} | ${(lateBy < 0 ? `${(-lateBy).toFixed(1)} s before` : `${lateBy.toFixed(1)} s after`).padEnd(14)} | ${outcomeOf(c.customerId, items, c.retry)}`);
      for (const problem of checkoutProblems(h, c.customerId, items)) failures.push(`${label}: ${problem}`);
    }
    failures.push(...(await stockProblems(h, items, CRASH_TEST_STOCK)));
    console.log(
      [
        `late tasks: ${cases.length} cases; timeout ${TIMEOUT_SECONDS} s, lock ${LOCK_SECONDS} s; recovery resumed ${recovery.resumed.length} in ${recovery.passes} pass(es)`,
        `${'scenario | task still running | takeover by'.padEnd(64)} | late task acts | answer / order`,
        ...rows,
      ].join('\n'),
    );
    expect(failures).toEqual([]);
    expect(recovery.setAside).toEqual([]);
    expect(items.filter((i) => i['GSI1PK'] === keys.checkoutInFlightPartition)).toEqual([]);
    // No late task acted after its checkout was taken over: the lock outlasted it.
    expect(cases.filter((c) => (c.lateTaskAt ?? 0) >= (c.takeoverAt ?? 0)).map((c) => `${c.scenario.name} ${c.task}`)).toEqual([]);
  });
});
