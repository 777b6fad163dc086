import { existsSync, readFileSync } from 'node:fs';
import { type CheckoutAccount, mixMean, type ReadAccount } from './accounting';
import { costPerMillionCheckouts, PRICES, REFERENCE_CHECKOUT, REFERENCE_TOTAL_PER_MILLION } from './cost';
import { AWS_ASSUMPTIONS, MEMORY_CANDIDATES_MB, type MemoryChoice, type ModelledCheckout } from './cost-model';
import { DEFAULT_LOG_SETTINGS, LOG_ASSUMPTIONS, LOG_PRICES, type LogSettings } from './log-model';
import type { ReplayResult } from './dynamodb-replay';
import { functionNameFromArn } from './executions';
import type { ProbeCounters } from './probe-client';
import type { ProfileSummary } from './profile';
import { CHECKOUT_MIX } from './scenarios';
import type { RunSummary } from './summary';

/** CPU the stack's process and DynamoDB Local use with no load, ms per second. */
export interface IdleCpu {
  stackMsPerSecond: number;
  dynamodbLocalMsPerSecond: number;
}

export interface LevelResult {
  summary: RunSummary;
  failureSamples?: { status: number; body: string }[];
  ceiling: ReplayResult | undefined;
  probe: { before: ProbeCounters; after: ProbeCounters; idle?: IdleCpu | undefined } | undefined;
  profile: ProfileSummary | undefined;
}

const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '-');
const f0 = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : '-');
const pct = (n: number) => (Number.isFinite(n) ? `${(n * 100).toFixed(0)}%` : '-');
const usd = (n: number) => `$${n.toFixed(2)}`;
const kb = (bytes: number) => (Number.isFinite(bytes) ? `${(bytes / 1024).toFixed(1)} KiB` : "-");

/** DynamoDB calls and their total time per request during a level, from the probe. */
function dynamoPerRequest(level: LevelResult): { calls: number; ms: number } | undefined {
  if (!level.probe) return undefined;
  let calls = 0;
  let ms = 0;
  for (const [target, stats] of Object.entries(level.probe.after.calls)) {
    if (!target.startsWith('dynamodb:')) continue;
    const was = level.probe.before.calls[target] ?? { count: 0, totalMs: 0, errors: 0 };
    calls += stats.count - was.count;
    ms += stats.totalMs - was.totalMs;
  }
  const requests = level.summary.requests.total;
  return requests > 0 ? { calls: calls / requests, ms: ms / requests } : undefined;
}

/**
 * CPU time per request during a level: the stack's process and DynamoDB Local's JVM, ms, their
 * idle use taken out; and the payment sandboxes' process (the stack's `node` child), if any.
 */
export function cpuPerRequest(level: LevelResult): { stackMs: number; dynamodbLocalMs: number; sandboxesMs: number } | undefined {
  if (!level.probe?.before.cpu || !level.probe.after.cpu) return undefined;
  const requests = level.summary.requests.total;
  if (requests === 0) return undefined;
  const { before, after, idle } = level.probe;
  const seconds = (after.nowMs - before.nowMs) / 1000;
  const java = (after.cpu.childrenMs['java'] ?? 0) - (before.cpu.childrenMs['java'] ?? 0) - (idle?.dynamodbLocalMsPerSecond ?? 0) * seconds;
  const stack = after.cpu.stackMs - before.cpu.stackMs - (idle?.stackMsPerSecond ?? 0) * seconds;
  const sandboxes = (after.cpu.childrenMs['node'] ?? 0) - (before.cpu.childrenMs['node'] ?? 0);
  return { stackMs: Math.max(0, stack) / requests, dynamodbLocalMs: Math.max(0, java) / requests, sandboxesMs: Math.max(0, sandboxes) / requests };
}

