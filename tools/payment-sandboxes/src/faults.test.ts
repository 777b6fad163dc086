import { describe, expect, it } from 'vitest';
import { FaultController } from './faults';

/** A random source that returns the given values in turn. */
const sequence = (...values: number[]) => {
  let i = 0;
  return () => values[i++ % values.length] as number;
};

describe('FaultController', () => {
  it('injects nothing by default', () => {
    expect(new FaultController().decide('POST', '/v1/payment_intents')).toEqual({ latencyMs: 0, action: 'none', status: 0 });
  });

  it('answers a share of requests with an error, before or after processing', () => {
    const faults = new FaultController(sequence(0.1, 0.9));
    faults.set({ errorRate: 0.5, errorStatus: 503 });
    expect(faults.decide('POST', '/v1/x')).toEqual({ latencyMs: 0, action: 'error-before', status: 503 });
    expect(faults.decide('POST', '/v1/x').action).toBe('none');
    faults.set({ errorRate: 1, errorAfterProcessing: true });
    expect(faults.decide('POST', '/v1/x')).toEqual({ latencyMs: 0, action: 'error-after', status: 500 });
  });

  it('hangs a share of requests and adds latency', () => {
    const faults = new FaultController(sequence(0.2));
    faults.set({ hangRate: 0.3, latencyMs: 40 });
    expect(faults.decide('GET', '/v1/x')).toEqual({ latencyMs: 40, action: 'hang', status: 0 });
  });

  it('applies only to matching requests, and only `times` times', () => {
    const faults = new FaultController(() => 0);
    faults.set({ errorRate: 1, match: { method: 'post', pathPrefix: '/v2/payments' }, times: 2 });
    expect(faults.decide('GET', '/v2/payments/captures/1').action).toBe('none');
    expect(faults.decide('POST', '/v2/checkout/orders').action).toBe('none');
    expect(faults.get().remaining).toBe(2);
    expect(faults.decide('POST', '/v2/payments/authorizations/1/capture').action).toBe('error-before');
    expect(faults.decide('POST', '/v2/payments/authorizations/1/capture').action).toBe('error-before');
    expect(faults.decide('POST', '/v2/payments/authorizations/1/capture').action).toBe('none');
    expect(faults.get()).toEqual({ settings: null, remaining: null });
  });

  it('refuses settings that make no sense', () => {
    const faults = new FaultController();
    expect(() => faults.set({ errorRate: 2 })).toThrow();
    expect(() => faults.set({ errorStatus: 404 } as never)).toThrow();
    expect(() => faults.set({ latencyMs: -1 })).toThrow();
  });
});
