import { CheckoutRequestSchema } from '@orderflow/contracts';
import { beforeEach, describe, expect, it } from 'vitest';
import { SCENARIOS } from './scenarios';
import type { RunSummary } from './summary';
import { type FakeResponse, k6 } from './test/k6/state';

// The k6 scripts, run against a stand-in of k6's modules (aliased in vitest.config.ts).
const g = globalThis as unknown as { __ENV: Record<string, string>; open: (path: string) => string };

/** The credentials file the scripts read (k6's open(), in the init context), as `npm run load-users` writes it. */
const CREDENTIALS = [
  { customerId: 'a7f3c1d2-0b1e-4c55-9a0e-5d2c6e7f8a90', token: `eyJ${'a'.repeat(40)}.one` },
  { customerId: 'b1c2d3e4-0b1e-4c55-9a0e-5d2c6e7f8a91', token: `eyJ${'b'.repeat(40)}.two` },
];

beforeEach(() => {
  k6.reset();
  g.__ENV = { BASE_URL: 'https://api.example.com/prod/', SUMMARY_JSON: 'out.json', TOKENS_FILE: 'tokens.json' };
  g.open = (path) => {
    if (path !== 'tokens.json') throw new Error(`no file ${path}`);
    return JSON.stringify(CREDENTIALS);
  };
});

/** handleSummary data as k6 builds it from the scripts' metrics. */
function summaryData(): unknown {
  const values = (name: string) => k6.metrics.get(name)?.values ?? [];
  const durations = [...values('orderflow_req_duration')].sort((a, b) => a - b);
  const failed = values('orderflow_req_failed');
  return {
    state: { testRunDurationMs: 10_000 },
    metrics: {
      orderflow_reqs: { values: { count: values('orderflow_reqs').length } },
      orderflow_req_failed: { values: { rate: failed.filter(Boolean).length / failed.length, passes: failed.filter(Boolean).length } },
      orderflow_req_duration: {
        values: { avg: durations.reduce((a, b) => a + b, 0) / durations.length, min: durations[0], med: durations[1], 'p(90)': durations.at(-1), 'p(95)': durations.at(-1), max: durations.at(-1) },
      },
    },
  };
}

describe('k6/checkout.js', () => {
  it('ramps by the scenario stages with its thresholds, posts unique checkouts and summarizes like the driver', async () => {
    const script = await import('../k6/checkout.js');
    expect(script.options.stages).toEqual(SCENARIOS.checkout.stages);
    expect(script.options.thresholds).toEqual({ orderflow_req_failed: ['rate<0.01'], orderflow_req_duration: ['p(95)<2000'] });

    k6.respond = (method, url) => ({ status: method === 'GET' && url.endsWith('/products/load-001') ? 200 : 201, body: '{}', headers: {}, timings: { duration: 40 } });
    const data = script.setup();
    expect(k6.aborted).toBeUndefined();
    for (let i = 0; i < 3; i++) {
      k6.iterationInTest = i;
      script.default(data);
    }
    const posts = k6.requests.filter((r) => r.method === 'POST');
    expect(posts.map((p) => p.url)).toEqual(Array(3).fill('https://api.example.com/prod/orders'));
    const keys = posts.map((p) => (p.params?.['headers'] as Record<string, string>)['Idempotency-Key']);
    expect(new Set(keys).size).toBe(3);
    for (const post of posts) expect(CheckoutRequestSchema.safeParse(JSON.parse(post.body ?? '')).success).toBe(true);
    // Each as a customer of the credentials file: its token, and the token's customer in the body.
    for (const post of posts) {
      const authorization = (post.params?.['headers'] as Record<string, string>)['Authorization'];
      const credential = CREDENTIALS.find((c) => authorization === `Bearer ${c.token}`);
      expect(credential).toBeDefined();
      expect(JSON.parse(post.body ?? '').customerId).toBe(credential?.customerId);
    }
    expect(k6.metrics.get('orderflow_req_failed')?.values).toEqual([0, 0, 0]);

    const outputs = script.handleSummary(summaryData()) as Record<string, string>;
    expect(outputs['stdout']).toContain('checkout against https://api.example.com/prod (k6, stages 5s→50, 30s→200, 10s→200, 5s→0, 10.0 s)');
    expect(outputs['stdout']).toContain('requests   3 total, 0.3/s');
    expect(outputs['stdout']).toContain('failures   0 (0.00%)');
    const json = JSON.parse(outputs['out.json'] ?? '{}') as RunSummary;
    expect(json).toMatchObject({ scenario: 'checkout', tool: 'k6', requests: { total: 3, failed: 0 }, latencyMs: { avg: 40, p95: 40 } });
  });

  it('aborts when the load products are not seeded, and counts a non-201 as failed', async () => {
    const script = await import('../k6/checkout.js');
    k6.respond = () => ({ status: 404, body: '{}', headers: {}, timings: { duration: 5 } });
    script.setup();
    expect(k6.aborted).toMatch(/npm run seed -- --load/);
    script.default({ runId: 'r' });
    expect(k6.metrics.get('orderflow_req_failed')?.values).toEqual([1]);
  });
});

describe('k6/reads.js', () => {
  it('places orders in setup, then reads products and those orders in turn', async () => {
    const script = await import('../k6/reads.js');
    expect(script.options.stages).toEqual(SCENARIOS.reads.stages);
    let placed = 0;
    k6.respond = (method): FakeResponse =>
      method === 'POST'
        ? { status: 201, body: JSON.stringify({ orderId: `ord_00000000000${placed++}` }), headers: { Location: '/orders/x' }, timings: { duration: 30 } }
        : { status: 200, body: '{}', headers: {}, timings: { duration: 4 } };
    const data = script.setup();
    expect(data.orderIds).toHaveLength(20);
    k6.requests.length = 0;
    for (let i = 0; i < 4; i++) {
      k6.iterationInTest = i;
      script.default(data);
    }
    expect(k6.requests.map((r) => r.url)).toEqual([
      'https://api.example.com/prod/products?limit=20',
      'https://api.example.com/prod/orders/ord_000000000000',
      'https://api.example.com/prod/products?limit=20',
      'https://api.example.com/prod/orders/ord_000000000001',
    ]);
    // setup's checkouts are not the scenario's requests
    expect(k6.metrics.get('orderflow_reqs')?.values).toHaveLength(4);
  });
});
