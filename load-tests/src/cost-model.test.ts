import { describe, expect, it } from 'vitest';
import type { CheckoutAccount, TaskTime } from './accounting';
import { costPerMillionCheckouts } from './cost';
import { AWS_ASSUMPTIONS, awsTaskMs, cpuFactor, modelCheckout, sweepMemory } from './cost-model';
import { DEFAULT_LOG_SETTINGS, lambdaPlatformLines } from './log-model';
import type { TaskCall } from './executions';

const task = (over: Partial<TaskTime>): TaskTime => ({
  state: 'S',
  functionName: 'F',
  resourceType: 'lambda',
  ms: 10,
  dynamoCalls: 0,
  dynamoOps: [],
  dynamoMs: 0,
  httpCalls: 0,
  httpMs: 0,
  ...over,
});

describe('cpuFactor', () => {
  it('is 1 from a full vCPU up, proportional below', () => {
    expect(cpuFactor(1769)).toBe(1);
    expect(cpuFactor(3008)).toBe(1);
    expect(cpuFactor(512)).toBeCloseTo(1769 / 512);
  });
});

describe('awsTaskMs', () => {
  it('scales the local CPU time and adds the calls at AWS latencies', () => {
    const t = task({ ms: 12, dynamoOps: ['TransactWriteItems', 'GetItem'], dynamoMs: 4, httpCalls: 1, httpMs: 3 });
    expect(awsTaskMs(t, 1769)).toBeCloseTo(5 + AWS_ASSUMPTIONS.dynamoTransactMs + AWS_ASSUMPTIONS.dynamoItemMs + AWS_ASSUMPTIONS.providerCallMs);
    expect(awsTaskMs(t, 512)).toBeCloseTo(5 * (1769 / 512) + 12 + 6 + 400);
  });
});

describe('modelCheckout', () => {
  it('adds Lambda tasks and consumers, and takes parallel Map iterations once on the critical path', () => {
    const call = (state: string, resourceType: string, start: number, end: number, functionName?: string): TaskCall => ({
      state,
      resourceType,
      resource: resourceType === 'lambda' ? 'invoke' : 'x',
      startMs: start,
      endMs: end,
      outcome: 'succeeded',
      ...(functionName ? { functionName } : {}),
    });
    const calls = [
      call('Claim', 'dynamodb', 0, 2),
      call('ReserveLine', 'lambda', 2, 12, 'ReserveLine'),
      call('ReserveLine', 'lambda', 2, 14, 'ReserveLine'),
      call('Pay', 'lambda', 14, 20, 'Pay'),
    ];
    const account = {
      lines: 2,
      execution: { tasks: calls },
      tasks: [
        task({ state: 'Claim', functionName: undefined, resourceType: 'dynamodb', ms: 2 }),
        task({ state: 'ReserveLine', functionName: 'ReserveLine', ms: 10, dynamoOps: ['TransactWriteItems'], dynamoMs: 8 }),
        task({ state: 'ReserveLine', functionName: 'ReserveLine', ms: 12, dynamoOps: ['TransactWriteItems'], dynamoMs: 8 }),
        task({ state: 'Pay', functionName: 'Pay', ms: 6, httpCalls: 1, httpMs: 4 }),
      ],
      consumers: [{ functionName: 'Notify', durationMs: 5 }],
      dynamoConsumers: { PutItem: 1 },
      dynamoConsumerMs: 3,
      eventsPublished: 1,
      requestUnits: { write: 5, read: 1 },
      logs: {
        lines: 4,
        bytes: 1000,
        workflow: { ALL: { events: 20, bytes: 6000 }, ERROR: { events: 0, bytes: 0 }, FATAL: { events: 0, bytes: 0 }, OFF: { events: 0, bytes: 0 } },
      },
    } as unknown as CheckoutAccount;
    const model = modelCheckout([account], () => 1769);
    const reserve = model.functions.find((f) => f.name === 'ReserveLine');
    expect(reserve?.invocations).toBe(2);
    expect(reserve?.awsMs).toBeCloseTo((2 + 12 + 4 + 12) / 2); // (CPU + transaction) per invocation
    expect(model.functions.find((f) => f.name === 'Pay')?.awsMs).toBeCloseTo(2 + 400);
    expect(model.functions.find((f) => f.name === 'Notify')?.awsMs).toBeCloseTo(2 + 6);
    // claim + the longer reservation (+ invoke) + pay (+ invoke)
    expect(model.expressMs).toBeCloseTo(6 + (4 + 12 + 20) + (402 + 20));
    expect(model.input.dynamoWriteUnits).toBe(5);
    // Logs at the production defaults (ERROR, tracing): the handlers' lines, Lambda's 3 lines for each of 4 invocations, no access format known.
    const platform = lambdaPlatformLines(true).reduce((s, l) => s + Buffer.byteLength(l) + 26, 0);
    expect(model.logs.handlers).toEqual({ events: 4, bytes: 1000 + 4 * 26 });
    expect(model.logs.lambdaPlatform).toEqual({ events: 12, bytes: 4 * platform });
    expect(model.logs.workflow.bytes).toBe(0);
    expect(model.logBytes).toBe(1000 + 4 * 26 + 4 * platform);
    expect(model.allInPerMillion).toBeCloseTo(costPerMillionCheckouts(model.input).totalWithData + (model.logBytes * 0.5) / 1024 ** 3 * 1e6 + 0.25);
    // At level ALL the workflow's history is logged too.
    const verbose = modelCheckout([account], () => 1769, AWS_ASSUMPTIONS, { ...DEFAULT_LOG_SETTINGS, stateMachineLevel: 'ALL' });
    expect(verbose.logs.workflow).toEqual({ events: 20, bytes: 6000 + 20 * 26 });
    expect(verbose.allInPerMillion).toBeGreaterThan(model.allInPerMillion);
    // A function whose system lines Lambda filters out writes none of them.
    const quiet = modelCheckout([account], () => 1769, AWS_ASSUMPTIONS, { ...DEFAULT_LOG_SETTINGS, quietFunctions: ['ReserveLine', 'Notify'] });
    expect(quiet.logs.lambdaPlatform).toEqual({ events: 3, bytes: platform });
    // The sweep: a function that mostly waits costs in proportion to its memory, so the smallest size wins.
    const pay = sweepMemory([account]).find((f) => f.name === 'Pay');
    expect(pay?.cheapestMb).toBe(256);
    expect(pay?.costBySize[512] ?? 0).toBeGreaterThan(pay?.costBySize[256] ?? Infinity);
  });
});
