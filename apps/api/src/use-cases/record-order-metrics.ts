import { BUSINESS_METRICS } from '@orderflow/contracts';
import type { ReceivedOrderflowEvent } from '@orderflow/events';

/** Port: business metrics (CloudWatch EMF through Powertools Metrics in this service). */
export interface MetricsRecorder {
  count(name: string, value: number, dimensions: Record<string, string>): void;
  flush(): void;
}

export interface RecordedMetric {
  name: string;
  value: number;
  dimensions: Record<string, string>;
}

/** OrderPlaced -> OrdersPlaced and OrderValue (minor units); OrderRejected -> OrdersRejected by reason. */
export function orderMetrics(event: ReceivedOrderflowEvent): RecordedMetric[] {
  if (event.detailType === 'OrderPlaced') {
    const { payment, total } = event.detail;
    return [
      { name: BUSINESS_METRICS.ordersPlaced, value: 1, dimensions: { paymentMethod: payment.method } },
      { name: BUSINESS_METRICS.orderValue, value: total.amount, dimensions: { currency: total.currency } },
    ];
  }
  return [{ name: BUSINESS_METRICS.ordersRejected, value: 1, dimensions: { reason: event.detail.reason.code } }];
}

export function recordOrderMetrics(recorder: MetricsRecorder, event: ReceivedOrderflowEvent): { recorded: string[] } {
  const metrics = orderMetrics(event);
  for (const metric of metrics) recorder.count(metric.name, metric.value, metric.dimensions);
  recorder.flush();
  return { recorded: metrics.map((m) => m.name) };
}
