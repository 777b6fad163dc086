import { keys } from '@orderflow/contracts';
import { checkoutExecutionName, minimumCheckoutLockSeconds } from '@orderflow/order-workflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckoutCall, CheckoutHarness } from './test/checkout-harness';
import { CHECKOUT_SCENARIOS, CRASH_TEST_STOCK, ExecutionHooks, type HandlerHook, runReference, type Scenario, startCrashTestHarness } from './test/checkout-scenarios';
import { checkoutProblems, claimOf, executionPath, inBatches, outcomeOf, recoverUntilSettled, runSweeps, scanAll, stockProblems } from './test/checkout-invariants';
import type { RecoveryResult } from './use-cases/recover-checkouts';

/**
 * The crash matrix: for every state a checkout passes through, and inside each payment call
 * (after the provider answered, before the workflow saw it), the execution is killed there as a
 * SIGKILL would kill it (no Catch, no compensation), the payment sandboxes are restarted (their
 * ledgers survive, as a provider's do), and then either (a) the client retries with the same key,
 * or (b) nobody ever retries and only recover-checkouts acts. Once recovery is done, every
 * invariant of DESIGN.md's "Guarantees under failure" must hold, whatever the point.
 *
 * Real parts throughout: the synthesized ASL on the runtime, the handlers in-process on DynamoDB
 * Local, the real Stripe and PayPal SDKs against the sandboxes, recover-checkouts starting
 * executions through the Step Functions endpoint with the real SFN client. The template is
 * synthesized with a short execution timeout (15 s) and the shortest lock it allows (the timeout
 * plus the longest task's timeout plus 1 s), so the matrix waits 25 s, not 50, for the locks of
 * the dead executions to expire. On a loaded machine a resumed execution may itself run past
 * its timeout: recovery then runs again, as the scheduled job would (and no task of the
 * timed-out execution can still act by then: checkout-late-task.int.test.ts).
 *
 * A broken guarantee is reported with the path of every execution of its case.
 */

const TIMEOUT_SECONDS = 15;
const LOCK_SECONDS = minimumCheckoutLockSeconds(TIMEOUT_SECONDS);
let h: CheckoutHarness;


const PAYMENT_HANDLERS = ['authorize-payment', 'capture-payment', 'void-payment', 'refund-payment'];
const HOOKED_HANDLERS = [...new Set([...PAYMENT_HANDLERS, ...CHECKOUT_SCENARIOS.flatMap((s) => Object.keys(s.faults ?? {}))])];

/** Per execution: what a handler does instead of its real self (faults, kills), and the handlers it called. */
const executionHooks = new ExecutionHooks();
const hooks = executionHooks.hooks;

