import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { type FaultAction, type FaultController, FaultSettingsSchema } from './faults';

export interface SandboxRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface SandboxResponse {
  status: number;
  headers?: Record<string, string>;
  /** A JSON body. */
  json?: unknown;
  /** A text body (HTML pages); `contentType` says which. */
  text?: string;
  contentType?: string;
  /** For the request log: the answer is a stored idempotent response. */
  replayed?: boolean;
}

/** One request as the sandbox saw it (never with its credentials). */
export interface RecordedRequest {
  seq: number;
  at: string;
  method: string;
  path: string;
  /** `Idempotency-Key` (Stripe) or `PayPal-Request-Id` (PayPal), when sent. */
  idempotencyKey: string | null;
  /** The status sent, or null when the request got no answer (hung, or the client left). */
  status: number | null;
  replayed: boolean;
  fault: FaultAction;
}

export interface SandboxServerOptions {
  name: string;
  host: string;
  port: number;
  faults: FaultController;
  /** Lower-case name of the header that carries the idempotency key. */
  idempotencyHeader: string;
  /** Faults and the request log apply to these paths (the provider's API). */
  isApiPath(path: string): boolean;
  handleApi(request: SandboxRequest): Promise<SandboxResponse> | SandboxResponse;
  /** Sandbox-specific control routes and pages; undefined when the route is unknown. */
  handleOther(request: SandboxRequest): Promise<SandboxResponse | undefined> | SandboxResponse | undefined;
  /** The provider's body for an injected error of this status. */
  faultResponse(status: number): SandboxResponse;
  /** Clears the provider's state (POST /_sandbox/reset). */
  reset(): void;
}

export interface SandboxServer {
  url: string;
  host: string;
  port: number;
  requests(): RecordedRequest[];
  clearRequests(): void;
  stop(): Promise<void>;
}

const MAX_BODY_BYTES = 1_000_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * An HTTP server on a free port (port 0) with the pieces both sandboxes share: body
 * reading, fault injection in front of the API, a request log, and the common control
 * routes under /_sandbox/ (faults, requests, reset).
 */
export async function startSandboxServer(options: SandboxServerOptions): Promise<SandboxServer> {
  const log: RecordedRequest[] = [];
  let seq = 0;

  const record = (entry: Omit<RecordedRequest, 'seq' | 'at'>): RecordedRequest => {
    const full = { seq: ++seq, at: new Date().toISOString(), ...entry };
    log.push(full);
    return full;
  };

  const handleControl = async (request: SandboxRequest): Promise<SandboxResponse | undefined> => {
    const { method, path } = request;
    if (path === '/_sandbox/faults') {
      if (method === 'GET') return { status: 200, json: options.faults.get() };
      if (method === 'DELETE') {
        options.faults.clear();
        return { status: 200, json: options.faults.get() };
      }
      if (method === 'POST' || method === 'PUT') {
        const parsed = FaultSettingsSchema.safeParse(parseJson(request.body));
        if (!parsed.success) {
          return { status: 400, json: { error: 'invalid fault settings', issues: z.treeifyError(parsed.error) } };
        }
        options.faults.set(parsed.data);
        return { status: 200, json: options.faults.get() };
      }
    }
    if (path === '/_sandbox/requests') {
      if (method === 'GET') return { status: 200, json: { data: log } };
      if (method === 'DELETE') {
        log.length = 0;
        return { status: 200, json: { data: [] } };
      }
    }
    if (path === '/_sandbox/reset' && method === 'POST') {
      options.reset();
      options.faults.clear();
      log.length = 0;
      return { status: 200, json: { reset: true } };
    }
    return options.handleOther(request);
  };

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      // A bug in the sandbox: answer like a provider's 500 and say why on stderr.
      console.error(`[${options.name} sandbox] ${req.method} ${req.url}:`, error);
      if (!res.headersSent) send(res, { status: 500, json: { error: 'sandbox failure' } });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    const method = (req.method ?? 'GET').toUpperCase();
    const body = await readBody(req);
    if (body === undefined) {
      send(res, { status: 413, json: { error: 'request body too large' } });
      return;
    }
    const request: SandboxRequest = { method, path: url.pathname, query: url.searchParams, headers: req.headers, body };

    if (!options.isApiPath(url.pathname)) {
      const answer = await handleControl(request);
      send(res, answer ?? { status: 404, contentType: 'text/plain', text: `no route ${method} ${url.pathname}\n` });
      return;
    }

    const headerValue = req.headers[options.idempotencyHeader];
    const idempotencyKey = typeof headerValue === 'string' ? headerValue : null;
    const decision = options.faults.decide(method, url.pathname);
    if (decision.latencyMs > 0) await sleep(decision.latencyMs);

    if (decision.action === 'hang') {
      // Never answer; the socket goes when the client gives up or the sandbox stops.
      record({ method, path: url.pathname, idempotencyKey, status: null, replayed: false, fault: 'hang' });
      return;
    }
    if (decision.action === 'error-before') {
      const answer = options.faultResponse(decision.status);
      record({ method, path: url.pathname, idempotencyKey, status: answer.status, replayed: false, fault: decision.action });
      send(res, answer);
      return;
    }
    const answer = await options.handleApi(request);
    const sent = decision.action === 'error-after' ? options.faultResponse(decision.status) : answer;
    record({
      method,
      path: url.pathname,
      idempotencyKey,
      status: res.destroyed ? null : sent.status,
      replayed: sent.replayed ?? false,
      fault: decision.action,
    });
    send(res, sent);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const hostForUrl = options.host.includes(':') ? `[${options.host}]` : options.host;

  return {
    url: `http://${hostForUrl}:${port}`,
    host: options.host,
    port,
    requests: () => log.map((entry) => ({ ...entry })),
    clearRequests: () => {
      log.length = 0;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Hanging requests and keep-alive sockets would hold close() forever.
        server.closeAllConnections();
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, answer: SandboxResponse): void {
  if (res.destroyed || res.writableEnded) return;
  const headers: Record<string, string> = { ...answer.headers };
  let payload = '';
  if (answer.json !== undefined) {
    payload = `${JSON.stringify(answer.json, null, 2)}\n`;
    headers['Content-Type'] = 'application/json';
  } else if (answer.text !== undefined) {
    payload = answer.text;
    headers['Content-Type'] = answer.contentType ?? 'text/plain; charset=utf-8';
  }
  if (payload !== '') headers['Content-Length'] = String(Buffer.byteLength(payload));
  res.writeHead(answer.status, headers);
  res.end(payload);
}

export function parseJson(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The value of a header that may come as a list. */
export function headerOf(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
