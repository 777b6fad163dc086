// `npm run load -- --scenario checkout|reads [options]`: the k6 scenarios, run with autocannon
// against a local stack (started here unless --base-url names one), with the same summary.
import '@orderflow/workspace/quiet-aws-sdk';
import { writeFileSync } from 'node:fs';
import { loadavg, cpus } from 'node:os';
import { workspaceRoot } from '@orderflow/dynamodb-local';
import { accountCheckouts, accountReads, type CheckoutAccount, type ReadAccount } from './accounting';
import { AWS_ASSUMPTIONS, modelCheckout, sweepMemory } from './cost-model';
import { logSettingsFromTemplate } from './log-model';
import { type DriverProgress, type LoadSpec, runLoad } from './driver';
import { type DynamoTrace, replayTraces, type ReplayResult } from './dynamodb-replay';
import { LocalInspection } from './executions';
import { type LocalStackProcess, startLocalStack } from './local-stack';
import { type ProbeCounters, StackProbe } from './probe-client';
import { summarizeProfile } from './profile';
import {
  formatAccounting,
  formatCost,
  formatMemorySweep,
  formatLevelsTable,
  formatProfile,
  formatReadAccounting,
  formatStateTimes,
  cpuPerRequest,
  type IdleCpu,
  type LevelResult,
  memoryFromTemplate,
} from './report';
import { type CliOptions, parseCliOptions, USAGE, UsageError } from './cli-options';
import { readCredentialsFile, localCredentials } from './credentials';
import { checkoutRequest, type Credential, newRunId, READS_SETUP_ORDERS, readRequest } from './scenarios';
import { formatSummary } from './summary';
import { ensureLoadCatalog, placeOrders } from './target';

const log = (line: string) => process.stderr.write(`${line}\n`);

function progressPrinter(label: string): (p: DriverProgress) => void {
  const tty = process.stderr.isTTY === true;
  let lastPrinted = -Infinity;
  return (p) => {
    const line = `${label} ${p.elapsedSeconds.toFixed(0).padStart(3)}/${p.totalSeconds.toFixed(0)} s · ${String(p.connections).padStart(3)} clients · ${p.requests} requests · ${p.lastSecondRequests}/s · ${p.failed} failed · p95 ${Number.isFinite(p.lastSecondP95) ? p.lastSecondP95.toFixed(0) : '-'} ms`;
    if (tty) process.stderr.write(`\r\x1b[2K${line}`);
    else if (p.elapsedSeconds - lastPrinted >= 5) {
      lastPrinted = p.elapsedSeconds;
      process.stderr.write(`${line}\n`);
    }
  };
}

function endProgress(): void {
  if (process.stderr.isTTY) process.stderr.write('\r\x1b[2K');
}

export interface LoadReport {
  machine: { cpus: number; loadavgBefore: number[]; loadavgAfter: number[]; node: string };
  scenario: string;
  baseUrl: string;
  levels: LevelResult[];
  accounting?: CheckoutAccount[] | ReadAccount[];
  idleCpu?: IdleCpu;
  cost?: ReturnType<typeof modelCheckout>;
}

