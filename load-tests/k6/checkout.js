// @ts-check
// k6 run load-tests/k6/checkout.js                      (BASE_URL defaults to http://localhost:3000)
// k6 run -e BASE_URL=https://<api-id>.execute-api.<region>.amazonaws.com/prod load-tests/k6/checkout.js
// k6 run -e SUMMARY_JSON=checkout-summary.json load-tests/k6/checkout.js
// k6 run -e BASE_URL=... -e TOKENS_FILE=tokens.json load-tests/k6/checkout.js   (a deployment: npm run load-users writes tokens.json)
//
// Every checkout needs a customer's ID token: TOKENS_FILE's, or (against npm start) the local
// development issuer's, fetched in setup.
// Ramping virtual users (the stages of src/scenarios.js); each iteration is one checkout of
// the load products (`npm run seed -- --load`) with a unique Idempotency-Key. The same
// scenario runs without k6 through `npm run load -- --scenario checkout`.
import exec from 'k6/execution';
import http from 'k6/http';
import { checkoutRequest, newRunId } from '../src/scenarios.js';
import { orderflowScenario } from './orderflow-scenario.js';

const scenario = orderflowScenario('checkout');
const BASE_URL = scenario.baseUrl;

export const options = scenario.options;
export const handleSummary = scenario.handleSummary;

/** One run id for every virtual user (keys stay unique across VUs and runs), and the customers' credentials. */
export function setup() {
  const probe = http.get(`${BASE_URL}/products/load-001`);
  if (probe.status !== 200) {
    exec.test.abort(`GET /products/load-001 answered ${probe.status}: seed the load products first (npm run seed -- --load)`);
  }
  return { runId: newRunId(), credentials: scenario.credentials() };
}

/** @param {{ runId: string, credentials?: import('../src/scenarios.js').Credential[] }} data */
export default function (data) {
  scenario.send(checkoutRequest(data.runId, exec.scenario.iterationInTest, data.credentials));
}
