// @ts-check
// k6 run load-tests/k6/reads.js                         (BASE_URL defaults to http://localhost:3000)
// k6 run -e BASE_URL=https://<api-id>.execute-api.<region>.amazonaws.com/prod load-tests/k6/reads.js
//
// Ramping virtual users reading: GET /products and GET /orders/{id} in turn, the orders
// placed by setup() (checkouts of the load products, `npm run seed -- --load`). The same
// scenario runs without k6 through `npm run load -- --scenario reads`.
import exec from 'k6/execution';
import http from 'k6/http';
import { checkoutRequest, newRunId, orderIdFromCheckout, READS_SETUP_ORDERS, readRequest } from '../src/scenarios.js';
import { orderflowScenario } from './orderflow-scenario.js';

const scenario = orderflowScenario('reads');
const BASE_URL = scenario.baseUrl;

export const options = scenario.options;
export const handleSummary = scenario.handleSummary;

/** Places the orders the virtual users read back, all as one customer (whose token reads them). */
export function setup() {
  const runId = newRunId();
  const reader = scenario.credentials()[0];
  /** @type {string[]} */
  const orderIds = [];
  for (let n = 0; n < READS_SETUP_ORDERS; n++) {
    const request = checkoutRequest(runId, n, reader ? [reader] : undefined);
    const res = http.post(`${BASE_URL}${request.path}`, request.body ?? null, { headers: request.headers, tags: { name: 'setup' } });
    const location = res.headers['Location'];
    const orderId = res.status === 201 ? orderIdFromCheckout(typeof res.body === 'string' ? res.body : null, location) : undefined;
    if (!orderId) exec.test.abort(`setup: checkout ${n} answered ${res.status}: seed the load products first (npm run seed -- --load)`);
    else orderIds.push(orderId);
  }
  return { orderIds, reader };
}

/** @param {{ orderIds: string[], reader?: import('../src/scenarios.js').Credential }} data */
export default function (data) {
  scenario.send(readRequest(exec.scenario.iterationInTest, data.orderIds, data.reader));
}
