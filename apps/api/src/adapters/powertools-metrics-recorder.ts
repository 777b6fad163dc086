import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { MetricsRecorder } from '../use-cases/record-order-metrics';

/** Business metrics as CloudWatch EMF log lines, one single-metric set per dimension set. */
export class PowertoolsMetricsRecorder implements MetricsRecorder {
  constructor(private readonly metrics: Metrics) {}

  count(name: string, value: number, dimensions: Record<string, string>): void {
    const single = this.metrics.singleMetric();
    for (const [key, dimension] of Object.entries(dimensions)) single.addDimension(key, dimension);
    single.addMetric(name, name === 'OrderValue' ? MetricUnit.NoUnit : MetricUnit.Count, value);
  }

  flush(): void {
    // singleMetric() publishes as each metric is added; nothing is left buffered.
  }
}
