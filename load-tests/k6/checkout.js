// @ts-check
// k6 run load-tests/k6/checkout.js                      (BASE_URL defaults to http://localhost:3000)
// k6 run -e BASE_URL=https://<api-id>.execute-api.<region>.amazonaws.com/prod load-tests/k6/checkout.js
// k6 run -e SUMMARY_JSON=checkout-summary.json load-tests/k6/checkout.js
//
// Ramping virtual users (the stages of src/scenarios.js); each iteration is one checkout of
// the load products (`npm run seed -- --load`) with a unique Idempotency-Key. The same
// scenario runs without k6 through `npm run load -- --scenario checkout`.
import exec from 'k6/execution';
import http from 'k6/http';
import { Counter, Rate, Trend } from 'k6/metrics';
import { checkoutRequest, k6Thresholds, newRunId, SCENARIOS } from '../src/scenarios.js';
import { formatSummary, summaryFromK6 } from '../src/summary.js';

const scenario = SCENARIOS.checkout;
const BASE_URL = (__ENV['BASE_URL'] || 'http://localhost:3000').replace(/\/+$/, '');

// The scenario's own metrics: its requests only (k6's http_req_* would count setup too).
const requests = new Counter('orderflow_reqs');
const failed = new Rate('orderflow_req_failed');
const duration = new Trend('orderflow_req_duration', true);

/** @type {import('k6/options').Options} */
export const options = {
  stages: scenario.stages,
  thresholds: k6Thresholds(scenario),
  summaryTrendStats: ['avg', 'min', 'med', 'p(90)', 'p(95)', 'max'],
};

/** One run id for every virtual user: keys stay unique across VUs and runs. */
export function setup() {
  const probe = http.get(`${BASE_URL}/products/load-001`);
  if (probe.status !== 200) {
    exec.test.abort(`GET /products/load-001 answered ${probe.status}: seed the load products first (npm run seed -- --load)`);
  }
  return { runId: newRunId() };
}

/** @param {{ runId: string }} data */
export default function (data) {
  const request = checkoutRequest(data.runId, exec.scenario.iterationInTest);
  const res = http.post(`${BASE_URL}${request.path}`, request.body ?? null, {
    headers: request.headers,
    tags: { name: request.name },
    responseCallback: http.expectedStatuses(request.expectedStatus),
  });
  requests.add(1);
  failed.add(res.status !== request.expectedStatus);
  duration.add(res.timings.duration);
}

/** @param {unknown} data */
export function handleSummary(data) {
  const summary = summaryFromK6(data, scenario, BASE_URL);
  /** @type {Record<string, string>} */
  const outputs = { stdout: formatSummary(summary) };
  if (__ENV['SUMMARY_JSON']) outputs[__ENV['SUMMARY_JSON']] = JSON.stringify(summary, null, 2);
  return outputs;
}
