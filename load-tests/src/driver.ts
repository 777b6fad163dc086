import autocannon from 'autocannon';
import { type ConnectionGroup, connectionsAt, rampPlan } from './ramp-plan';
import type { Scenario, ScenarioRequest, Stage } from './scenarios';
import { stagesDuration } from './scenarios';
import { checkThresholds, type LoadShape, type RunSummary, summarizeLatencies } from './summary';

export type LoadSpec = { kind: 'constant'; connections: number; durationSeconds: number } | { kind: 'stages'; stages: Stage[] };

export interface DriverProgress {
  elapsedSeconds: number;
  totalSeconds: number;
  connections: number;
  requests: number;
  failed: number;
  /** Requests answered in the last second. */
  lastSecondRequests: number;
  /** p95 of the last second's answers (ms), NaN without answers. */
  lastSecondP95: number;
}

export interface RunLoadOptions {
  scenario: Scenario;
  baseUrl: string;
  load: LoadSpec;
  /** The request numbered `n` (0, 1, 2, ... across every connection of the run). */
  request: (n: number) => ScenarioRequest;
  /** Called about once a second. */
  onProgress?: (progress: DriverProgress) => void;
  /** Request timeout, seconds (default 30: API Gateway gives up at 29). */
  timeoutSeconds?: number;
  /** Stop early (e.g. Ctrl-C): the summary covers what ran. */
  signal?: AbortSignal;
  /**
   * When a group of connections ends, its requests in flight may finish for up to this long
   * (k6's gracefulStop / gracefulRampDown, 30 s by default); no new ones start.
   */
  gracefulStopSeconds?: number;
}

/** What a run measured, besides its summary: the raw latencies and failure causes. */
export interface RunResult {
  summary: RunSummary;
  latenciesMs: Float64Array;
  /** Connection errors and timeouts by message. */
  errors: Record<string, number>;
  /** The first answers (up to 3) of each status the scenario did not expect. */
  failureSamples: { status: number; body: string }[];
}

/** Our view of an autocannon run: it emits the client first on 'response' (the typings omit it). */
type AutocannonRun = autocannon.Instance & PromiseLike<autocannon.Result> & { stop(): void };
/** What the driver uses of autocannon's connection (lib/httpClient.js): a client sends no new request once reqsMade reaches responseMax. */
interface AutocannonClient {
  reqsMade: number;
  responseMax: number | undefined;
}

/**
 * Runs a scenario with autocannon: constant connections for a duration, or k6-like stages
 * (ramping virtual users as overlapping groups of constant connections, see rampPlan). Every
 * request is built by `request(n)` with a fresh n, so Idempotency-Keys never repeat. Counts
 * like k6: every answer's latency, failures = answers with another status than expected,
 * plus connection errors and timeouts.
 */
