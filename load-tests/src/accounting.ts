import { requestUnits } from './cost';
import { type DynamoTrace, traceFromCalls } from './dynamodb-replay';
import { type AttributedCall, accountExecution, attributeCalls, type ExecutionAccount, type ExecutionDetail, functionNameFromArn, LocalInspection } from './executions';
import { type StateMachineLogLevel, workflowLogLines } from './log-model';
import { type CapturedCall, type StackProbe } from './probe-client';
import { CHECKOUT_MIX, checkoutBody, checkoutRequest, type Credential, idempotencyKey, readRequest, type ScenarioRequest } from './scenarios';

/** Time a task spent, and how much of it waiting on DynamoDB Local and on other HTTP services. */
export interface TaskTime {
  state: string;
  functionName: string | undefined;
  resourceType: string;
  ms: number;
  dynamoCalls: number;
  /** The DynamoDB operations it made (`TransactWriteItems`, ...). */
  dynamoOps: string[];
  dynamoMs: number;
  httpCalls: number;
  httpMs: number;
}

/** One checkout, made alone (nothing else running), and everything it caused. */
export interface CheckoutAccount {
  n: number;
  lines: number;
  status: number;
  latencyMs: number;
  execution: ExecutionAccount;
  /** Event deliveries to consumer functions (asynchronous Lambda invocations): each attempt, its time. */
  consumerInvocations: number;
  consumers: { functionName: string; durationMs: number }[];
  eventsPublished: number;
  /** DynamoDB calls by operation: made while the request ran (the workflow), and by the event consumers. */
  dynamoInRequest: Record<string, number>;
  dynamoConsumers: Record<string, number>;
  /** Time of the consumers' DynamoDB calls (overlaps counted once). */
  dynamoConsumerMs: number;
  /** Time of the request's own DynamoDB calls, on its critical path (overlapping calls counted once). */
  dynamoCriticalMs: number;
  /** Other HTTP calls of the request (payment sandboxes, Secrets Manager), their time. */
  httpCalls: number;
  httpCriticalMs: number;
  tasks: TaskTime[];
  requestUnits: { write: number; read: number };
  /** The request's DynamoDB calls, for the DynamoDB Local ceiling. */
  trace: DynamoTrace;
  /** What it logged: the handlers' lines (workflow tasks and consumers), and its history as Step Functions would log it per level. */
  logs: { lines: number; bytes: number; workflow: Record<StateMachineLogLevel, { events: number; bytes: number }> };
}