async function main(argv: string[]): Promise<number> {
  let options: CliOptions | 'help';
  try {
    options = parseCliOptions(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    throw error;
  }
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const opts = options;
  const aborter = new AbortController();
  let stack: LocalStackProcess | undefined;
  const onSignal = () => {
    if (aborter.signal.aborted) process.exit(130);
    log('stopping (Ctrl-C again to force)');
    aborter.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const loadavgBefore = loadavg();
  try {
    let baseUrl = opts.baseUrl;
    if (!baseUrl) {
      log('starting the local stack: npm start -- --in-memory (free port)');
      stack = await startLocalStack({ onProgress: (line) => log(`  ${line}`) });
      baseUrl = stack.baseUrl;
      log(`  ready on ${baseUrl} in ${(stack.readyInMs / 1000).toFixed(1)} s`);
    }
    const probe = stack?.probeUrl ? new StackProbe(stack.probeUrl) : undefined;
    const inspection = new LocalInspection(baseUrl);
    const info = await inspection.info().catch(() => undefined);
    await ensureLoadCatalog(baseUrl, log);
    const credentials = opts.tokensFile ? readCredentialsFile(opts.tokensFile) : await localCredentials(baseUrl);
    log(`credentials: ${credentials.length} customers' tokens ${opts.tokensFile ? `from ${opts.tokensFile}` : "from the local stack's development issuer"}`);
    const reader = credentials[0] as Credential;
    const runId = newRunId();
    const scenario = opts.scenario;
    let orderIds: string[] = [];
    if (scenario.name === 'reads') {
      log(`setup: placing ${READS_SETUP_ORDERS} orders to read back`);
      orderIds = await placeOrders(baseUrl, `${runId}s`, READS_SETUP_ORDERS, reader);
    }
    let n = 0;
    const request =
      scenario.name === 'checkout' ? (i: number) => checkoutRequest(runId, i, credentials) : (i: number) => readRequest(i, orderIds, reader);
    const next = () => request(n++);

    if (opts.warmupSeconds > 0 && !aborter.signal.aborted) {
      await runLoad({
        scenario,
        baseUrl,
        load: { kind: 'constant', connections: 10, durationSeconds: opts.warmupSeconds },
        request: () => next(),
        onProgress: progressPrinter('warm-up'),
        signal: aborter.signal,
      });
      endProgress();
    }

    // Single requests, one at a time: counts, time per state, and the DynamoDB traces.
    const report: LoadReport = {
      machine: { cpus: cpus().length, loadavgBefore, loadavgAfter: [], node: process.version },
      scenario: scenario.name,
      baseUrl,
      levels: [],
    };
    let traces: DynamoTrace[] = [];
    if ((opts.account || opts.ceiling) && info) {
      log(`accounting: single ${scenario.name === 'checkout' ? 'checkouts' : 'reads'}, one at a time${probe ? '' : ' (no probe: DynamoDB calls are not counted)'}`);
      if (scenario.name === 'checkout') {
        const logs = logSettingsFromTemplate(info.template);
        const accounts = await accountCheckouts({ baseUrl, probe, runId: `${runId}a`, credentials, onProgress: log, includeExecutionData: logs.settings.includeExecutionData });
        traces = accounts.map((a) => a.trace);
        report.accounting = accounts;
        if (opts.account) {
          process.stdout.write(`\n${formatAccounting(accounts)}\n${formatStateTimes(accounts)}\n`);
          const memory = memoryFromTemplate(info.template);
          // Beside the template's sizes: each function at the size the sweep finds cheapest.
          const sweep = sweepMemory(accounts, AWS_ASSUMPTIONS, logs.settings);
          const cheapest = (name: string) => sweep.find((s) => s.name === name)?.cheapestMb ?? memory.of(name);
          const deployed = modelCheckout(accounts, memory.of, AWS_ASSUMPTIONS, logs.settings);
          const resized = modelCheckout(accounts, cheapest, AWS_ASSUMPTIONS, logs.settings);
          const sensitivity = [200, 800].map((providerCallMs) => {
            const assumptions = { ...AWS_ASSUMPTIONS, providerCallMs };
            return { providerCallMs, deployed: modelCheckout(accounts, memory.of, assumptions, logs.settings), resized: modelCheckout(accounts, cheapest, assumptions, logs.settings) };
          });
          report.cost = deployed;
          process.stdout.write(`\n${formatCost(deployed, resized, memory.source, sensitivity, 'each function at its cheapest size', logs)}\n`);
          process.stdout.write(`\n${formatMemorySweep(sweep, memory.of)}\n`);
        }
      } else {
        const accounts = await accountReads({ baseUrl, probe, orderIds, credential: reader });
        traces = accounts.map((a) => a.trace);
        report.accounting = accounts;
        if (opts.account) process.stdout.write(`\n${formatReadAccounting(accounts)}\n`);
      }
    } else if (opts.account || opts.ceiling) {
      log(`${baseUrl} is not a local stack (no /_local/info): no accounting, no DynamoDB Local ceiling`);
    }
    if (opts.ceiling && info && traces.length > 0 && traces.every((t) => t.groups.length === 0)) {
      log('no DynamoDB calls were captured (no probe): the DynamoDB Local ceiling needs the stack this command starts');
      traces = [];
    }
    if (opts.ceiling && traces.length > 0 && info && !aborter.signal.aborted) {
      // DynamoDB Local's JIT warms up too.
      await replayTraces({ endpoint: info.dynamodb.endpoint, traces, concurrency: 10, durationSeconds: 2, signal: aborter.signal });
    }

    // What the stack and DynamoDB Local burn with no load (timers, JIT, GC), to take out of the CPU per request.
    let idleCpu: IdleCpu | undefined;
    if (probe && !aborter.signal.aborted) {
      const first = await probe.counters();
      await new Promise((r) => setTimeout(r, 3000));
      const second = await probe.counters();
      const seconds = (second.nowMs - first.nowMs) / 1000;
      idleCpu = {
        stackMsPerSecond: (second.cpu.stackMs - first.cpu.stackMs) / seconds,
        dynamodbLocalMsPerSecond: ((second.cpu.childrenMs['java'] ?? 0) - (first.cpu.childrenMs['java'] ?? 0)) / seconds,
      };
      report.idleCpu = idleCpu;
      log(`idle CPU: stack ${idleCpu.stackMsPerSecond.toFixed(1)} ms/s, DynamoDB Local ${idleCpu.dynamodbLocalMsPerSecond.toFixed(1)} ms/s`);
    }

    const levels: { load: LoadSpec; label: string }[] = opts.connections
      ? opts.connections.map((c) => ({ load: { kind: 'constant', connections: c, durationSeconds: opts.durationSeconds }, label: `${c} clients` }))
      : [{ load: { kind: 'stages', stages: scenario.stages }, label: 'stages' }];
    let exitCode = 0;
    for (const [index, level] of levels.entries()) {
      if (aborter.signal.aborted) break;
      const last = index === levels.length - 1;
      log(`\n${scenario.name} · ${level.label}`);
      const before: ProbeCounters | undefined = await probe?.counters();
      if (last && opts.profile) await probe?.startProfile();
      const run = await runLoad({ scenario, baseUrl, load: level.load, request: () => next(), onProgress: progressPrinter(level.label), signal: aborter.signal });
      endProgress();
      let profile: ReturnType<typeof summarizeProfile> | undefined;
      if (last && opts.profile && probe) {
        const cpuProfile = await probe.stopProfile();
        writeFileSync(opts.profile, JSON.stringify(cpuProfile));
        profile = summarizeProfile(cpuProfile, workspaceRoot());
      }
      // Let the event consumers of the last requests finish before counting.
      await new Promise((r) => setTimeout(r, 500));
      const after: ProbeCounters | undefined = await probe?.counters();
      process.stdout.write(`\n${formatSummary(run.summary)}`);
      for (const sample of run.failureSamples) process.stdout.write(`  failed     ${sample.status} ${sample.body}\n`);
      if (Object.keys(run.errors).length > 0) {
        process.stdout.write(`  errors     ${Object.entries(run.errors).map(([k, v]) => `${k}: ${v}`).join(' · ')}\n`);
      }
      let ceiling: ReplayResult | undefined;
      if (opts.ceiling && traces.length > 0 && info && level.load.kind === 'constant' && !aborter.signal.aborted) {
        log(`DynamoDB Local alone: the same calls at ${level.load.connections} concurrent`);
        ceiling = await replayTraces({
          endpoint: info.dynamodb.endpoint,
          traces,
          concurrency: level.load.connections,
          durationSeconds: Math.min(opts.durationSeconds, 10),
          signal: aborter.signal,
        });
        const overhead = run.summary.latencyMs.med / ceiling.latencyMs.med - 1;
        process.stdout.write(
          `  DynamoDB Local alone: ${ceiling.perSecond.toFixed(1)} ${scenario.name === 'checkout' ? 'checkouts' : 'reads'}/s · med ${ceiling.latencyMs.med.toFixed(1)} ms · p95 ${ceiling.latencyMs.p95.toFixed(1)} ms${Object.keys(ceiling.errors).length ? ` · refused ${JSON.stringify(ceiling.errors)}` : ''} → service overhead ${(overhead * 100).toFixed(0)}% of the DynamoDB time (medians)\n`,
        );
      }
      if (run.summary.thresholds.some((t) => !t.ok)) exitCode = 99;
      const levelResult: LevelResult = { summary: run.summary, failureSamples: run.failureSamples, ceiling, probe: before && after ? { before, after, idle: idleCpu } : undefined, profile };
      const cpu = cpuPerRequest(levelResult);
      if (cpu) {
        process.stdout.write(
          `  CPU per request: the stack's process ${cpu.stackMs.toFixed(1)} ms, DynamoDB Local ${cpu.dynamodbLocalMs.toFixed(1)} ms (idle use taken out), the payment sandboxes' process ${cpu.sandboxesMs.toFixed(1)} ms\n`,
        );
      }
      report.levels.push(levelResult);
      if (profile) process.stdout.write(`\n${formatProfile(profile, opts.profile ?? '')}\n`);
    }
    if (report.levels.length > 1 || opts.ceiling) process.stdout.write(`\n${formatLevelsTable(report.levels, scenario.name)}`);
    report.machine.loadavgAfter = loadavg();
    process.stdout.write(
      `\nmachine: ${report.machine.cpus} CPUs, Node ${process.version}, load average ${loadavgBefore.map((l) => l.toFixed(2)).join(' ')} before, ${report.machine.loadavgAfter.map((l) => l.toFixed(2)).join(' ')} after\n`,
    );
    if (opts.json) {
      writeFileSync(opts.json, `${JSON.stringify(report.levels.length === 1 && !opts.account && !opts.ceiling ? report.levels[0]?.summary : report, null, 2)}\n`);
      log(`wrote ${opts.json}`);
    }
    return exitCode;
  } finally {
    if (stack) {
      log('stopping the local stack');
      await stack.stop();
    }
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    setTimeout(() => process.exit(code), 200).unref();
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}\n`);
    process.exit(1);
  },
);