/** A kill point: before a state is entered (its n-th entry), or inside a payment call once the provider answered. */
type KillPoint = { before: string; occurrence: number } | { inside: string };
const describePoint = (p: KillPoint) => ('before' in p ? `before ${p.before}${p.occurrence > 1 ? ` #${p.occurrence}` : ''}` : `inside ${p.inside} (answered)`);

interface Case {
  scenario: Scenario;
  point: KillPoint;
  mode: 'retry' | 'no retry';
  customerId: string;
  key: string | undefined;
  body: Record<string, unknown>;
  killed?: CheckoutCall;
  retry?: CheckoutCall;
  outcome?: string;
}

let seq = 0;
const customerOf = () => `crash-${process.pid}-${++seq}`;

/** Runs `body` with hooks for this execution: its scenario's faults, and the kill. */
async function runKilled(c: Case): Promise<CheckoutCall> {
  const requestId = `req-${c.customerId}`;
  const name = checkoutExecutionName(c.body, requestId);
  const stop = new AbortController();
  const own: Record<string, HandlerHook> = { ...c.scenario.faults };
  let entries = 0;
  if ('inside' in c.point) {
    const before = own[c.point.inside];
    own[c.point.inside] = (real) => async (event, context) => {
      // The provider acts and answers (through whatever fault the scenario has), then the execution dies.
      await (before ? before(real) : real)(event, context).catch(() => undefined);
      stop.abort();
      return new Promise(() => undefined);
    };
  }
  hooks.set(name, own);
  const point = c.point;
  try {
    return await h.checkout(c.body, {
      ...(c.key ? { idempotencyKey: c.key } : {}),
      requestId,
      signal: stop.signal,
      onStateEntered: (state) => {
        if ('before' in point && state === point.before && ++entries === point.occurrence) stop.abort();
      },
    });
  } finally {
    hooks.delete(name);
  }
}

/** The path of every execution of a case: the killed one, the retry, the recoveries of its order. */
function casePaths(c: Case, items: Record<string, unknown>[]): string[] {
  const paths: string[] = [];
  for (const [what, call] of [['killed', c.killed], ['retry', c.retry]] as const) {
    if (call) paths.push(executionPath(what, call.execution.status, call.execution.history));
  }
  const orderId = String(claimOf(c.customerId, items)?.['orderId'] ?? '');
  for (const e of h.startedExecutions().filter((x) => orderId !== '' && x.name.includes(orderId)).reverse()) {
    paths.push(executionPath(e.name, e.status, e.history));
  }
  return paths;
}

beforeAll(async () => {
  h = await startCrashTestHarness({ timeoutSeconds: TIMEOUT_SECONDS, lockSeconds: LOCK_SECONDS }, executionHooks, HOOKED_HANDLERS);
}, 240_000);

afterAll(async () => {
  await h?.close();
});

describe('the crash matrix', () => {
  it('kills a checkout at every state and inside every payment call; after recovery, with or without a retry, every guarantee holds', { timeout: 900_000 }, async () => {
    const cases: Case[] = [];
    for (const scenario of CHECKOUT_SCENARIOS) {
      // A clean run shows the path (states, in order) and the payment calls of this scenario.
      const reference = await runReference(h, executionHooks, scenario, customerOf());
      expect(reference.execution.status, scenario.name).toBe('SUCCEEDED');
      const seen = new Map<string, number>();
      const points: KillPoint[] = [];
      for (const event of reference.execution.history) {
        if (!event.type.endsWith('StateEntered')) continue;
        const state = event.stateEnteredEventDetails?.name ?? '';
        const occurrence = (seen.get(state) ?? 0) + 1;
        seen.set(state, occurrence);
        points.push({ before: state, occurrence });
      }
      for (const handler of PAYMENT_HANDLERS) if (reference.called.includes(handler)) points.push({ inside: handler });
      for (const point of points) {
        for (const mode of scenario.keyed === false ? (['no retry'] as const) : (['retry', 'no retry'] as const)) {
          const id = customerOf();
          cases.push({
            scenario,
            point,
            mode,
            customerId: id,
            key: scenario.keyed === false ? undefined : `key-${id}`,
            body: { customerId: id, items: scenario.items, payment: await scenario.payment(h, id) },
          });
        }
      }
    }

    // 1. Every case dies at its point.
    await inBatches(cases, 4, async (c) => {
      c.killed = await runKilled(c);
    });
    for (const c of cases) expect(c.killed?.execution.status, `${c.scenario.name} ${describePoint(c.point)}`).toBe('ABORTED');

    // 2. The stack comes back: the providers restart with what they knew; the dead executions' locks expire.
    await h.restartSandboxes();
    await new Promise((resolve) => setTimeout(resolve, (LOCK_SECONDS + 1) * 1000));

    // 3a. Clients retry with the same key, at once.
    await inBatches(
      cases.filter((c) => c.mode === 'retry'),
      4,
      async (c) => {
        c.retry = await h.checkout(c.body, { ...(c.key ? { idempotencyKey: c.key } : {}), requestId: `retry-${c.customerId}` });
      },
    );
    // 3b. Nobody retries the others: recover-checkouts (the scheduled job, its real handler) resumes them.
    // Should a resumed execution run past its timeout on a loaded machine, the next pass resumes it
    // once its lock expires, as the scheduled job would a minute later.
    const recovery = await recoverUntilSettled(h, { lockSeconds: LOCK_SECONDS, maxPasses: 5 });
    await runSweeps(h);
    // A last recovery pass finds nothing left in flight.
    const again = (await h.runScheduled('recover-checkouts')) as RecoveryResult;

    // 4. The invariants, per case and over the whole stock.
    const items = await scanAll(h);
    const rows: string[] = [];
    const failures: string[] = [];
    const byPoint = new Map<string, Partial<Record<Case['mode'], string>>>();
    for (const c of cases) {
      c.outcome = outcomeOf(c.customerId, items, c.retry);
      const label = `${c.scenario.name} | ${describePoint(c.point)}`;
      byPoint.set(label, { ...byPoint.get(label), [c.mode]: c.outcome });
      const problems = checkoutProblems(h, c.customerId, items);
      for (const problem of problems) failures.push(`${label} (${c.mode}): ${problem}`);
      if (problems.length > 0) console.log([`how "${label} (${c.mode})" went:`, ...casePaths(c, items)].join('\n  '));
    }
    for (const [label, outcome] of byPoint) rows.push(`${label.padEnd(78)} | ${(outcome.retry ?? '-').padEnd(28)} | ${outcome['no retry'] ?? '-'}`);
    failures.push(...(await stockProblems(h, items, CRASH_TEST_STOCK)));
    console.log(
      [
        `crash matrix: ${cases.length} cases (${byPoint.size} points); recover-checkouts resumed ${recovery.resumed.length} in ${recovery.passes} pass(es), set aside ${recovery.setAside.length}; a last pass found ${again.resumed.length}`,
        `${'scenario | point'.padEnd(78)} | ${'retry (answer / order)'.padEnd(28)} | no retry (claim / order)`,
        ...rows,
      ].join('\n'),
    );
    expect(failures).toEqual([]);
    expect(again.resumed).toEqual([]);
    expect(recovery.setAside).toEqual([]);
    expect(items.filter((i) => i['GSI1PK'] === keys.checkoutInFlightPartition)).toEqual([]);
    // Every retry got a final answer — the order (201) or the scenario's rejection — never "still in progress".
    for (const c of cases.filter((x) => x.retry)) {
      expect(c.retry?.body.error?.code, `${c.scenario.name} ${describePoint(c.point)}`).not.toBe('IDEMPOTENCY_IN_PROGRESS');
    }
  });
});
