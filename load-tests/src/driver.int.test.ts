import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLoad } from './driver';
import { checkoutRequest, SCENARIOS } from './scenarios';

// A server that answers like the checkout: 201, except a 409 for every 10th Idempotency-Key,
// and records what it received.
let server: Server;
let baseUrl: string;
const keys: string[] = [];
const bodies: string[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const key = String(req.headers['idempotency-key']);
      keys.push(key);
      bodies.push(body);
      const n = Number(key.split('-').at(-1));
      res.writeHead(n % 10 === 9 ? 409 : 201, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/prefix`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('runLoad', () => {
  it('sends the scenario, each request with a fresh key, and counts answers and failures as k6 does', async () => {
    const progress: number[] = [];
    const result = await runLoad({
      scenario: SCENARIOS.checkout,
      baseUrl,
      load: { kind: 'constant', connections: 4, durationSeconds: 1.5 },
      request: (n) => checkoutRequest('t', n),
      onProgress: (p) => progress.push(p.requests),
    });
    const { summary } = result;
    expect(summary.requests.total).toBeGreaterThan(10);
    // requests in flight at the end finish and count (graceful stop)
    expect(summary.requests.total).toBe(keys.length);
    expect(new Set(keys).size).toBe(keys.length);
    expect(summary.statuses?.['201']).toBeGreaterThan(0);
    expect(summary.requests.failed).toBe(summary.statuses?.['409'] ?? 0);
    expect(summary.requests.failureRate).toBeCloseTo(summary.requests.failed / summary.requests.total);
    expect(summary.latencyMs.min).toBeLessThanOrEqual(summary.latencyMs.med);
    expect(summary.latencyMs.p95).toBeLessThanOrEqual(summary.latencyMs.max);
    expect(result.latenciesMs.length).toBe(summary.requests.total);
    expect(summary.thresholds.find((t) => t.name.startsWith('failure rate'))?.ok).toBe(false);
    expect(JSON.parse(bodies[0] ?? '{}')).toMatchObject({ customerId: expect.stringMatching(/^load-cust-/) });
    expect(progress.length).toBeGreaterThan(0);
    expect(result.failureSamples.length).toBeGreaterThan(0);
    expect(result.failureSamples.every((f) => f.status === 409)).toBe(true);
  });

  it('lets the requests in flight finish when the time is up (graceful stop)', async () => {
    let received = 0;
    const slow = createServer((req, res) => {
      received++;
      req.resume();
      setTimeout(() => res.writeHead(201).end('{}'), 700);
    });
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    try {
      const result = await runLoad({
        scenario: SCENARIOS.checkout,
        baseUrl: `http://127.0.0.1:${(slow.address() as AddressInfo).port}`,
        load: { kind: 'constant', connections: 3, durationSeconds: 1 },
        request: (n) => checkoutRequest('g', n),
      });
      // every request the server got was answered and counted, those still running at the 1 s mark too
      expect(result.summary.requests.total).toBe(received);
      expect(result.summary.requests.total).toBeGreaterThanOrEqual(3);
      expect(result.summary.requests.failed).toBe(0);
    } finally {
      await new Promise<void>((resolve) => slow.close(() => resolve()));
    }
  });

  it('ramps through stages and counts connection errors as failures', async () => {
    // a port nobody listens on: every connection is refused
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const result = await runLoad({
      scenario: SCENARIOS.checkout,
      baseUrl: `http://127.0.0.1:${port}`,
      load: { kind: 'stages', stages: [{ duration: '1s', target: 2 }, { duration: '1s', target: 0 }] },
      request: (n) => checkoutRequest('u', n),
      timeoutSeconds: 2,
    });
    expect(result.summary.requests.failed).toBeGreaterThan(0);
    expect(result.summary.requests.failureRate).toBe(1);
    expect(result.summary.statuses?.['error']).toBe(result.summary.requests.failed);
    expect(Object.keys(result.errors).join()).toMatch(/ECONNREFUSED/);
  });
});
