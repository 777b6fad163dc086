import { compileStateMachine } from '@orderflow/state-machine-runtime';
import { describe, expect, it } from 'vitest';
import { createLocalLog } from '../log';
import { LocalStateMachine } from './checkout-workflow';

/** One Task whose handler waits until the test lets that execution go. */
const definition = {
  QueryLanguage: 'JSONata',
  StartAt: 'Work',
  States: {
    Work: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Arguments: { FunctionName: 'work', Payload: '{% $states.input %}' },
      Output: { statusCode: 201, body: '{% $string({"orderId": "ord_" & $states.input.body.customerId}) %}' },
      End: true,
    },
  },
};

function gatedMachine() {
  const started: string[] = [];
  const gates = new Map<string, () => void>();
  const arrived = new Map<string, Promise<void>>();
  const arrive = new Map<string, () => void>();
  const gateOf = (id: string) => {
    if (!arrived.has(id)) arrived.set(id, new Promise<void>((resolve) => arrive.set(id, resolve)));
    return arrived.get(id) as Promise<void>;
  };
  const machine = compileStateMachine(definition, {
    integrations: {
      lambdaFunctions: {
        work: async (event: { body: { customerId: string } }) => {
          const id = event.body.customerId;
          started.push(id);
          await new Promise<void>((resolve) => {
            gates.set(id, resolve);
            void gateOf(id);
            arrive.get(id)?.();
          });
          return {};
        },
      },
    },
  });
  return {
    machine,
    started,
    /** Resolves once execution `id` runs its task. */
    running: (id: string) => gateOf(id),
    finish: (id: string) => gates.get(id)?.(),
  };
}

const lines: string[] = [];
const log = createLocalLog({ format: 'json', write: (line) => lines.push(line) });
const input = (id: string) => ({ body: { customerId: id } });

describe('LocalStateMachine concurrency bound', () => {
  it('runs at most the bound at once, the rest wait in arrival order and show as QUEUED', async () => {
    const gated = gatedMachine();
    const local = new LocalStateMachine(gated.machine, log, { maxConcurrentExecutions: 2 });
    const results = ['a', 'b', 'c', 'd'].map((id) => local.startSyncExecution(input(id), `exec-${id}`));
    await Promise.all([gated.running('a'), gated.running('b')]);
    expect(gated.started).toEqual(['a', 'b']);
    expect(local.concurrency()).toMatchObject({ limit: 2, running: 2, queued: 2, peakQueued: 2 });
    expect(local.executions.get('exec-c')?.status).toBe('QUEUED');
    expect(local.executions.get('exec-d')?.status).toBe('QUEUED');
    expect(local.executions.get('exec-a')?.status).toBe('RUNNING');

    // b ends first: the oldest waiting (c) takes its slot, d still waits.
    gated.finish('b');
    await gated.running('c');
    expect(gated.started).toEqual(['a', 'b', 'c']);
    expect(local.concurrency()).toMatchObject({ running: 2, queued: 1 });
    expect(local.executions.get('exec-c')?.status).toBe('RUNNING');
    expect(local.executions.get('exec-d')?.status).toBe('QUEUED');

    gated.finish('a');
    await gated.running('d');
    gated.finish('c');
    gated.finish('d');
    const done = await Promise.all(results);
    expect(done.map((r) => r.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
    expect(done.map((r) => JSON.parse(r.output ?? '{}').statusCode)).toEqual([201, 201, 201, 201]);
    expect(local.concurrency()).toMatchObject({ running: 0, queued: 0, peakQueued: 2 });
    // The waiting ones have their wait recorded; the first two did not wait.
    expect(done[0]?.record.queuedMs).toBe(0);
    expect(done[2]?.record.queuedMs).toEqual(expect.any(Number));
    expect(done[3]?.record.status).toBe('SUCCEEDED');
    await local.stop();
  });

  it('has no bound with 0, and refuses a bound that is not a whole number', async () => {
    const gated = gatedMachine();
    const local = new LocalStateMachine(gated.machine, log, { maxConcurrentExecutions: 0 });
    const results = ['a', 'b', 'c'].map((id) => local.startSyncExecution(input(id), `free-${id}`));
    await Promise.all(['a', 'b', 'c'].map((id) => gated.running(id)));
    expect(local.concurrency()).toMatchObject({ limit: null, running: 3, queued: 0 });
    ['a', 'b', 'c'].forEach((id) => gated.finish(id));
    await Promise.all(results);
    expect(() => new LocalStateMachine(gated.machine, log, { maxConcurrentExecutions: 1.5 })).toThrow(RangeError);
    expect(() => new LocalStateMachine(gated.machine, log, { maxConcurrentExecutions: -1 })).toThrow(RangeError);
  });

  it('stop() aborts the running and the waiting executions', async () => {
    const gated = gatedMachine();
    const local = new LocalStateMachine(gated.machine, log, { maxConcurrentExecutions: 1 });
    const first = local.startSyncExecution(input('a'), 'stop-a');
    const second = local.startSyncExecution(input('b'), 'stop-b');
    await gated.running('a');
    expect(local.concurrency()).toMatchObject({ running: 1, queued: 1 });
    await local.stop();
    const [a, b] = await Promise.all([first, second]);
    expect(a.status).toBe('ABORTED');
    expect(b.status).toBe('ABORTED');
    // The waiting one never ran its task.
    expect(gated.started).toEqual(['a']);
  });
});

describe('LocalStateMachine execution records', () => {
  it("reads an execution's history only when the record's history is read (the inspection API)", async () => {
    const gated = gatedMachine();
    let historyReads = 0;
    // The runtime's result with its history getter counted.
    const machine = Object.create(gated.machine, {
      execute: {
        value: async (...args: Parameters<typeof gated.machine.execute>) => {
          const result = await gated.machine.execute(...args);
          const history = Object.getOwnPropertyDescriptor(result, 'history')?.get?.bind(result);
          return Object.defineProperty(result, 'history', {
            get: () => {
              historyReads += 1;
              return history?.();
            },
          });
        },
      },
    }) as typeof gated.machine;
    const local = new LocalStateMachine(machine, log, { maxConcurrentExecutions: 0 });
    const running = local.startSyncExecution(input('h'), 'history-h');
    await gated.running('h');
    gated.finish('h');
    const { record } = await running;
    // The order id came from the output: no history read to answer.
    expect(record.orderId).toBe('ord_h');
    expect(historyReads).toBe(0);
    expect(record.history.map((e) => e.type)).toContain('TaskScheduled');
    expect(historyReads).toBe(1);
  });
});