export async function runLoad(options: RunLoadOptions): Promise<RunResult> {
  const plan: ConnectionGroup[] =
    options.load.kind === 'constant'
      ? [{ startSeconds: 0, endSeconds: options.load.durationSeconds, connections: options.load.connections }]
      : rampPlan(options.load.stages);
  const totalSeconds = options.load.kind === 'constant' ? options.load.durationSeconds : stagesDuration(options.load.stages);
  const base = new URL(options.baseUrl);
  const basePath = base.pathname.replace(/\/+$/, '');
  const origin = `${base.protocol}//${base.host}`;

  let n = 0;
  let latencies = new Float64Array(1 << 14);
  let count = 0;
  let failed = 0;
  const statuses: Record<string, number> = {};
  const errors: Record<string, number> = {};
  let second: number[] = [];
  let requestsAtLastTick = 0;

  const expected = new Set<number>();
  // The first answers of each unexpected status, to say what failed.
  const failureSamples: { status: number; body: string }[] = [];
  const sampleFailure = (status: number, body: string) => {
    if (expected.has(status)) return;
    if (failureSamples.filter((f) => f.status === status).length >= 3) return;
    failureSamples.push({ status, body: body.slice(0, 500) });
  };
  const setupRequest = (req: autocannon.Request): autocannon.Request => {
    const next = options.request(n++);
    expected.add(next.expectedStatus);
    return {
      ...req,
      method: next.method,
      path: `${basePath}${next.path}`,
      // autocannon adds Content-Length itself (a second one makes the request invalid).
      headers: { ...next.headers },
      ...(next.body !== undefined ? { body: next.body } : {}),
    };
  };
  const record = (ms: number) => {
    if (count === latencies.length) {
      const grown = new Float64Array(latencies.length * 2);
      grown.set(latencies);
      latencies = grown;
    }
    latencies[count++] = ms;
    second.push(ms);
  };

  const started = performance.now();
  const running = new Set<AutocannonRun>();
  let stopped = false;
  const timers: NodeJS.Timeout[] = [];
  const runs: Promise<unknown>[] = [];

  const grace = options.gracefulStopSeconds ?? 30;
  const startGroup = (group: ConnectionGroup) => {
    if (stopped) return;
    const clients: AutocannonClient[] = [];
    const length = group.endSeconds - group.startSeconds;
    const instance = autocannon({
      url: origin,
      connections: group.connections,
      // autocannon's own stop drops the requests in flight: it is only the hard limit here;
      // the group ends gracefully below.
      duration: length + grace,
      setupClient: (client) => clients.push(client as unknown as AutocannonClient),
      timeout: options.timeoutSeconds ?? 30,
      // autocannon checks its stop flag once per sample: every 100 ms, not every second.
      sampleInt: 100,
      requests: [{ setupRequest, onResponse: sampleFailure }],
    }) as unknown as AutocannonRun;
    running.add(instance);
    // The group's time is up: each connection finishes its request in flight, then closes.
    timers.push(
      setTimeout(() => {
        for (const client of clients) client.responseMax = Math.max(1, client.reqsMade);
      }, length * 1000),
    );
    instance.on('response', ((_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
      record(responseTime);
      statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
      if (!expected.has(statusCode)) failed++;
    }) as never);
    instance.on('reqError', (error: Error) => {
      const key = error.message || error.name;
      errors[key] = (errors[key] ?? 0) + 1;
      failed++;
    });
    runs.push(
      Promise.resolve(instance).then(
        () => running.delete(instance),
        (error: unknown) => {
          running.delete(instance);
          const key = error instanceof Error ? error.message : String(error);
          errors[key] = (errors[key] ?? 0) + 1;
        },
      ),
    );
  };

  for (const group of plan) {
    if (group.startSeconds === 0) startGroup(group);
    else timers.push(setTimeout(() => startGroup(group), group.startSeconds * 1000));
  }
  const stop = () => {
    stopped = true;
    for (const timer of timers) clearTimeout(timer);
    for (const instance of running) instance.stop();
  };
  options.signal?.addEventListener('abort', stop, { once: true });

  const ticker = setInterval(() => {
    const elapsed = (performance.now() - started) / 1000;
    const errorCount = Object.values(errors).reduce((a, b) => a + b, 0);
    const total = count + errorCount;
    const window = Float64Array.from(second).sort();
    second = [];
    options.onProgress?.({
      elapsedSeconds: elapsed,
      totalSeconds,
      connections: connectionsAt(plan, elapsed),
      requests: total,
      failed,
      lastSecondRequests: total - requestsAtLastTick,
      lastSecondP95: window.length ? (window[Math.min(window.length - 1, Math.floor(0.95 * (window.length - 1) + 0.5))] as number) : Number.NaN,
    });
    requestsAtLastTick = total;
  }, 1000);

  // Groups start on timers: wait for the last one to have started, then for every run.
  await new Promise<void>((resolve) => {
    const last = Math.max(0, ...plan.map((g) => g.startSeconds));
    const check = () => {
      if (stopped || (performance.now() - started) / 1000 >= last) resolve();
      else setTimeout(check, 100);
    };
    check();
  });
  let settledCount = 0;
  while (settledCount < runs.length) {
    const batch = runs.slice(settledCount);
    await Promise.all(batch);
    settledCount += batch.length;
  }
  clearInterval(ticker);
  options.signal?.removeEventListener('abort', stop);

  const durationSeconds = (performance.now() - started) / 1000;
  const errorCount = Object.values(errors).reduce((a, b) => a + b, 0);
  const total = count + errorCount;
  const latencyMs = summarizeLatencies(latencies.subarray(0, count));
  const failureRate = total > 0 ? failed / total : 0;
  const load: LoadShape =
    options.load.kind === 'constant'
      ? { kind: 'constant', connections: options.load.connections, durationSeconds: options.load.durationSeconds }
      : { kind: 'stages', stages: options.load.stages };
  if (errorCount > 0) statuses['error'] = errorCount;
  const summary: RunSummary = {
    scenario: options.scenario.name,
    tool: 'autocannon',
    baseUrl: options.baseUrl,
    load,
    durationSeconds,
    requests: { total, failed, failureRate, perSecond: durationSeconds > 0 ? total / durationSeconds : 0 },
    latencyMs,
    statuses,
    thresholds: checkThresholds(options.scenario.thresholds, { failureRate, p95: latencyMs.p95 }),
  };
  return { summary, latenciesMs: latencies.slice(0, count), errors, failureSamples };
}
