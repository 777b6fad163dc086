// @ts-check
// k6 run load-tests/k6/reads.js                         (BASE_URL defaults to http://localhost:3000)
// k6 run -e BASE_URL=https://<api-id>.execute-api.<region>.amazonaws.com/prod load-tests/k6/reads.js
//
// Ramping virtual users reading: GET /products and GET /orders/{id} in turn, the orders
// placed by setup() (checkouts of the load products, `npm run seed -- --load`). The same
// scenario runs without k6 through `npm run load -- --scenario reads`.
import exec from 'k6/execution';
import http from 'k6/http';
import { Counter, Rate, Trend } from 'k6/metrics';
import { checkoutRequest, k6Thresholds, newRunId, orderIdFromCheckout, READS_SETUP_ORDERS, readRequest, SCENARIOS } from '../src/scenarios.js';
import { formatSummary, summaryFromK6 } from '../src/summary.js';

const scenario = SCENARIOS.reads;
const BASE_URL = (__ENV['BASE_URL'] || 'http://localhost:3000').replace(/\/+$/, '');

const requests = new Counter('orderflow_reqs');
const failed = new Rate('orderflow_req_failed');
const duration = new Trend('orderflow_req_duration', true);

/** @type {import('k6/options').Options} */
export const options = {
  stages: scenario.stages,
  thresholds: k6Thresholds(scenario),
  summaryTrendStats: ['avg', 'min', 'med', 'p(90)', 'p(95)', 'max'],
};

/** Places the orders the virtual users read back. */
export function setup() {
  const runId = newRunId();
  /** @type {string[]} */
  const orderIds = [];
  for (let n = 0; n < READS_SETUP_ORDERS; n++) {
    const request = checkoutRequest(runId, n);
    const res = http.post(`${BASE_URL}${request.path}`, request.body ?? null, { headers: request.headers, tags: { name: 'setup' } });
    const location = res.headers['Location'];
    const orderId = res.status === 201 ? orderIdFromCheckout(typeof res.body === 'string' ? res.body : null, location) : undefined;
    if (!orderId) exec.test.abort(`setup: checkout ${n} answered ${res.status}: seed the load products first (npm run seed -- --load)`);
    else orderIds.push(orderId);
  }
  return { orderIds };
}

/** @param {{ orderIds: string[] }} data */
export default function (data) {
  const request = readRequest(exec.scenario.iterationInTest, data.orderIds);
  const res = http.get(`${BASE_URL}${request.path}`, {
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
