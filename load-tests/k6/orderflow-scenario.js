// @ts-check
// What both k6 scripts share: the target (BASE_URL), the scenario's stages, thresholds and
// metrics, how one of its requests is sent and recorded, and the summary the driver prints too.
import http from 'k6/http';
import { Counter, Rate, Trend } from 'k6/metrics';
import { k6Thresholds, SCENARIOS } from '../src/scenarios.js';
import { formatSummary, summaryFromK6 } from '../src/summary.js';

/** @typedef {import('../src/scenarios.js').ScenarioRequest} ScenarioRequest */

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
