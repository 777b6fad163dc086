// @ts-check
// The end-of-run summary, shared by k6's handleSummary and the Node driver so both print and
// write the same thing. Plain ES JavaScript for k6's runtime (see scenarios.js).

/**
 * @typedef {{ avg: number, min: number, med: number, p90: number, p95: number, max: number }} LatencySummary
 * @typedef {{ name: string, ok: boolean, actual: number, limit: number }} ThresholdResult
 * @typedef {{ kind: 'stages', stages: import('./scenarios.js').Stage[] } | { kind: 'constant', connections: number, durationSeconds: number }} LoadShape
 * @typedef {{
 *   scenario: string,
 *   tool: 'k6' | 'autocannon',
 *   baseUrl: string,
 *   load: LoadShape,
 *   durationSeconds: number,
 *   requests: { total: number, failed: number, failureRate: number, perSecond: number },
 *   latencyMs: LatencySummary,
 *   statuses?: Record<string, number>,
 *   thresholds: ThresholdResult[],
 * }} RunSummary
 */

/**
 * Percentile `p` (0-100) of ascending `sorted` values, interpolated between the closest
 * ranks, as k6 computes its trend percentiles. NaN for no values.
 */
export function percentile(/** @type {ArrayLike<number>} */ sorted, /** @type {number} */ p) {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  if (p <= 0) return /** @type {number} */ (sorted[0]);
  if (p >= 100) return /** @type {number} */ (sorted[n - 1]);
  const rank = (p / 100) * (n - 1);
  const lower = Math.floor(rank);
  const fraction = rank - lower;
  const low = /** @type {number} */ (sorted[lower]);
  const high = /** @type {number} */ (sorted[Math.min(lower + 1, n - 1)]);
  return low + (high - low) * fraction;
}

/** avg / min / med / p90 / p95 / max of latencies (any order; not modified). */
export function summarizeLatencies(/** @type {ArrayLike<number>} */ values) {
  const sorted = Float64Array.from(values).sort();
  let sum = 0;
  for (const value of sorted) sum += value;
  /** @type {LatencySummary} */
  const summary = {
    avg: sorted.length ? sum / sorted.length : Number.NaN,
    min: percentile(sorted, 0),
    med: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p95: percentile(sorted, 95),
    max: percentile(sorted, 100),
  };
  return summary;
}

/** The scenario's thresholds against a run: failure rate and p95. */
export function checkThresholds(
  /** @type {import('./scenarios.js').Thresholds} */ thresholds,
  /** @type {{ failureRate: number, p95: number }} */ actual,
) {
  /** @type {ThresholdResult[]} */
  const results = [
    { name: `failure rate < ${thresholds.failureRate * 100}%`, ok: actual.failureRate < thresholds.failureRate, actual: actual.failureRate, limit: thresholds.failureRate },
    { name: `p95 < ${thresholds.p95Ms} ms`, ok: actual.p95 < thresholds.p95Ms, actual: actual.p95, limit: thresholds.p95Ms },
  ];
  return results;
}

/**
 * A RunSummary from k6's handleSummary data: the scenario's own metrics (orderflow_reqs,
 * orderflow_req_failed, orderflow_req_duration), so setup requests do not count.
 * @param {any} data k6's summary data (its shape: https://grafana.com/docs/k6/latest/results-output/end-of-test/custom-summary/)
 * @param {import('./scenarios.js').Scenario} scenario
 * @param {string} baseUrl
 * @returns {RunSummary}
 */
export function summaryFromK6(data, scenario, baseUrl) {
  const metrics = data.metrics || {};
  const duration = (metrics.orderflow_req_duration && metrics.orderflow_req_duration.values) || {};
  const failed = (metrics.orderflow_req_failed && metrics.orderflow_req_failed.values) || {};
  const total = (metrics.orderflow_reqs && metrics.orderflow_reqs.values && metrics.orderflow_reqs.values.count) || 0;
  const durationSeconds = ((data.state && data.state.testRunDurationMs) || 0) / 1000;
  /** @type {LatencySummary} */
  const latencyMs = {
    avg: num(duration.avg),
    min: num(duration.min),
    med: num(duration.med),
    p90: num(duration['p(90)']),
    p95: num(duration['p(95)']),
    max: num(duration.max),
  };
  const failureRate = num(failed.rate, 0);
  return {
    scenario: scenario.name,
    tool: 'k6',
    baseUrl,
    load: { kind: 'stages', stages: scenario.stages },
    durationSeconds,
    requests: { total, failed: num(failed.passes, 0), failureRate, perSecond: durationSeconds > 0 ? total / durationSeconds : 0 },
    latencyMs,
    thresholds: checkThresholds(scenario.thresholds, { failureRate, p95: latencyMs.p95 }),
  };
}

/** @param {unknown} value @param {number} [fallback] */
function num(value, fallback = Number.NaN) {
  return typeof value === 'number' ? value : fallback;
}

const ms = (/** @type {number} */ value) => (Number.isFinite(value) ? `${value.toFixed(1)} ms` : '-');

/** The text both tools print at the end of a run. */
export function formatSummary(/** @type {RunSummary} */ summary) {
  const { requests, latencyMs: l } = summary;
  const load =
    summary.load.kind === 'constant'
      ? `${summary.load.connections} concurrent client${summary.load.connections === 1 ? '' : 's'}`
      : `stages ${summary.load.stages.map((s) => `${s.duration}→${s.target}`).join(', ')}`;
  const lines = [
    `${summary.scenario} against ${summary.baseUrl} (${summary.tool}, ${load}, ${summary.durationSeconds.toFixed(1)} s)`,
    `  requests   ${requests.total} total, ${requests.perSecond.toFixed(1)}/s`,
    `  failures   ${requests.failed} (${(requests.failureRate * 100).toFixed(2)}%)`,
    `  latency    avg ${ms(l.avg)} · med ${ms(l.med)} · p90 ${ms(l.p90)} · p95 ${ms(l.p95)} · max ${ms(l.max)}`,
  ];
  if (summary.statuses && Object.keys(summary.statuses).length > 0) {
    lines.push(
      `  statuses   ${Object.entries(summary.statuses)
        .map(([status, count]) => `${status}: ${count}`)
        .join(' · ')}`,
    );
  }
  lines.push(`  thresholds ${summary.thresholds.map((t) => `${t.name} ${t.ok ? 'ok' : 'FAILED'}`).join(' · ')}`);
  return `${lines.join('\n')}\n`;
}
