import { describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE, ERROR_CODES, httpStatusOf } from './error-catalogue';
import {
  errorResponseFor,
  IdempotencyInProgressError,
  IdempotencyKeyReusedError,
  OrderNotFoundError,
  toErrorResponse,
  UnknownProductError,
} from './errors';

describe('error catalogue', () => {
  it('holds the statuses of DESIGN.md', () => {
    expect(httpStatusOf('VALIDATION_FAILED')).toBe(400);
    expect(httpStatusOf('UNKNOWN_PRODUCT')).toBe(422);
    expect(httpStatusOf('OUT_OF_STOCK')).toBe(409);
    expect(httpStatusOf('PAYMENT_DECLINED')).toBe(402);
    expect(httpStatusOf('IDEMPOTENCY_KEY_REUSED')).toBe(422);
    expect(httpStatusOf('IDEMPOTENCY_IN_PROGRESS')).toBe(409);
    expect(httpStatusOf('PAYMENT_PROVIDER_UNAVAILABLE')).toBe(503);
    expect(httpStatusOf('ORDER_NOT_FOUND')).toBe(404);
    expect(httpStatusOf('PRODUCT_NOT_FOUND')).toBe(404);
    expect(httpStatusOf('INTERNAL')).toBe(500);
  });

  it('gives every code a message', () => {
    for (const code of ERROR_CODES) expect(ERROR_CATALOGUE[code].message.length).toBeGreaterThan(0);
  });
});

describe('toErrorResponse', () => {
  it('maps catalogue errors to their status and body, with a stable name', () => {
    const unknown = new UnknownProductError([{ productId: 'nope', index: 0 }]);
    expect(unknown.name).toBe('UnknownProductError');
    expect(toErrorResponse(unknown)).toEqual({
      statusCode: 422,
      body: {
        error: {
          code: 'UNKNOWN_PRODUCT',
          message: 'Unknown product: nope.',
          details: [{ path: 'items[0].productId', message: 'no product nope' }],
        },
      },
    });
    expect(new UnknownProductError(['gone']).toBody().error.details).toEqual([{ path: 'items', message: 'no product gone' }]);
    expect(toErrorResponse(new OrderNotFoundError('ord_1234567890')).statusCode).toBe(404);
    expect(toErrorResponse(new IdempotencyKeyReusedError()).statusCode).toBe(422);
    expect(toErrorResponse(new IdempotencyInProgressError()).statusCode).toBe(409);
  });

  it('never leaks the message or stack of an unexpected error', () => {
    const response = toErrorResponse(new Error('connect ECONNREFUSED 10.0.0.7:8000 secret=sk_live_x'));
    expect(response.statusCode).toBe(500);
    const text = JSON.stringify(response.body);
    expect(text).not.toContain('ECONNREFUSED');
    expect(text).not.toContain('sk_live');
    expect(text).not.toMatch(/at .+:\d+:\d+/);
    expect(response.body.error.code).toBe('INTERNAL');
  });

  it('maps a code found in data, and falls back to INTERNAL for an unknown code', () => {
    expect(errorResponseFor('OUT_OF_STOCK', 'Only 1 left').statusCode).toBe(409);
    const unknown = errorResponseFor('SOMETHING_ELSE', 'internal detail');
    expect(unknown.statusCode).toBe(500);
    expect(unknown.body.error.message).toBe(ERROR_CATALOGUE.INTERNAL.message);
  });
});
