// @ts-check
// Loaded into the `npm start` process by the load driver (NODE_OPTIONS=--import=<this file>,
// ORDERFLOW_LOAD_PROBE_FILE=<path>) to see what the stack does per request without touching
// its code: every outgoing HTTP call (DynamoDB Local by X-Amz-Target, the payment sandboxes,
// the local Secrets Manager) through Node's `diagnostics_channel`, and CPU profiles through
// the inspector. Plain JavaScript: it loads before tsx does. It answers on a small HTTP
// server of its own whose port it writes to ORDERFLOW_LOAD_PROBE_FILE.
import { subscribe } from 'node:diagnostics_channel';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { ClientRequest, createServer } from 'node:http';
import { Session } from 'node:inspector';
import { performance } from 'node:perf_hooks';

const PROBE_FILE = process.env['ORDERFLOW_LOAD_PROBE_FILE'];
// NODE_OPTIONS reaches every Node process below the driver (npm, the CDK synth): only the
// stack's own process is probed.
const isStackProcess = /apps[\\/]local[\\/]src[\\/]main\.ts$/.test(process.argv[1] ?? '');

/**
 * @typedef {{ count: number, totalMs: number, errors: number }} CallStats
 * @typedef {{ kind: string, target: string, startMs: number, endMs: number, status: number, method: string, path: string, headers: Record<string, string>, body: string }} CapturedCall
 * @typedef {{ target: string, kind: string, startMs: number, method: string, path: string, headers: Record<string, string>, chunks: Buffer[] | undefined }} PendingCall
 */

if (PROBE_FILE && isStackProcess) startProbe(PROBE_FILE);

