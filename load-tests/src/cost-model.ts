import { type CheckoutAccount, mixMean, type TaskTime } from './accounting';
import { type CheckoutCostInput, costPerMillionCheckouts, type LambdaUse } from './cost';
import { type CheckoutLogVolume, checkoutLogVolume, DEFAULT_LOG_SETTINGS, logCostPerMillion, type LogSettings } from './log-model';

/**
 * What a checkout's parts take in AWS where one machine cannot tell: latencies of the managed
 * services in the same region (typical published/observed p50s) and of the payment provider.
 * Everything else comes from the local measurements: CPU time of each handler, call counts.
 */
export const AWS_ASSUMPTIONS = {
  /** One DynamoDB single-item call (GetItem/PutItem/UpdateItem), SDK included. */
  dynamoItemMs: 6,
  /** BatchGetItem / Query. */
  dynamoBatchMs: 8,
  /** TransactWriteItems. */
  dynamoTransactMs: 12,
  /** One payment provider API call (Stripe PaymentIntent confirm or capture). */
  providerCallMs: 400,
  /** Step Functions → Lambda synchronous invoke of a warm function, beyond the function's own time. */
  lambdaInvokeOverheadMs: 20,
  /** Step Functions → EventBridge PutEvents. */
  putEventsMs: 15,
  /** Lambda gives one full vCPU at 1769 MB and a proportional share below. */
  fullVcpuMemoryMb: 1769,
} as const;

export type Assumptions = { -readonly [K in keyof typeof AWS_ASSUMPTIONS]: number };

/** How much slower CPU-bound work runs in a function of `memoryMb` than on one local core. */
export function cpuFactor(memoryMb: number, assumptions: Assumptions = AWS_ASSUMPTIONS): number {
  return Math.max(1, assumptions.fullVcpuMemoryMb / memoryMb);
}

function dynamoCallMs(op: string, a: Assumptions): number {
  if (op === 'TransactWriteItems' || op === 'TransactGetItems') return a.dynamoTransactMs;
  if (op === 'BatchGetItem' || op === 'BatchWriteItem' || op === 'Query' || op === 'Scan') return a.dynamoBatchMs;
  return a.dynamoItemMs;
}

/** A Lambda task's billed duration in AWS: its local CPU time scaled to the memory, plus the calls at AWS latencies. */
export function awsTaskMs(task: TaskTime, memoryMb: number, a: Assumptions = AWS_ASSUMPTIONS): number {
  const cpuMs = Math.max(0, task.ms - task.dynamoMs - task.httpMs);
  return cpuMs * cpuFactor(memoryMb, a) + task.dynamoOps.reduce((sum, op) => sum + dynamoCallMs(op, a), 0) + task.httpCalls * a.providerCallMs;
}

export interface ModelledCheckout {
  input: CheckoutCostInput;
  /** Express duration per checkout in AWS (mix mean), ms. */
  expressMs: number;
  /** Per function: invocations per checkout, local ms, modelled AWS ms, memory. */
  functions: { name: string; invocations: number; localMs: number; awsMs: number; memoryMb: number }[];
  eventsPublished: number;
  dynamoWriteUnits: number;
  dynamoReadUnits: number;
  /** CloudWatch Logs bytes ingested per checkout (mix mean), at the deployed log settings. */
  logBytes: number;
  /** Those bytes by source (mix means). */
  logs: CheckoutLogVolume;
  /** Dollars per million checkouts: logs ingested, X-Ray traces. */
  logsPerMillion: number;
  xrayPerMillion: number;
  /** Everything a deployment bills per million checkouts: the parts above, DynamoDB, EventBridge, logs and X-Ray. */
  allInPerMillion: number;
}

/**
 * The cost inputs of the scenario's checkout mix, from accounted checkouts: Lambda
 * invocations and durations per function (workflow tasks and event consumers), Express
 * duration along the workflow's critical path (parallel Map iterations count once), events
 * and DynamoDB request units. `memoryMb(functionName)` gives each function's memory.
 */
