import { OrderflowError, toErrorResponse } from '@orderflow/contracts';
import { describe, expect, it } from 'vitest';
import {
  PAYMENT_ERROR_NAMES,
  PaymentConfigurationError,
  PaymentDeclinedError,
  PaymentProviderUnavailableError,
  PaymentRequestRejectedError,
} from './errors';

describe('payment errors', () => {
  it('have stable names, whatever a bundler does to class names', () => {
    expect(new PaymentDeclinedError('stripe', 'insufficient_funds').name).toBe(PAYMENT_ERROR_NAMES.declined);
    expect(new PaymentProviderUnavailableError('paypal', 'timeout', 'slow').name).toBe(PAYMENT_ERROR_NAMES.unavailable);
    expect(new PaymentConfigurationError('missing').name).toBe(PAYMENT_ERROR_NAMES.configuration);
    expect(new PaymentRequestRejectedError('stripe', 'x', 'no').name).toBe(PAYMENT_ERROR_NAMES.rejected);
    expect(PAYMENT_ERROR_NAMES).toEqual({
      declined: 'PaymentDeclinedError',
      unavailable: 'PaymentProviderUnavailableError',
      configuration: 'PaymentConfigurationError',
      rejected: 'PaymentRequestRejectedError',
    });
  });

  it('a decline is 402 PAYMENT_DECLINED with the provider decline code in the body', () => {
    const error = new PaymentDeclinedError('stripe', 'insufficient_funds', 'Your card has insufficient funds.');
    expect(error).toBeInstanceOf(OrderflowError);
    expect(toErrorResponse(error)).toEqual({
      statusCode: 402,
      body: { error: { code: 'PAYMENT_DECLINED', message: 'Your card has insufficient funds.', declineCode: 'insufficient_funds' } },
    });
    expect(toErrorResponse(new PaymentDeclinedError('paypal', 'INSTRUMENT_DECLINED')).body.error.message).toBe('The payment was declined.');
  });

  it('unavailability is 503 with the catalogue message; the details stay in the error for logs', () => {
    const error = new PaymentProviderUnavailableError('stripe', 'server_error', 'Stripe answered 500: boom', 500);
    expect(error.message).toBe('Stripe answered 500: boom');
    expect(toErrorResponse(error)).toEqual({
      statusCode: 503,
      body: { error: { code: 'PAYMENT_PROVIDER_UNAVAILABLE', message: 'The payment provider is unavailable. Try again later.' } },
    });
  });

  it('configuration and rejected requests are a plain 500 INTERNAL to clients', () => {
    for (const error of [
      new PaymentConfigurationError('Stripe is not configured: STRIPE_SECRET_KEY is missing.', 'STRIPE_SECRET_KEY'),
      new PaymentRequestRejectedError('stripe', 'payment_intent_unexpected_state', 'cannot capture a canceled PaymentIntent', 400),
    ]) {
      expect(toErrorResponse(error)).toEqual({
        statusCode: 500,
        body: { error: { code: 'INTERNAL', message: 'Something went wrong on our side.' } },
      });
    }
  });
});
