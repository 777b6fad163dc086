import { describe, expect, it } from 'vitest';
import { ApiError, NetworkError } from './api-client';
import { describeFailure } from './outcome';

describe('what a failure means for the customer', () => {
  it('explains a decline by its reason and ends the attempt', () => {
    expect(describeFailure(new ApiError(402, 'PAYMENT_DECLINED', 'Your card has insufficient funds.', [], 'insufficient_funds'))).toEqual({
      message: 'Your payment was declined: the card has insufficient funds. Choose another way to pay.',
      retry: false,
    });
  });

  it('names the product and what is left when stock runs out', () => {
    const error = new ApiError(409, 'OUT_OF_STOCK', 'Not enough stock', [{ path: 'items', message: 'blanket-wool-throw: requested 25, available 20' }]);
    expect(describeFailure(error, (id) => (id === 'blanket-wool-throw' ? 'Wool Throw Blanket' : id)).message).toBe(
      'Not enough Wool Throw Blanket in stock: you asked for 25, only 20 are left.',
    );
    const none = new ApiError(409, 'OUT_OF_STOCK', 'x', [{ path: 'items', message: 'mug: requested 1, available 0' }]);
    expect(describeFailure(none).message).toContain('none are left');
  });

  it('offers to try again (the same attempt) after an outage, a timeout or no answer at all', () => {
    for (const error of [
      new ApiError(503, 'PAYMENT_PROVIDER_UNAVAILABLE', 'x'),
      new ApiError(504, 'TIMEOUT', 'x'),
      new ApiError(500, 'INTERNAL', 'x'),
      new ApiError(409, 'IDEMPOTENCY_IN_PROGRESS', 'x'),
      new NetworkError('down'),
    ]) {
      expect(describeFailure(error).retry, (error as Error).message).toBe(true);
    }
    expect(describeFailure(new ApiError(503, 'PAYMENT_PROVIDER_UNAVAILABLE', 'x')).message).toMatch(/not be charged twice/);
  });

  it('asks to sign in again when the session expired, keeping the cart', () => {
    expect(describeFailure(new ApiError(401, 'UNAUTHORIZED', 'Authentication is required.'))).toMatchObject({ signIn: true, message: expect.stringMatching(/cart is kept/) });
  });
});
