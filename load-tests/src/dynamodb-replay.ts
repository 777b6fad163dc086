import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import type { CapturedCall } from './probe-client';
import { type LatencySummary, summarizeLatencies } from './summary';

/**
 * The DynamoDB work of one request, as the stack made it: groups of calls run one after the
 * other, the calls of a group at the same time (a Map state's reservations).
 */
export interface DynamoTrace {
  label: string;
  groups: ReplayCall[][];
  /** Strings unique to the request (order id, Idempotency-Key, request id): new ones per replay. */
  uniques: string[];
}

export interface ReplayCall {
  target: string;
  headers: Record<string, string>;
  body: string;
}

const ORDER_ID = /ord_[0-9a-f]{32}/g;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/**
 * A trace from captured DynamoDB calls (others are ignored). Calls that overlap in time form
 * a group. `uniques` are strings to replace on every replay so conditional writes meet the
 * same conditions as the first time (a new order, a new key); order ids and request ids are
 * found by their formats.
 */
export function traceFromCalls(label: string, calls: readonly CapturedCall[], uniques: readonly string[] = []): DynamoTrace {
  const dynamo = calls.filter((c) => c.kind === 'dynamodb').sort((a, b) => a.startMs - b.startMs);
  const groups: ReplayCall[][] = [];
  let groupEnd = Number.NEGATIVE_INFINITY;
  for (const call of dynamo) {
    const replay: ReplayCall = { target: call.target, headers: replayHeaders(call.headers), body: call.body };
    const last = groups.at(-1);
    if (last && call.startMs < groupEnd) {
      last.push(replay);
      groupEnd = Math.max(groupEnd, call.endMs);
    } else {
      groups.push([replay]);
      groupEnd = call.endMs;
    }
  }
  const found = new Set(uniques.filter((u) => u.length >= 3));
  for (const call of dynamo) for (const re of [ORDER_ID, UUID]) for (const m of call.body.match(re) ?? []) found.add(m);
  return { label, groups, uniques: [...found].sort((a, b) => b.length - a.length) };
}

function replayHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (lower === 'content-length' || lower === 'host' || lower === 'connection' || lower.startsWith('amz-sdk-')) continue;
    out[lower] = value;
  }
  return out;
}

const ORDER_ID_ONLY = /^ord_[0-9a-f]{32}$/;
const UUID_ONLY = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Numbers replays across every replayTraces call of the process (round robin over traces). */
let replaySequence = 0;

/** A fresh random value of the same kind for a unique string (an order id stays `ord_<32 hex>`). */
export function freshValue(unique: string): string {
  if (ORDER_ID_ONLY.test(unique)) return `ord_${randomUUID().replaceAll('-', '')}`;
  if (UUID_ONLY.test(unique)) return randomUUID();
  return `replay-${randomUUID()}`;
}

/** The bodies of a trace with its unique strings replaced by fresh ones. */
export function substitute(trace: DynamoTrace): ReplayCall[][] {
  const replacements = trace.uniques.map((u) => [u, freshValue(u)] as const);
  return trace.groups.map((group) =>
    group.map((call) => {
      let body = call.body;
      for (const [from, to] of replacements) body = body.split(from).join(to);
      return { ...call, body };
    }),
  );
}

export interface ReplayResult {
  concurrency: number;
  durationSeconds: number;
  /** Replayed requests (each: the whole trace). */
  iterations: number;
  perSecond: number;
  calls: number;
  /** Calls DynamoDB Local refused (status ≥ 400), by error type. */
  errors: Record<string, number>;
  latencyMs: LatencySummary;
}

/**
 * Replays traces against DynamoDB Local with `concurrency` workers for `durationSeconds`:
 * each worker replays one trace after the other (round robin), the calls as the stack made
 * them (same operations, same bodies with fresh ids, same grouping), over keep-alive HTTP
 * with the stack's own signed headers (DynamoDB Local does not check signatures). No SDK, no
 * workflow: what is left is DynamoDB Local's own time.
 */
export async function replayTraces(options: {
  endpoint: string;
  traces: readonly DynamoTrace[];
  concurrency: number;
  durationSeconds: number;
  signal?: AbortSignal;
}): Promise<ReplayResult> {
  if (options.traces.length === 0) throw new Error('no traces to replay');
  const url = new URL(options.endpoint);
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency * 4 });
  const latencies: number[] = [];
  const errors: Record<string, number> = {};
  let calls = 0;
  const started = performance.now();
  const deadline = started + options.durationSeconds * 1000;

  const send = (call: ReplayCall) =>
    new Promise<void>((resolve, reject) => {
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          method: 'POST',
          path: '/',
          agent,
          headers: { ...call.headers, 'content-length': Buffer.byteLength(call.body) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            calls += 1;
            if ((res.statusCode ?? 0) >= 400) {
              let type = `HTTP ${res.statusCode}`;
              const op = call.target.split(':')[1] ?? call.target;
              try {
                type = String((JSON.parse(Buffer.concat(chunks).toString()) as { __type?: string }).__type ?? type).split('#').at(-1) ?? type;
              } catch {
                // keep the status
              }
              errors[`${op}: ${type}`] = (errors[`${op}: ${type}`] ?? 0) + 1;
            }
            resolve();
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(call.body);
    });

  const worker = async () => {
    while (performance.now() < deadline && !options.signal?.aborted) {
      const n = replaySequence++;
      const trace = options.traces[n % options.traces.length] as DynamoTrace;
      const groups = substitute(trace);
      const begin = performance.now();
      for (const group of groups) await Promise.all(group.map(send));
      latencies.push(performance.now() - begin);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  agent.destroy();
  const durationSeconds = (performance.now() - started) / 1000;
  return {
    concurrency: options.concurrency,
    durationSeconds,
    iterations: latencies.length,
    perSecond: latencies.length / durationSeconds,
    calls,
    errors,
    latencyMs: summarizeLatencies(latencies),
  };
}