/** One row per concurrency level: the service, and DynamoDB Local alone with the same calls. */
export function formatLevelsTable(levels: readonly LevelResult[], scenario: string): string {
  const unit = scenario === 'checkout' ? 'checkouts' : 'reads';
  const lines = [
    `| clients | ${unit}/s | failures | avg | med | p90 | p95 | max | DynamoDB calls per request | CPU per request: stack / DynamoDB Local (idle use taken out) / payment sandboxes | DynamoDB Local alone: ${unit}/s | med | p95 | overhead (med) |`,
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const level of levels) {
    const s = level.summary;
    const clients = s.load.kind === 'constant' ? String(s.load.connections) : 'stages';
    const cpu = cpuPerRequest(level);
    const d = dynamoPerRequest(level);
    const c = level.ceiling;
    lines.push(
      `| ${clients} | ${f1(s.requests.perSecond)} | ${s.requests.failed} (${(s.requests.failureRate * 100).toFixed(2)}%) | ${f1(s.latencyMs.avg)} | ${f1(s.latencyMs.med)} | ${f1(s.latencyMs.p90)} | ${f1(s.latencyMs.p95)} | ${f1(s.latencyMs.max)} | ${d ? f1(d.calls) : '-'} | ${cpu ? `${f1(cpu.stackMs)} / ${f1(cpu.dynamodbLocalMs)} / ${f1(cpu.sandboxesMs)} ms` : '-'} | ${c ? f1(c.perSecond) : '-'} | ${c ? f1(c.latencyMs.med) : '-'} | ${c ? f1(c.latencyMs.p95) : '-'} | ${c ? `+${pct(s.latencyMs.med / c.latencyMs.med - 1)}` : '-'} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}

const sumValues = (record: Record<string, number>) => Object.values(record).reduce((a, b) => a + b, 0);
const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : Number.NaN);

/** Per checkout, by cart size and for the scenario's mix. */
export function formatAccounting(accounts: readonly CheckoutAccount[]): string {
  const rows: [string, (a: CheckoutAccount) => number, (n: number) => string][] = [
    ['HTTP status', (a) => a.status, f0],
    ['state transitions', (a) => a.execution.stateTransitions, f1],
    ['Lambda invocations by the workflow', (a) => a.execution.lambdaInvocations, f1],
    ['Lambda invocations by events (consumers)', (a) => a.consumerInvocations, f1],
    ['direct integrations: DynamoDB', (a) => sumValues(Object.fromEntries(Object.entries(a.execution.directCalls).filter(([k]) => k.startsWith('dynamodb')))), f1],
    ['direct integrations: EventBridge PutEvents', (a) => a.execution.directCalls['events:putEvents'] ?? 0, f1],
    ['DynamoDB calls during the request', (a) => sumValues(a.dynamoInRequest), f1],
    ['DynamoDB calls by the consumers', (a) => sumValues(a.dynamoConsumers), f1],
    ['DynamoDB write request units (est.)', (a) => a.requestUnits.write, f1],
    ['DynamoDB read request units (est.)', (a) => a.requestUnits.read, f1],
    ['payment provider calls', (a) => a.httpCalls, f1],
    ['latency (one at a time), ms', (a) => a.latencyMs, f1],
    ['execution duration, ms', (a) => a.execution.durationMs, f1],
    ['of which in DynamoDB Local calls, ms', (a) => a.dynamoCriticalMs, f1],
    ['of which in payment sandbox calls, ms', (a) => a.httpCriticalMs, f1],
  ];
  const sizes = CHECKOUT_MIX.lines.map((l) => l.lines).filter((lines) => accounts.some((a) => a.lines === lines));
  const header = `| per checkout | ${sizes.map((s) => `${s} line${s === 1 ? '' : 's'} (${pct(CHECKOUT_MIX.lines.find((l) => l.lines === s)?.share ?? 0)} of the mix)`).join(' | ')} | the mix |`;
  const lines = [header, `|---|${sizes.map(() => '---:').join('|')}|---:|`];
  for (const [label, value, format] of rows) {
    const perSize = sizes.map((s) => format(mean(accounts.filter((a) => a.lines === s).map(value))));
    lines.push(`| ${label} | ${perSize.join(' | ')} | ${label === 'HTTP status' ? '' : format(mixMean(accounts, value))} |`);
  }
  const ops = new Set(accounts.flatMap((a) => Object.keys(a.dynamoInRequest)));
  const opsLine = [...ops]
    .sort()
    .map((op) => `${op} ${f1(mixMean(accounts, (a) => a.dynamoInRequest[op] ?? 0))}`)
    .join(', ');
  const consumerOps = new Set(accounts.flatMap((a) => Object.keys(a.dynamoConsumers)));
  const consumerLine = [...consumerOps]
    .sort()
    .map((op) => `${op} ${f1(mixMean(accounts, (a) => a.dynamoConsumers[op] ?? 0))}`)
    .join(', ');
  return `${lines.join('\n')}\n\nDynamoDB calls per checkout of the mix, during the request: ${opsLine}; by the consumers: ${consumerLine}.\n`;
}

/** Mean time per state (tasks: and how much of it in DynamoDB Local / sandbox calls), mix-weighted. */
export function formatStateTimes(accounts: readonly CheckoutAccount[]): string {
  const names: string[] = [];
  for (const a of accounts) for (const s of a.execution.states) if (!names.includes(s.state)) names.push(s.state);
  const lines = ['| state | type | ms (mean per checkout) | in DynamoDB Local calls | in payment sandbox calls | the rest: runtime, handler, SDK |', '|---|---|---:|---:|---:|---:|'];
  let total = 0;
  for (const name of names) {
    const type = accounts.flatMap((a) => a.execution.states).find((s) => s.state === name)?.type ?? '';
    const ms = mixMean(accounts, (a) => a.execution.states.filter((s) => s.state === name).reduce((sum, s) => sum + s.ms, 0));
    const dynamo = mixMean(accounts, (a) => a.tasks.filter((t) => t.state === name).reduce((sum, t) => sum + t.dynamoMs, 0));
    const http = mixMean(accounts, (a) => a.tasks.filter((t) => t.state === name).reduce((sum, t) => sum + t.httpMs, 0));
    // The Map's own line holds its iterations' time too: count leaf states only in the total.
    if (type !== 'Map') total += ms;
    lines.push(`| ${name} | ${type} | ${f1(ms)} | ${f1(dynamo)} | ${f1(http)} | ${f1(Math.max(0, ms - dynamo - http))} |`);
  }
  const execution = mixMean(accounts, (a) => a.execution.durationMs);
  return `${lines.join('\n')}\n\nExecution ${f1(execution)} ms (mix mean); its states ${f1(total)} ms (Map iterations run in parallel: their sum can exceed the Map's time).\n`;
}

/** Reads: the DynamoDB calls of each request kind. */
export function formatReadAccounting(accounts: readonly ReadAccount[]): string {
  const names = [...new Set(accounts.map((a) => a.name))];
  const lines = ['| request | status | latency (one at a time), ms | DynamoDB calls | in DynamoDB Local, ms |', '|---|---:|---:|---|---:|'];
  for (const name of names) {
    const mine = accounts.filter((a) => a.name === name);
    const ops = Object.entries(mine[0]?.dynamo ?? {})
      .map(([op, n]) => `${op} × ${n}`)
      .join(', ');
    lines.push(`| ${name} | ${mine[0]?.status ?? ''} | ${f1(mean(mine.map((a) => a.latencyMs)))} | ${ops} | ${f1(mean(mine.map((a) => a.dynamoCriticalMs)))} |`);
  }
  return `${lines.join('\n')}\n`;
}

/** Function memory sizes from the synthesized template (`/_local/info`'s template), by function name. */
export function memoryFromTemplate(path: string | undefined): { of: (name: string) => number; source: string } {
  const sizes = new Map<string, number>();
  if (path && existsSync(path)) {
    const template = JSON.parse(readFileSync(path, 'utf8')) as { Resources?: Record<string, { Type?: string; Properties?: { MemorySize?: number } }> };
    for (const [id, resource] of Object.entries(template.Resources ?? {})) {
      if (resource.Type === 'AWS::Lambda::Function') sizes.set(functionNameFromArn(id), resource.Properties?.MemorySize ?? 128);
    }
  }
  const fallback = 512;
  return {
    of: (name) => sizes.get(name) ?? fallback,
    source: sizes.size > 0 ? `MemorySize of each function in the synthesized template (${path})` : `no template: ${fallback} MB assumed`,
  };
}

/** The cost table: the reference, orderflow as deployed, and an alternative memory sizing (`alternative`: its label). */
export function formatCost(
  deployed: ModelledCheckout,
  resized: ModelledCheckout,
  memorySource: string,
  sensitivity: readonly { providerCallMs: number; deployed: ModelledCheckout; resized: ModelledCheckout }[] = [],
  alternative = 'every function at 512 MB',
  logs: { settings: LogSettings; source: string } = { settings: DEFAULT_LOG_SETTINGS, source: 'production defaults assumed' },
): string {
  const logSettings = logs.settings;
  const logSource = logs.source;
  const reference = costPerMillionCheckouts(REFERENCE_CHECKOUT);
  const ours = costPerMillionCheckouts(deployed.input);
  const alt = costPerMillionCheckouts(resized.input);
  const invocations = (m: ModelledCheckout) => m.functions.reduce((s, f) => s + f.invocations, 0);
  const lines = [
    `| per million checkouts | reference | orderflow as deployed | orderflow, ${alternative} |`,
    '|---|---:|---:|---:|',
    `| API Gateway REST API ($${PRICES.apiGatewayRestPerMillion}/M) | ${usd(reference.apiGateway)} | ${usd(ours.apiGateway)} | ${usd(alt.apiGateway)} |`,
    `| Express requests ($${PRICES.expressRequestsPerMillion}/M) | ${usd(reference.expressRequests)} | ${usd(ours.expressRequests)} | ${usd(alt.expressRequests)} |`,
    `| Express duration (64 MB, 100 ms units) | ${usd(reference.expressDuration)} (3 s) | ${usd(ours.expressDuration)} (${f0(deployed.expressMs)} ms) | ${usd(alt.expressDuration)} (${f0(resized.expressMs)} ms) |`,
    `| Lambda requests ($${PRICES.lambdaRequestsPerMillion}/M) | ${usd(reference.lambdaRequests)} (5) | ${usd(ours.lambdaRequests)} (${f1(invocations(deployed))}) | ${usd(alt.lambdaRequests)} (${f1(invocations(resized))}) |`,
    `| Lambda duration (arm64, $${PRICES.lambdaArmPerGbSecond}/GB-s) | ${usd(reference.lambdaDuration)} (${reference.lambdaGbSeconds.toFixed(3)} GB-s) | ${usd(ours.lambdaDuration)} (${ours.lambdaGbSeconds.toFixed(3)} GB-s) | ${usd(alt.lambdaDuration)} (${alt.lambdaGbSeconds.toFixed(3)} GB-s) |`,
    `| **total (the reference's scope)** | **${usd(reference.total)}** (published: ${usd(REFERENCE_TOTAL_PER_MILLION)}) | **${usd(ours.total)}** | **${usd(alt.total)}** |`,
    `| not in the reference: EventBridge ($${PRICES.eventBridgePerMillion}/M events) | - | ${usd(ours.eventBridge)} (${f1(deployed.eventsPublished)}) | ${usd(alt.eventBridge)} |`,
    `| not in the reference: DynamoDB on demand (${f1(deployed.dynamoWriteUnits)} WRU, ${f1(deployed.dynamoReadUnits)} RRU, est.) | - | ${usd(ours.dynamodb)} | ${usd(alt.dynamodb)} |`,
    `| not in the reference: CloudWatch Logs ($${LOG_PRICES.ingestPerGb}/GB ingested; ${kb(deployed.logBytes)} per checkout) | - | ${usd(deployed.logsPerMillion)} | ${usd(resized.logsPerMillion)} |`,
    `| not in the reference: X-Ray (${pct(LOG_ASSUMPTIONS.xraySampledShare)} of checkouts traced, $${LOG_PRICES.xrayTracesPerMillion}/M traces) | - | ${usd(deployed.xrayPerMillion)} | ${usd(resized.xrayPerMillion)} |`,
    `| **all-in** | - | **${usd(deployed.allInPerMillion)}** | **${usd(resized.allInPerMillion)}** |`,
  ];
  const logLines = [
    '| logs per checkout (as deployed) | events | bytes ingested |',
    '|---|---:|---:|',
    `| handlers' lines (measured: Powertools JSON and EMF at the deployed log level) | ${f1(deployed.logs.handlers.events)} | ${f0(deployed.logs.handlers.bytes)} |`,
    `| Lambda's own lines (START, END, REPORT${logSettings.tracing ? ', XRAY' : ''}: ${f1(invocations(deployed))} invocations) | ${f1(deployed.logs.lambdaPlatform.events)} | ${f0(deployed.logs.lambdaPlatform.bytes)} |`,
    `| workflow execution log (level ${logSettings.stateMachineLevel}${logSettings.includeExecutionData ? ', with execution data' : ''}; measured from the histories) | ${f1(deployed.logs.workflow.events)} | ${f0(deployed.logs.workflow.bytes)} |`,
    `| API access log (the stage's format) | ${f1(deployed.logs.apiAccess.events)} | ${f0(deployed.logs.apiAccess.bytes)} |`,
    `| **total** | ${f1(deployed.logs.handlers.events + deployed.logs.lambdaPlatform.events + deployed.logs.workflow.events + deployed.logs.apiAccess.events)} | **${f0(deployed.logBytes)}** |`,
  ];
  const fnLines = [
    '| function | invocations per checkout | memory | measured locally, ms | modelled in AWS, ms |',
    '|---|---:|---:|---:|---:|',
    ...deployed.functions.map((f) => `| ${f.name} | ${f1(f.invocations)} | ${f.memoryMb} MB | ${f1(f.localMs)} | ${f1(f.awsMs)} |`),
  ];
  const a = AWS_ASSUMPTIONS;
  const sensitivityLine = sensitivity.length
    ? `\nWith another payment provider latency: ${sensitivity
        .map((s) => `${s.providerCallMs} ms per call → ${usd(costPerMillionCheckouts(s.deployed.input).total)} as deployed, ${usd(costPerMillionCheckouts(s.resized.input).total)} with ${alternative}`)
        .join('; ')}.\n`
    : '';
  return `${lines.join('\n')}\n\n${logLines.join('\n')}\n\nLog settings: ${logSource}; each event counts ${LOG_ASSUMPTIONS.eventOverheadBytes} bytes on top of its message.\n\n${fnLines.join('\n')}\n${sensitivityLine}\nMemory: ${memorySource}. AWS durations = the local CPU time of each handler (its task time minus its waits on DynamoDB Local and the sandboxes) × ${a.fullVcpuMemoryMb}/memory (Lambda's CPU share), plus its calls at assumed in-region latencies: DynamoDB item ${a.dynamoItemMs} ms, batch/query ${a.dynamoBatchMs} ms, transaction ${a.dynamoTransactMs} ms, payment provider ${a.providerCallMs} ms; Express = the workflow's critical path of those, + ${a.lambdaInvokeOverheadMs} ms per Lambda task (invoke), ${a.putEventsMs} ms per PutEvents.\n`;
}

/** The memory sweep: each function's Lambda cost per million checkouts at each candidate size. */
export function formatMemorySweep(sweep: readonly MemoryChoice[], deployedMb: (name: string) => number): string {
  const lines = [
    `| function (Lambda cost per million checkouts) | ${MEMORY_CANDIDATES_MB.map((mb) => `${mb} MB`).join(' | ')} | deployed | cheapest |`,
    `|---|${MEMORY_CANDIDATES_MB.map(() => '---:').join('|')}|---:|---:|`,
    ...sweep.map((s) => `| ${s.name} | ${MEMORY_CANDIDATES_MB.map((mb) => usd(s.costBySize[mb] ?? Number.NaN)).join(' | ')} | ${deployedMb(s.name)} MB | ${s.cheapestMb} MB |`),
  ];
  return `${lines.join('\n')}\n\nSizes from 256 MB: Node 22 with the AWS SDK and Powertools leaves too little headroom at 128 MB. Durations as above (CPU time scaled by the size's vCPU share, calls at AWS latencies).\n`;
}

export function formatProfile(profile: ProfileSummary, file: string): string {
  const lines = [
    `CPU profile of the stack's process (${file}; open in Chrome DevTools → Performance): ${f0(profile.busyMs)} ms busy of ${f0(profile.totalMs)} ms (${pct(profile.busyMs / profile.totalMs)} of one core)`,
    '',
    '| on the stack (inclusive: the code and what it called) | ms | share of busy |',
    '|---|---:|---:|',
    ...profile.onStack.map((p) => `| ${p.name} | ${f0(p.ms)} | ${pct(p.share)} |`),
    '',
    '| whose work (nearest project frame on the stack) | ms | share of busy |',
    '|---|---:|---:|',
    ...profile.byOwner.map((p) => `| ${p.name} | ${f0(p.ms)} | ${pct(p.share)} |`),
    '',
    '| self time by place | ms | share of busy |',
    '|---|---:|---:|',
    ...profile.byPlace.slice(0, 15).map((p) => `| ${p.name} | ${f0(p.ms)} | ${pct(p.share)} |`),
    '',
    '| function (self time) | ms | share of busy |',
    '|---|---:|---:|',
    ...profile.topFunctions.map((p) => `| \`${p.name}\` | ${f0(p.ms)} | ${pct(p.share)} |`),
  ];
  return `${lines.join('\n')}\n`;
}
