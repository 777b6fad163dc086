import { describe, expect, it } from 'vitest';
import { VirtualClock } from './clock';
import { errorMatches } from './errors';
import { retryDelayMs, type Retrier } from './states/execution-state';
import { eventTypes, runMachine, single, testResources } from './test-support';
import { TaskFailure } from './errors';

/** A task that fails `failures` times with `error`, then succeeds. */
function flaky(failures: number, error = 'Transient') {
  let calls = 0;
  return {
    calls: () => calls,
    integrations: testResources({
      flaky: async () => {
        calls++;
        if (calls <= failures) throw new TaskFailure(error, `attempt ${calls}`);
        return { ok: calls };
      },
    }),
  };
}

const task = (extra: Record<string, unknown>) => single({ Type: 'Task', Resource: 'arn:aws:states:::test:flaky', ...extra });

describe('Retry timing (injectable clock)', () => {
  it('waits IntervalSeconds x BackoffRate^n between attempts (defaults 1s, x2, 3 attempts)', async () => {
    const clock = new VirtualClock();
    const f = flaky(3);
    const result = await runMachine(task({ Retry: [{ ErrorEquals: ['Transient'] }] }), {}, { clock, waitScale: 1, integrations: f.integrations });
    expect(result.output).toEqual({ ok: 4 });
    expect(clock.sleeps).toEqual([1000, 2000, 4000]);
  });

  it('applies IntervalSeconds, BackoffRate and MaxDelaySeconds exactly', async () => {
    const clock = new VirtualClock();
    const f = flaky(5);
    await runMachine(
      task({ Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 2, BackoffRate: 3, MaxAttempts: 5, MaxDelaySeconds: 30 }] }),
      {},
      { clock, waitScale: 1, integrations: f.integrations },
    );
    expect(clock.sleeps).toEqual([2000, 6000, 18000, 30000, 30000]);
  });

  it('JitterStrategy FULL waits a random time between 0 and the computed delay', async () => {
    const retrier: Retrier = { errorEquals: ['X'], intervalSeconds: 2, maxAttempts: 3, backoffRate: 2, maxDelaySeconds: undefined, jitter: 'FULL' };
    expect(retryDelayMs(retrier, 2, () => 0)).toBe(0);
    expect(retryDelayMs(retrier, 2, () => 0.5)).toBe(4000);
    expect(retryDelayMs(retrier, 2, () => 0.999)).toBeCloseTo(7992);
    const clock = new VirtualClock();
    const f = flaky(3);
    await runMachine(
      task({ Retry: [{ ErrorEquals: ['Transient'], IntervalSeconds: 2, JitterStrategy: 'FULL' }] }),
      {},
      { clock, waitScale: 1, integrations: f.integrations },
    );
    const bounds = [2000, 4000, 8000];
    expect(clock.sleeps).toHaveLength(3);
    clock.sleeps.forEach((ms, i) => {
      expect(ms).toBeGreaterThanOrEqual(0);
      expect(ms).toBeLessThan(bounds[i] as number);
    });
    const fixed = new VirtualClock();
    await runMachine(
      task({ Retry: [{ ErrorEquals: ['Transient'], IntervalSeconds: 2, JitterStrategy: 'FULL' }] }),
      {},
      { clock: fixed, waitScale: 1, integrations: flaky(3).integrations, random: () => 0.25 },
    );
    expect(fixed.sleeps).toEqual([500, 1000, 2000]);
  });

  it('scales delays with waitScale (0: no sleep at all) without changing the result', async () => {
    const clock = new VirtualClock();
    const result = await runMachine(task({ Retry: [{ ErrorEquals: ['Transient'], IntervalSeconds: 10 }] }), {}, { clock, waitScale: 0, integrations: flaky(2).integrations });
    expect(result.output).toEqual({ ok: 3 });
    expect(clock.sleeps).toEqual([]);
    const half = new VirtualClock();
    await runMachine(task({ Retry: [{ ErrorEquals: ['Transient'], IntervalSeconds: 10 }] }), {}, { clock: half, waitScale: 0.5, integrations: flaky(2).integrations });
    expect(half.sleeps).toEqual([5000, 10000]);
  });

  it('uses the first matching retrier only, with its own attempt count; MaxAttempts 0 never retries', async () => {
    const f = flaky(10, 'Special');
    const result = await runMachine(
      task({ Retry: [{ ErrorEquals: ['Special'], MaxAttempts: 0 }, { ErrorEquals: ['States.ALL'], MaxAttempts: 5 }] }),
      {},
      { integrations: f.integrations },
    );
    expect(result).toMatchObject({ status: 'FAILED', error: 'Special', cause: 'attempt 1' });
    expect(f.calls()).toBe(1);
  });

  it('counts retries in $$.State.RetryCount', async () => {
    const f = flaky(2);
    const result = await runMachine(
      task({ Retry: [{ ErrorEquals: ['Transient'] }], ResultSelector: { 'retries.$': '$$.State.RetryCount' } }),
      {},
      { integrations: f.integrations },
    );
    expect(result.output).toEqual({ retries: 2 });
  });
});