/** @param {string} probeFile */
function startProbe(probeFile) {
  /** @type {Map<string, CallStats>} */
  const stats = new Map();
  /** @type {WeakMap<object, PendingCall>} */
  const pending = new WeakMap();
  /** @type {CapturedCall[] | undefined} */
  let capture;
  // 'http.client.request.start' is published when the request is flushed, after the SDK wrote
  // its body: while capturing, keep a copy of what requests write.
  /** @type {WeakMap<object, Buffer[]>} */
  const bodies = new WeakMap();
  const proto = ClientRequest.prototype;
  const write = proto.write;
  const end = proto.end;
  /** @param {ClientRequest} request @param {unknown} chunk */
  const keep = (request, chunk) => {
    if (!capture || (typeof chunk !== 'string' && !(chunk instanceof Uint8Array))) return;
    let chunks = bodies.get(request);
    if (!chunks) bodies.set(request, (chunks = []));
    chunks.push(Buffer.from(/** @type {string} */ (chunk)));
  };
  // `this` is the request: plain functions, not arrows.
  proto.write = /** @type {typeof proto.write} */ (
    /** @this {ClientRequest} @param {any[]} args */
    function (...args) {
      keep(this, args[0]);
      return Reflect.apply(write, this, args);
    }
  );
  proto.end = /** @type {typeof proto.end} */ (
    /** @this {ClientRequest} @param {any[]} args */
    function (...args) {
      keep(this, args[0]);
      return Reflect.apply(end, this, args);
    }
  );
  let inboundCount = 0;
  let inboundMs = 0;
  /** @type {WeakMap<object, number>} */
  const inboundStarts = new WeakMap();

  const control = createServer((req, res) => {
    void handleControl(req, res);
  });

  /** @param {string} key @param {number} ms @param {boolean} failed */
  const record = (key, ms, failed) => {
    let entry = stats.get(key);
    if (!entry) stats.set(key, (entry = { count: 0, totalMs: 0, errors: 0 }));
    entry.count += 1;
    entry.totalMs += ms;
    if (failed) entry.errors += 1;
  };

  subscribe('http.client.request.start', (message) => {
    const request = /** @type {{ request: import('node:http').ClientRequest }} */ (message).request;
    const amzTarget = request.getHeader('x-amz-target');
    const host = String(request.getHeader('host') ?? request.host);
    // DynamoDB_20120810.PutItem → dynamodb:PutItem; secretsmanager.GetSecretValue → secretsmanager:GetSecretValue
    const target =
      typeof amzTarget === 'string'
        ? amzTarget.startsWith('DynamoDB_')
          ? `dynamodb:${amzTarget.split('.')[1]}`
          : amzTarget.replace('.', ':')
        : `http:${host}`;
    const kind = target.split(':')[0] ?? 'http';
    /** @type {PendingCall} */
    const call = {
      target,
      kind,
      startMs: performance.now(),
      method: request.method,
      path: request.path,
      headers: capture ? stringHeaders(request.getHeaders()) : {},
      chunks: capture ? (bodies.get(request) ?? []) : undefined,
    };
    pending.set(request, call);
    request.once('error', () => {
      if (!pending.has(request)) return;
      pending.delete(request);
      record(target, performance.now() - call.startMs, true);
    });
  });

  subscribe('http.client.response.finish', (message) => {
    const { request, response } = /** @type {{ request: import('node:http').ClientRequest, response: import('node:http').IncomingMessage }} */ (
      message
    );
    const call = pending.get(request);
    if (!call) return;
    pending.delete(request);
    const status = response.statusCode ?? 0;
    const finish = () => {
      const endMs = performance.now();
      record(call.target, endMs - call.startMs, status >= 400);
      if (capture && call.chunks) {
        capture.push({
          kind: call.kind,
          target: call.target,
          startMs: call.startMs,
          endMs,
          status,
          method: call.method,
          path: call.path,
          headers: call.headers,
          body: Buffer.concat(call.chunks).toString('utf8'),
        });
      }
    };
    // 'finish' fires when the headers arrive: the call ends when its body has been read.
    if (response.complete) finish();
    else response.once('end', finish);
  });

  subscribe('http.server.request.start', (message) => {
    const { server, request } = /** @type {{ server: unknown, request: object }} */ (message);
    if (server !== control) inboundStarts.set(request, performance.now());
  });
  subscribe('http.server.response.finish', (message) => {
    const { request } = /** @type {{ request: object }} */ (message);
    const started = inboundStarts.get(request);
    if (started === undefined) return;
    inboundStarts.delete(request);
    inboundCount += 1;
    inboundMs += performance.now() - started;
  });

  /** @type {Session | undefined} */
  let profiler;

  /**
   * @param {import('node:http').IncomingMessage} req
   * @param {import('node:http').ServerResponse} res
   */
  async function handleControl(req, res) {
    const send = (/** @type {number} */ status, /** @type {unknown} */ body) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    try {
      const route = `${req.method} ${req.url}`;
      if (route === 'GET /counters') {
        const usage = process.cpuUsage();
        return send(200, {
          calls: Object.fromEntries(stats),
          inbound: { count: inboundCount, totalMs: inboundMs },
          cpu: { stackMs: (usage.user + usage.system) / 1000, childrenMs: childrenCpuMs() },
          nowMs: performance.now(),
        });
      }
      if (route === 'POST /capture/start') {
        capture = [];
        return send(200, { capturing: true, nowMs: performance.now() });
      }
      if (route === 'POST /capture/stop') {
        const calls = capture ?? [];
        capture = undefined;
        // timeOrigin turns the probe's clock into epoch milliseconds (history timestamps).
        return send(200, { calls, nowMs: performance.now(), timeOrigin: performance.timeOrigin });
      }
      if (route === 'POST /profile/start') {
        if (profiler) return send(409, { error: 'a profile is running' });
        profiler = new Session();
        profiler.connect();
        await post(profiler, 'Profiler.enable');
        await post(profiler, 'Profiler.setSamplingInterval', { interval: 500 });
        await post(profiler, 'Profiler.start');
        return send(200, { profiling: true });
      }
      if (route === 'POST /profile/stop') {
        if (!profiler) return send(409, { error: 'no profile is running' });
        const session = profiler;
        profiler = undefined;
        const { profile } = /** @type {{ profile: unknown }} */ (await post(session, 'Profiler.stop'));
        session.disconnect();
        return send(200, profile);
      }
      return send(404, { error: `no route ${route}` });
    } catch (error) {
      return send(500, { error: error instanceof Error ? error.message : String(error) });
    }
  }

  control.listen(0, '127.0.0.1', () => {
    const address = control.address();
    if (address && typeof address === 'object') writeFileSync(probeFile, JSON.stringify({ port: address.port, pid: process.pid }));
  });
  // The probe must never keep the stack alive after it stops.
  control.unref();
}

/**
 * @param {Session} session
 * @param {string} method
 * @param {object} [params]
 * @returns {Promise<unknown>}
 */
function post(session, method, params) {
  return new Promise((resolve, reject) => {
    session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

/**
 * CPU time of this process's child processes by command (DynamoDB Local's `java`), from
 * /proc (Linux; empty elsewhere), in ms.
 * @returns {Record<string, number>}
 */
function childrenCpuMs() {
  /** @type {Record<string, number>} */
  const byCommand = {};
  let entries;
  try {
    entries = readdirSync('/proc');
  } catch {
    return byCommand;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid ... utime(14) stime(15): fields after the command's closing parenthesis
      const close = stat.lastIndexOf(')');
      const command = stat.slice(stat.indexOf('(') + 1, close);
      const fields = stat.slice(close + 2).split(' ');
      if (Number(fields[1]) !== process.pid) continue;
      const ticks = Number(fields[11]) + Number(fields[12]);
      // USER_HZ is 100 on Linux
      byCommand[command] = (byCommand[command] ?? 0) + ticks * 10;
    } catch {
      // the process ended meanwhile
    }
  }
  return byCommand;
}

/** @param {import('node:http').OutgoingHttpHeaders} headers */
function stringHeaders(headers) {
  /** @type {Record<string, string>} */
  const out = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : String(value);
  return out;
}
