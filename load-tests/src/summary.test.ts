import { describe, expect, it } from 'vitest';
import { SCENARIOS } from './scenarios';
import { checkThresholds, formatSummary, percentile, type RunSummary, summarizeLatencies, summaryFromK6 } from './summary';

describe('percentile', () => {
  it('interpolates between the closest ranks, as k6 does', () => {
    const sorted = [10, 20, 30, 40, 50];
    expect(percentile(sorted, 50)).toBe(30);
    expect(percentile(sorted, 90)).toBe(46); // rank 3.6: 40 + 0.6 × 10
    expect(percentile(sorted, 95)).toBeCloseTo(48);
    expect(percentile(sorted, 0)).toBe(10);
    expect(percentile(sorted, 100)).toBe(50);
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });

  it('of 1..100 (k6: p(90) of 1..100 is 90.1)', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 90)).toBeCloseTo(90.1);
    expect(percentile(values, 95)).toBeCloseTo(95.05);
    expect(percentile(values, 50)).toBeCloseTo(50.5);
  });
});

describe('summarizeLatencies', () => {
  it('gives avg, min, med, p90, p95, max of unsorted values without changing them', () => {
    const values = [50, 10, 40, 20, 30];
    expect(summarizeLatencies(values)).toEqual({ avg: 30, min: 10, med: 30, p90: 46, p95: 48, max: 50 });
    expect(values).toEqual([50, 10, 40, 20, 30]);
    expect(summarizeLatencies(Float64Array.from([3, 1, 2])).med).toBe(2);
  });

  it('is NaN without values', () => {
    expect(Number.isNaN(summarizeLatencies([]).avg)).toBe(true);
  });
});

describe('thresholds', () => {
  it('fail at a failure rate or p95 at or over the limit', () => {
    const limits = { failureRate: 0.01, p95Ms: 100 };
    expect(checkThresholds(limits, { failureRate: 0, p95: 99 }).every((t) => t.ok)).toBe(true);
    expect(checkThresholds(limits, { failureRate: 0.01, p95: 99 }).map((t) => t.ok)).toEqual([false, true]);
    expect(checkThresholds(limits, { failureRate: 0, p95: 100 }).map((t) => t.ok)).toEqual([true, false]);
    // no answers at all: no p95, not a pass
    expect(checkThresholds(limits, { failureRate: 0, p95: Number.NaN })[1]?.ok).toBe(false);
  });
});

describe('summaryFromK6', () => {
  it("reads the scenario's own metrics of k6's summary data", () => {
    const data = {
      state: { testRunDurationMs: 50_000 },
      metrics: {
        orderflow_reqs: { type: 'counter', values: { count: 1000, rate: 20 } },
        orderflow_req_failed: { type: 'rate', values: { rate: 0.002, passes: 2, fails: 998 } },
        orderflow_req_duration: { type: 'trend', values: { avg: 40, min: 5, med: 35, 'p(90)': 70, 'p(95)': 90, max: 400 } },
        http_reqs: { type: 'counter', values: { count: 1010, rate: 20.2 } },
      },
    };
    const summary = summaryFromK6(data, SCENARIOS.checkout, 'https://api.example.com/prod');
    expect(summary).toMatchObject({
      scenario: 'checkout',
      tool: 'k6',
      baseUrl: 'https://api.example.com/prod',
      durationSeconds: 50,
      requests: { total: 1000, failed: 2, failureRate: 0.002, perSecond: 20 },
      latencyMs: { avg: 40, min: 5, med: 35, p90: 70, p95: 90, max: 400 },
    });
    expect(summary.thresholds.every((t) => t.ok)).toBe(true);
  });

  it('copes with a run that made no request', () => {
    const summary = summaryFromK6({ metrics: {} }, SCENARIOS.reads, 'http://localhost:3000');
    expect(summary.requests).toEqual({ total: 0, failed: 0, failureRate: 0, perSecond: 0 });
    expect(formatSummary(summary)).toContain('latency    avg - · med -');
  });
});

describe('formatSummary', () => {
  it('prints requests, failure rate and latency avg / med / p90 / p95 / max', () => {
    const summary: RunSummary = {
      scenario: 'checkout',
      tool: 'autocannon',
      baseUrl: 'http://localhost:3000',
      load: { kind: 'constant', connections: 10, durationSeconds: 20 },
      durationSeconds: 20.04,
      requests: { total: 400, failed: 4, failureRate: 0.01, perSecond: 19.96 },
      latencyMs: { avg: 50.25, min: 10, med: 45, p90: 80, p95: 95.5, max: 300 },
      statuses: { '201': 396, '409': 4 },
      thresholds: checkThresholds(SCENARIOS.checkout.thresholds, { failureRate: 0.01, p95: 95.5 }),
    };
    const text = formatSummary(summary);
    expect(text).toContain('checkout against http://localhost:3000 (autocannon, 10 concurrent clients, 20.0 s)');
    expect(text).toContain('requests   400 total, 20.0/s');
    expect(text).toContain('failures   4 (1.00%)');
    expect(text).toContain('latency    avg 50.3 ms · med 45.0 ms · p90 80.0 ms · p95 95.5 ms · max 300.0 ms');
    expect(text).toContain('statuses   201: 396 · 409: 4');
    expect(text).toContain('failure rate < 1% FAILED');
  });
});
