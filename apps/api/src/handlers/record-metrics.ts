import { PowertoolsMetricsRecorder } from '../adapters/powertools-metrics-recorder';
import { eventConsumer } from '../consumer';
import { metrics } from '../observability';
import { recordOrderMetrics } from '../use-cases/record-order-metrics';

const recorder = new PowertoolsMetricsRecorder(metrics);

/** OrderPlaced / OrderRejected -> business metrics (CloudWatch EMF), once per event id (a count is not idempotent). */
export const handler = eventConsumer('record-metrics', 'event-id', async (event) => recordOrderMetrics(recorder, event));