export function modelCheckout(
  accounts: readonly CheckoutAccount[],
  memoryMb: (functionName: string) => number,
  a: Assumptions = AWS_ASSUMPTIONS,
  logSettings: LogSettings = DEFAULT_LOG_SETTINGS,
): ModelledCheckout {
  const names = new Set<string>();
  for (const account of accounts) for (const task of account.tasks) if (task.functionName) names.add(task.functionName);
  const functions = [...names].sort().map((name) => {
    const invocations = mixMean(accounts, (acc) => acc.tasks.filter((t) => t.functionName === name).length);
    const mem = memoryMb(name);
    const perCall = (acc: CheckoutAccount, f: (t: TaskTime) => number) => {
      const mine = acc.tasks.filter((t) => t.functionName === name);
      return mine.length ? mine.reduce((sum, t) => sum + f(t), 0) / mine.length : 0;
    };
    const weighted = (f: (acc: CheckoutAccount) => number) => mixMean(accounts.filter((acc) => acc.tasks.some((t) => t.functionName === name)), f);
    return {
      name,
      invocations,
      localMs: weighted((acc) => perCall(acc, (t) => t.ms)),
      awsMs: weighted((acc) => perCall(acc, (t) => awsTaskMs(t, mem, a))),
      memoryMb: mem,
    };
  });
  // Event consumers: their attempts' durations (local), the consumers' DynamoDB calls at AWS latency.
  const consumerNames = new Set<string>();
  for (const account of accounts) for (const c of account.consumers) consumerNames.add(c.functionName);
  for (const name of [...consumerNames].sort()) {
    const mem = memoryMb(name);
    const invocations = mixMean(accounts, (acc) => acc.consumers.filter((c) => c.functionName === name).length);
    const localMs = mixMean(accounts, (acc) => {
      const mine = acc.consumers.filter((c) => c.functionName === name);
      return mine.length ? mine.reduce((s, c) => s + c.durationMs, 0) / mine.length : 0;
    });
    // Their DynamoDB calls (not split per consumer: shared evenly), local time of those calls is not on any task.
    const awsMs = mixMean(accounts, (acc) => {
      const count = acc.consumers.length || 1;
      const opsMs = Object.entries(acc.dynamoConsumers).reduce((s, [op, n]) => s + n * dynamoCallMs(op, a), 0) / count;
      const localWaitMs = acc.dynamoConsumerMs / count;
      const mine = acc.consumers.filter((c) => c.functionName === name);
      const local = mine.length ? mine.reduce((s, c) => s + c.durationMs, 0) / mine.length : 0;
      return Math.max(0, local - localWaitMs) * cpuFactor(mem, a) + opsMs;
    });
    functions.push({ name, invocations, localMs, awsMs, memoryMb: mem });
  }
  const expressMs = mixMean(accounts, (acc) => criticalPathMs(acc, memoryMb, a));
  const lambdas: LambdaUse[] = functions.map((f) => ({ name: f.name, invocations: f.invocations, durationMs: f.awsMs, memoryMb: f.memoryMb }));
  const eventsPublished = mixMean(accounts, (acc) => acc.eventsPublished);
  const dynamoWriteUnits = mixMean(accounts, (acc) => acc.requestUnits.write);
  const dynamoReadUnits = mixMean(accounts, (acc) => acc.requestUnits.read);
  const input: CheckoutCostInput = { expressDurationMs: expressMs, expressMemoryMb: 64, lambdas, eventsPublished, dynamoWriteUnits, dynamoReadUnits };
  const volumes = new Map(
    accounts.map((acc) => {
      const invoked = [...acc.tasks.filter((t) => t.resourceType === 'lambda').map((t) => t.functionName ?? ''), ...acc.consumers.map((c) => c.functionName)];
      const unfiltered = invoked.filter((name) => !logSettings.quietFunctions.includes(name)).length;
      return [acc, checkoutLogVolume(acc.logs, unfiltered, acc.logs.workflow[logSettings.stateMachineLevel], logSettings)] as const;
    }),
  );
  const meanOf = (f: (v: CheckoutLogVolume) => number) => mixMean(accounts, (acc) => f(volumes.get(acc) as CheckoutLogVolume));
  const part = (key: 'handlers' | 'lambdaPlatform' | 'workflow' | 'apiAccess') => ({ events: meanOf((v) => v[key].events), bytes: meanOf((v) => v[key].bytes) });
  const logs: CheckoutLogVolume = {
    handlers: part('handlers'),
    lambdaPlatform: part('lambdaPlatform'),
    workflow: part('workflow'),
    apiAccess: part('apiAccess'),
    totalBytes: meanOf((v) => v.totalBytes),
  };
  const logCost = logCostPerMillion(logs.totalBytes, logSettings.tracing);
  return {
    input,
    expressMs,
    functions,
    eventsPublished,
    dynamoWriteUnits,
    dynamoReadUnits,
    logBytes: logs.totalBytes,
    logs,
    logsPerMillion: logCost.logs,
    xrayPerMillion: logCost.xray,
    allInPerMillion: costPerMillionCheckouts(input).totalWithData + logCost.logs + logCost.xray,
  };
}