export interface AccountCheckoutsOptions {
  baseUrl: string;
  /** Without a probe: no DynamoDB counts, no traces (the histories still give the rest). */
  probe: StackProbe | undefined;
  runId: string;
  /** Who the checkouts run as (every checkout needs a customer's token). */
  credentials: Credential[];
  /** Whether the workflow's logs include execution data (the template's setting; default false). */
  includeExecutionData?: boolean;
  /** Checkouts per cart size of the mix (default 4). */
  perCartSize?: number;
  onProgress?: (line: string) => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until the stack is quiet: no new outgoing call for `quietMs` (the event consumers finished). */
async function settle(probe: StackProbe | undefined, baseUrl: string, orderId: string | undefined, quietMs = 150, maxMs = 5000): Promise<void> {
  const inspection = new LocalInspection(baseUrl);
  const started = Date.now();
  let lastCount = -1;
  let quietSince = Date.now();
  while (Date.now() - started < maxMs) {
    let final = true;
    if (orderId) {
      const events = await inspection.events(orderId);
      final = events.every((e) => e.deliveries.length > 0 && e.deliveries.every((d) => d.status === 'delivered' || d.status === 'dead-lettered'));
    }
    if (probe) {
      const counters = await probe.counters();
      const count = Object.values(counters.calls).reduce((sum, c) => sum + c.count, 0);
      if (count !== lastCount) {
        lastCount = count;
        quietSince = Date.now();
      }
    }
    if (final && (!probe || Date.now() - quietSince >= quietMs)) return;
    await sleep(25);
  }
}

/** Time covered by a set of intervals (overlaps counted once). */
export function coveredMs(intervals: readonly { startMs: number; endMs: number }[]): number {
  const sorted = [...intervals].sort((a, b) => a.startMs - b.startMs);
  let total = 0;
  let end = Number.NEGATIVE_INFINITY;
  for (const { startMs, endMs } of sorted) {
    if (startMs > end) {
      total += endMs - startMs;
      end = endMs;
    } else if (endMs > end) {
      total += endMs - end;
      end = endMs;
    }
  }
  return total;
}

const countBy = (calls: readonly CapturedCall[]) =>
  calls.reduce<Record<string, number>>((acc, c) => {
    const op = c.target.split(':')[1] ?? c.target;
    acc[op] = (acc[op] ?? 0) + 1;
    return acc;
  }, {});

/**
 * Makes checkouts of the scenario one at a time — the first `perCartSize` of each cart size
 * of the mix — and accounts for each: its execution history (state transitions, Lambda
 * invocations, direct integrations, time per state), the events and their deliveries, and
 * through the probe every DynamoDB and HTTP call it caused, attributed to the task that made
 * it or to the event consumers.
 */
export async function accountCheckouts(options: AccountCheckoutsOptions): Promise<CheckoutAccount[]> {
  const perSize = options.perCartSize ?? 4;
  const wanted = new Map(CHECKOUT_MIX.lines.map((l) => [l.lines, perSize]));
  const inspection = new LocalInspection(options.baseUrl);
  const accounts: CheckoutAccount[] = [];
  // Earlier load's event consumers must be done, or their calls would land in the first capture.
  await settle(options.probe, options.baseUrl, undefined, 300);
  for (let n = 0; [...wanted.values()].some((left) => left > 0) && n < 10_000; n++) {
    const lines = checkoutBody(n, options.credentials).items.length;
    if ((wanted.get(lines) ?? 0) <= 0) continue;
    wanted.set(lines, (wanted.get(lines) ?? 0) - 1);
    const request = checkoutRequest(options.runId, n, options.credentials);
    const logMark = await inspection.logMark();
    await options.probe?.startCapture();
    const started = performance.now();
    const response = await send(options.baseUrl, request);
    const latencyMs = performance.now() - started;
    const executionName = response.headers.get('x-orderflow-execution');
    if (!executionName) throw new Error(`checkout ${n}: no x-orderflow-execution header (status ${response.status}): is ${options.baseUrl} a local stack?`);
    const detail = await inspection.execution(executionName);
    await settle(options.probe, options.baseUrl, detail.orderId);
    const calls = (await options.probe?.stopCapture()) ?? [];
    const logLines = await inspection.logs(logMark);
    const execution = accountExecution(detail);
    const events = detail.orderId ? await inspection.events(detail.orderId) : [];
    const attributed = attributeCalls(execution, calls);
    const inRequest = attributed.filter((a) => a.task !== undefined).map((a) => a.call);
    const consumers = attributed.filter((a) => a.task === undefined).map((a) => a.call);
    const dynamoInRequest = inRequest.filter((c) => c.kind === 'dynamodb');
    // payment sandboxes (Secrets Manager is read once per process, not per checkout)
    const httpInRequest = inRequest.filter((c) => c.kind === 'http');
    const units = calls
      .filter((c) => c.kind === 'dynamodb')
      .reduce((acc, c) => {
        const u = requestUnits(c.target, c.body);
        return { write: acc.write + u.write, read: acc.read + u.read };
      }, { write: 0, read: 0 });
    accounts.push({
      n,
      lines,
      status: response.status,
      latencyMs,
      execution,
      consumerInvocations: events.reduce((sum, e) => sum + e.deliveries.reduce((s, d) => s + Math.max(1, d.attempts.length), 0), 0),
      consumers: events.flatMap((e) =>
        e.deliveries.flatMap((d) => d.attempts.map((a) => ({ functionName: functionNameFromArn(d.function), durationMs: a.durationMs ?? 0 }))),
      ),
      eventsPublished: events.length,
      dynamoInRequest: countBy(dynamoInRequest),
      dynamoConsumers: countBy(consumers.filter((c) => c.kind === 'dynamodb')),
      dynamoConsumerMs: coveredMs(consumers.filter((c) => c.kind === 'dynamodb')),
      dynamoCriticalMs: coveredMs(dynamoInRequest),
      httpCalls: httpInRequest.length,
      httpCriticalMs: coveredMs(httpInRequest),
      tasks: taskTimes(execution, attributed),
      requestUnits: units,
      logs: {
        lines: logLines.length,
        bytes: logLines.reduce((sum, line) => sum + line.bytes, 0),
        workflow: workflowLogVolumes(detail.history.events, options.includeExecutionData ?? false),
      },
      trace: traceFromCalls(`checkout ${lines} line${lines === 1 ? '' : 's'}`, dynamoInRequest, [idempotencyKey(options.runId, n), executionName]),
    });
    options.onProgress?.(
      `  checkout ${n} (${lines} line${lines === 1 ? '' : 's'}): ${response.status} in ${latencyMs.toFixed(0)} ms, ${execution.stateTransitions} transitions, ${execution.lambdaInvocations} Lambda, ${dynamoInRequest.length} DynamoDB calls`,
    );
  }
  return accounts;
}

function workflowLogVolumes(events: ExecutionDetail['history']['events'], includeExecutionData: boolean): CheckoutAccount['logs']['workflow'] {
  const levels: StateMachineLogLevel[] = ['ALL', 'ERROR', 'FATAL', 'OFF'];
  return Object.fromEntries(
    levels.map((level) => {
      const lines = workflowLogLines(events, level, includeExecutionData);
      return [level, { events: lines.length, bytes: lines.reduce((sum, line) => sum + Buffer.byteLength(line), 0) }];
    }),
  ) as CheckoutAccount['logs']['workflow'];
}

function taskTimes(execution: ExecutionAccount, attributed: readonly AttributedCall[]): TaskTime[] {
  return execution.tasks.map((task) => {
    const mine = attributed.filter((a) => a.task === task).map((a) => a.call);
    const dynamo = mine.filter((c) => c.kind === 'dynamodb');
    const http = mine.filter((c) => c.kind !== 'dynamodb');
    return {
      state: task.state,
      functionName: task.functionName,
      resourceType: task.resourceType,
      ms: task.endMs - task.startMs,
      dynamoCalls: dynamo.length,
      dynamoOps: dynamo.map((c) => c.target.split(':')[1] ?? c.target),
      dynamoMs: coveredMs(dynamo),
      httpCalls: http.length,
      httpMs: coveredMs(http),
    };
  });
}

function send(baseUrl: string, request: ScenarioRequest): Promise<Response> {
  return fetch(`${baseUrl}${request.path}`, { method: request.method, headers: request.headers, body: request.body ?? null }).then(async (response) => {
    await response.arrayBuffer();
    return response;
  });
}

/** Mean of `value` over the accounts, each cart size weighted by its share of the mix. */
export function mixMean(accounts: readonly CheckoutAccount[], value: (account: CheckoutAccount) => number): number {
  let total = 0;
  let weight = 0;
  for (const { lines, share } of CHECKOUT_MIX.lines) {
    const group = accounts.filter((a) => a.lines === lines);
    if (group.length === 0) continue;
    total += (share * group.reduce((sum, a) => sum + value(a), 0)) / group.length;
    weight += share;
  }
  return weight > 0 ? total / weight : Number.NaN;
}

/** One read request, made alone, and its DynamoDB calls. */
export interface ReadAccount {
  n: number;
  name: string;
  status: number;
  latencyMs: number;
  dynamo: Record<string, number>;
  dynamoCriticalMs: number;
  trace: DynamoTrace;
}

/** The first `count` reads of the scenario, one at a time, with their DynamoDB calls. */
export async function accountReads(options: {
  baseUrl: string;
  probe: StackProbe | undefined;
  orderIds: string[];
  /** The customer who placed the orders (its token reads them). */
  credential: Credential;
  count?: number;
}): Promise<ReadAccount[]> {
  const accounts: ReadAccount[] = [];
  await settle(options.probe, options.baseUrl, undefined);
  for (let n = 0; n < (options.count ?? 6); n++) {
    const request = readRequest(n, options.orderIds, options.credential);
    await options.probe?.startCapture();
    const started = performance.now();
    const response = await send(options.baseUrl, request);
    const latencyMs = performance.now() - started;
    const calls = ((await options.probe?.stopCapture()) ?? []).filter((c) => c.kind === 'dynamodb');
    accounts.push({
      n,
      name: request.name,
      status: response.status,
      latencyMs,
      dynamo: countBy(calls),
      dynamoCriticalMs: coveredMs(calls),
      trace: traceFromCalls(request.name, calls),
    });
  }
  return accounts;
}