describe('Catch', () => {
  const withCatch = (catcher: Record<string, unknown>, queryLanguage?: 'JSONata') => ({
    ...(queryLanguage ? { QueryLanguage: queryLanguage } : {}),
    StartAt: 'T',
    States: {
      T: { Type: 'Task', Resource: 'arn:aws:states:::test:flaky', Catch: [{ Next: 'Handler', ...catcher }], End: true },
      Handler: { Type: 'Pass', End: true },
    },
  });

  it('JSONPath: the error output {Error, Cause} goes where ResultPath says (default: replaces the input)', async () => {
    const f = flaky(9);
    expect((await runMachine(withCatch({ ErrorEquals: ['Transient'] }), { a: 1 }, { integrations: f.integrations })).output).toEqual({
      Error: 'Transient',
      Cause: 'attempt 1',
    });
    expect((await runMachine(withCatch({ ErrorEquals: ['States.ALL'], ResultPath: '$.error' }), { a: 1 }, { integrations: flaky(9).integrations })).output).toEqual({
      a: 1,
      error: { Error: 'Transient', Cause: 'attempt 1' },
    });
  });

  it('JSONata: Output and Assign see $states.errorOutput and $states.input', async () => {
    const def = withCatch({ ErrorEquals: ['States.TaskFailed'], Output: { was: '{% $states.input.a %}', why: '{% $states.errorOutput.Error %}' }, Assign: { lastError: '{% $states.errorOutput %}' } }, 'JSONata');
    const result = await runMachine(def, { a: 1 }, { integrations: flaky(9).integrations });
    expect(result.output).toEqual({ was: 1, why: 'Transient' });
    const exited = result.history.find((e) => e.type === 'TaskStateExited')?.stateExitedEventDetails;
    expect(exited?.assignedVariables).toEqual({ lastError: '{"Error":"Transient","Cause":"attempt 1"}' });
  });

  it('retries before catching, then goes to the catcher', async () => {
    const f = flaky(9);
    const def = {
      StartAt: 'T',
      States: {
        T: { Type: 'Task', Resource: 'arn:aws:states:::test:flaky', Retry: [{ ErrorEquals: ['Transient'], MaxAttempts: 2 }], Catch: [{ ErrorEquals: ['States.ALL'], Next: 'H' }], End: true },
        H: { Type: 'Pass', End: true },
      },
    };
    const result = await runMachine(def, {}, { integrations: f.integrations });
    expect(f.calls()).toBe(3);
    expect(result.output).toEqual({ Error: 'Transient', Cause: 'attempt 3' });
    expect(eventTypes(result).filter((t) => t === 'TaskFailed')).toHaveLength(3);
  });

  it('never catches or retries States.Runtime', async () => {
    const def = {
      StartAt: 'T',
      States: {
        T: { Type: 'Task', Resource: 'arn:aws:states:::test:flaky', OutputPath: '$.nope', Retry: [{ ErrorEquals: ['States.ALL'] }], Catch: [{ ErrorEquals: ['States.Runtime'], Next: 'H' }], End: true },
        H: { Type: 'Pass', End: true },
      },
    };
    const f = flaky(0);
    const result = await runMachine(def, {}, { integrations: f.integrations });
    expect(result).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    expect(f.calls()).toBe(1);
  });
});

describe('error name matching', () => {
  it('follows AWS rules for the reserved names', () => {
    expect(errorMatches(['States.ALL'], 'Anything')).toBe(true);
    expect(errorMatches(['States.ALL'], 'States.Timeout')).toBe(true);
    expect(errorMatches(['States.ALL'], 'States.Runtime')).toBe(false);
    expect(errorMatches(['States.ALL'], 'States.DataLimitExceeded')).toBe(false);
    expect(errorMatches(['States.TaskFailed'], 'Lambda.ServiceException')).toBe(true);
    expect(errorMatches(['States.TaskFailed'], 'States.Timeout')).toBe(false);
    expect(errorMatches(['States.Timeout'], 'States.HeartbeatTimeout')).toBe(true);
    expect(errorMatches(['A', 'B'], 'B')).toBe(true);
    expect(errorMatches(['A'], 'a')).toBe(false);
  });
});
