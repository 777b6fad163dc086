// @ts-check
// What both k6 scripts share: the target (BASE_URL), the scenario's stages, thresholds and
// metrics, how one of its requests is sent and recorded, and the summary the driver prints too.
import exec from 'k6/execution';
import http from 'k6/http';
import { Counter, Rate, Trend } from 'k6/metrics';
import { k6Thresholds, LOAD_CUSTOMER_COUNT, loadCustomerId, localTokenRequest, SCENARIOS } from '../src/scenarios.js';
import { formatSummary, summaryFromK6 } from '../src/summary.js';

/** @typedef {import('../src/scenarios.js').ScenarioRequest} ScenarioRequest */
/** @typedef {import('../src/scenarios.js').Credential} Credential */

/**
 * The customers' credentials from TOKENS_FILE (a JSON array of {customerId, token}: `npm run
 * load-users` writes it for a deployed pool), read in the init context as k6 requires.
 * @type {Credential[] | undefined}
 */
const TOKENS = __ENV['TOKENS_FILE'] ? /** @type {Credential[]} */ (JSON.parse(open(__ENV['TOKENS_FILE']))) : undefined;

/**
 * Call once, in a script's init context (k6 creates metrics only there).
 * @param {'checkout' | 'reads'} name
 */
export function orderflowScenario(name) {
  const scenario = SCENARIOS[name];
  const baseUrl = (__ENV['BASE_URL'] || 'http://localhost:3000').replace(/\/+$/, '');

  // The scenario's own metrics: its requests only (k6's http_req_* would count setup too).
  const requests = new Counter('orderflow_reqs');
  const failed = new Rate('orderflow_req_failed');
  const duration = new Trend('orderflow_req_duration', true);

  /** @type {import('k6/options').Options} */
  const options = {
    stages: scenario.stages,
    thresholds: k6Thresholds(scenario),
    summaryTrendStats: ['avg', 'min', 'med', 'p(90)', 'p(95)', 'max'],
  };

  return {
    baseUrl,
    options,
    /**
     * Sends one of the scenario's requests and records it in the scenario's metrics.
     * @param {ScenarioRequest} request
     */
    send(request) {
      const res = http.request(request.method, `${baseUrl}${request.path}`, request.body ?? null, {
        headers: request.headers,
        tags: { name: request.name },
        responseCallback: http.expectedStatuses(request.expectedStatus),
      });
      requests.add(1);
      failed.add(res.status !== request.expectedStatus);
      duration.add(res.timings.duration);
      return res;
    },
    /**
     * Who the virtual users are (setup): TOKENS_FILE's credentials, else tokens of a local stack's
     * development issuer (npm start), else the run stops saying how to get some.
     * @returns {Credential[]}
     */
    credentials() {
      if (TOKENS) return TOKENS;
      /** @type {Credential[]} */
      const credentials = [];
      for (let i = 0; i < LOAD_CUSTOMER_COUNT; i++) {
        const customerId = loadCustomerId(i);
        const request = localTokenRequest(customerId);
        const res = http.post(`${baseUrl}${request.path}`, request.body, { headers: request.headers, tags: { name: 'setup' } });
        const token = res.status === 200 ? /** @type {{ token?: string }} */ (JSON.parse(String(res.body))).token : undefined;
        if (!token) {
          exec.test.abort(`no credentials: ${baseUrl} has no development issuer (POST /_local/auth/token answered ${res.status}); give TOKENS_FILE=<file> (npm run load-users -w @orderflow/load-tests writes one for a deployed pool)`);
          return [];
        }
        credentials.push({ customerId, token });
      }
      return credentials;
    },
    /** k6's handleSummary: the driver's summary on stdout, and as JSON in SUMMARY_JSON when set. @param {unknown} data */
    handleSummary(data) {
      const summary = summaryFromK6(data, scenario, baseUrl);
      /** @type {Record<string, string>} */
      const outputs = { stdout: formatSummary(summary) };
      if (__ENV['SUMMARY_JSON']) outputs[__ENV['SUMMARY_JSON']] = JSON.stringify(summary, null, 2);
      return outputs;
    },
  };
}
