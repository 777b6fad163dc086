import { describe, expect, it } from 'vitest';
import { paymentIdempotencyKey } from './idempotency-keys';

describe('paymentIdempotencyKey', () => {
  it('derives one key per order and step', () => {
    expect(paymentIdempotencyKey('ord_1', 'authorize')).toBe('ord_1:authorize');
    expect(paymentIdempotencyKey('ord_1', 'capture')).toBe('ord_1:capture');
    expect(paymentIdempotencyKey('ord_1', 'void')).toBe('ord_1:void');
    expect(paymentIdempotencyKey('ord_1', 'refund')).toBe('ord_1:refund');
    expect(paymentIdempotencyKey('ord_1', 'refund', 'r2')).toBe('ord_1:refund:r2');
  });
});
