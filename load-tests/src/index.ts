// Public API of @orderflow/load-tests: the scenarios (shared with the k6 scripts), the
// summary both tools print, the autocannon driver and the measurements behind
// docs/performance.md. The command line is src/cli.ts (`npm run load`).
export {
  CHECKOUT_MIX,
  checkoutBody,
  checkoutRequest,
  idempotencyKey,
  k6Thresholds,
  LOAD_PRODUCT_IDS,
  newRunId,
  orderIdFromCheckout,
  parseDuration,
  READS_SETUP_ORDERS,
  readRequest,
  SCENARIOS,
  scenarioByName,
  stagesDuration,
  stagesPeak,
  type Scenario,
  type ScenarioRequest,
  type Stage,
  type Thresholds,
} from './scenarios';
export { checkThresholds, formatSummary, percentile, type RunSummary, summarizeLatencies, summaryFromK6 } from './summary';
export { type LoadSpec, runLoad, type RunLoadOptions, type RunResult } from './driver';
export { type ConnectionGroup, rampPlan, targetAt } from './ramp-plan';
export { startLocalStack, type LocalStackProcess, STACK_PROBE_PATH } from './local-stack';
export { StackProbe } from './probe-client';
export { accountCheckouts, accountReads, type CheckoutAccount, type ReadAccount } from './accounting';
export { accountExecution, LocalInspection } from './executions';
export { replayTraces, traceFromCalls, type DynamoTrace, type ReplayResult } from './dynamodb-replay';
export { costPerMillionCheckouts, PRICES, REFERENCE_CHECKOUT, REFERENCE_TOTAL_PER_MILLION } from './cost';
export { AWS_ASSUMPTIONS, modelCheckout } from './cost-model';
export { summarizeProfile } from './profile';
