import { Metrics } from '@aws-lambda-powertools/metrics';
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { PowertoolsMetricsRecorder } from './powertools-metrics-recorder';

type Emf = Record<string, unknown> & { _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[] } };

let write: MockInstance<typeof process.stdout.write>;
let written: string[];

beforeEach(() => {
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
  written = [];
  write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
});

afterEach(() => {
  write.mockRestore();
  vi.unstubAllEnvs();
});

const emf = () =>
  written
    .join('')
    .split('\n')
    .filter((l) => l.includes('"_aws"'))
    .map((l) => JSON.parse(l) as Emf);

describe('PowertoolsMetricsRecorder', () => {
  it('publishes each metric on its own EMF line, with only its own dimensions (and the service)', () => {
    const metrics = new Metrics({ namespace: 'orderflow', serviceName: 'orderflow' });
    const recorder = new PowertoolsMetricsRecorder(metrics);
    recorder.count('OrdersPlaced', 1, { paymentMethod: 'card' });
    recorder.count('OrderValue', 2598, { currency: 'USD' });
    recorder.flush();
    const lines = emf();
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ OrdersPlaced: 1, paymentMethod: 'card', service: 'orderflow' });
    expect(lines[0]).not.toHaveProperty('currency');
    expect(lines[0]?._aws.CloudWatchMetrics[0]).toMatchObject({
      Namespace: 'orderflow',
      Dimensions: [['service', 'paymentMethod']],
      Metrics: [{ Name: 'OrdersPlaced', Unit: 'Count' }],
    });
    expect(lines[1]).toMatchObject({ OrderValue: 2598, currency: 'USD', service: 'orderflow' });
    expect(lines[1]).not.toHaveProperty('paymentMethod');
    expect(lines[1]).not.toHaveProperty('OrdersPlaced');
    expect(lines[1]?._aws.CloudWatchMetrics[0]?.Metrics).toEqual([{ Name: 'OrderValue', Unit: 'None' }]);
  });
});
