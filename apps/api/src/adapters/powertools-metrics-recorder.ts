import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { BUSINESS_METRICS } from '@orderflow/contracts';
import type { MetricsRecorder } from '../use-cases/record-order-metrics';

/**
 * Business metrics as CloudWatch EMF log lines, one line per metric with its own dimensions.
 * Each is added to the process's Metrics and published at once (nothing awaited in between,
 * so overlapping invocations cannot mix them), as `singleMetric()` would, without building a
 * Metrics instance per metric (its Console and options: most of this consumer's CPU).
 */
export class PowertoolsMetricsRecorder implements MetricsRecorder {
  constructor(private readonly metrics: Metrics) {}

  count(name: string, value: number, dimensions: Record<string, string>): void {
    this.metrics.addDimensions(dimensions);
    const unit = name === BUSINESS_METRICS.orderValue ? MetricUnit.NoUnit : name.endsWith('Seconds') ? MetricUnit.Seconds : MetricUnit.Count;
    this.metrics.addMetric(name, unit, value);
    this.metrics.publishStoredMetrics();
  }

  flush(): void {
    // Each metric is published as it is counted; nothing is left buffered.
  }
}