/** The execution's duration in AWS: its tasks at AWS latencies, tasks that overlapped locally (a Map) counted by the longest. */
function criticalPathMs(account: CheckoutAccount, memoryMb: (name: string) => number, a: Assumptions): number {
  const tasks = account.execution.tasks.map((task, i) => {
    const time = account.tasks[i] as TaskTime;
    let ms: number;
    if (task.resourceType === 'lambda') ms = awsTaskMs(time, memoryMb(task.functionName ?? ''), a) + a.lambdaInvokeOverheadMs;
    else if (task.resourceType === 'dynamodb') ms = a.dynamoItemMs;
    else if (task.resourceType === 'events') ms = a.putEventsMs;
    else ms = time.ms;
    return { startMs: task.startMs, endMs: task.endMs, ms };
  });
  tasks.sort((x, y) => x.startMs - y.startMs);
  let total = 0;
  let groupEnd = Number.NEGATIVE_INFINITY;
  let groupMax = 0;
  for (const t of tasks) {
    if (t.startMs < groupEnd) {
      groupMax = Math.max(groupMax, t.ms);
      groupEnd = Math.max(groupEnd, t.endMs);
    } else {
      total += groupMax;
      groupMax = t.ms;
      groupEnd = t.endMs;
    }
  }
  return total + groupMax;
}

/** Memory sizes the sweep weighs (256 MB up: Node 22 with the SDKs needs headroom above 128 MB). */
export const MEMORY_CANDIDATES_MB = [256, 512, 1024, 1769] as const;

export interface MemoryChoice {
  name: string;
  /** Per candidate size: this function's Lambda cost (requests + duration) per million checkouts. */
  costBySize: Record<number, number>;
  cheapestMb: number;
}

/**
 * Per function, what it would cost at each candidate size (its duration modelled from its
 * local CPU time and calls, as the report does), and the cheapest size. The Express duration
 * the sizes add on the critical path is weighed by modelling the whole mix at the choice.
 */
export function sweepMemory(accounts: readonly CheckoutAccount[], a: Assumptions = AWS_ASSUMPTIONS, logSettings: LogSettings = DEFAULT_LOG_SETTINGS): MemoryChoice[] {
  const bySize = new Map(MEMORY_CANDIDATES_MB.map((mb) => [mb, modelCheckout(accounts, () => mb, a, logSettings)]));
  const names = bySize.get(512)?.functions.map((f) => f.name) ?? [];
  return names.map((name) => {
    const costBySize: Record<number, number> = {};
    for (const [mb, model] of bySize) {
      const f = model.functions.find((x) => x.name === name);
      costBySize[mb] = f ? costPerMillionCheckouts({ expressDurationMs: 0, lambdas: [{ name, invocations: f.invocations, durationMs: f.awsMs, memoryMb: mb }] }).lambda : 0;
    }
    const cheapestMb = [...MEMORY_CANDIDATES_MB].sort((x, y) => (costBySize[x] ?? 0) - (costBySize[y] ?? 0))[0] ?? 512;
    return { name, costBySize, cheapestMb };
  });
}
