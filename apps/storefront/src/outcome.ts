import { ApiError, NetworkError } from './api-client';

/**
 * What a failed checkout (or any call) means for the customer, in plain words, and whether the
 * same attempt may be tried again (same Idempotency-Key) or has its final answer.
 */

export interface Outcome {
  message: string;
  /** Offer "Try again" with the same attempt: the service may not have finished, or not answered. */
  retry: boolean;
  /** The sign-in is no longer valid: sign in again (the cart is kept). */
  signIn?: boolean;
}

const DECLINE_REASONS: Record<string, string> = {
  insufficient_funds: 'the card has insufficient funds',
  expired_card: 'the card has expired',
  processing_error: 'the card could not be processed',
  incorrect_cvc: 'the security code is incorrect',
  generic_decline: 'the bank declined it',
  INSTRUMENT_DECLINED: 'the funding source was declined',
  TRANSACTION_REFUSED: 'PayPal refused the payment',
  PAYER_CANNOT_PAY: 'this PayPal account cannot pay this shop',
};

/** "blanket-wool-throw: requested 25, available 20" from the API's details. */
function stockDetail(error: ApiError, nameOf: (productId: string) => string): string | undefined {
  for (const detail of error.details) {
    const match = /^([^:]+): requested (\d+), available (\d+)$/.exec(detail.message);
    if (match) {
      const [, productId = '', requested, available] = match;
      const left = Number(available) === 0 ? 'none are left' : `only ${available} ${Number(available) === 1 ? 'is' : 'are'} left`;
      return `Not enough ${nameOf(productId)} in stock: you asked for ${requested}, ${left}.`;
    }
  }
  return undefined;
}

export function describeFailure(error: unknown, nameOf: (productId: string) => string = (id) => id): Outcome {
  if (error instanceof NetworkError) {
    return { message: 'The shop could not reach the service, so we do not know yet whether your order went through. Try again: you will not be charged twice.', retry: true };
  }
  if (!(error instanceof ApiError)) return { message: 'Something went wrong. Try again.', retry: true };
  switch (error.code) {
    case 'PAYMENT_DECLINED':
      return { message: `Your payment was declined: ${DECLINE_REASONS[error.declineCode ?? ''] ?? error.message}. Choose another way to pay.`, retry: false };
    case 'OUT_OF_STOCK':
      return { message: stockDetail(error, nameOf) ?? error.message, retry: false };
    case 'UNKNOWN_PRODUCT':
      return { message: 'A product in your cart is no longer sold. Remove it and try again.', retry: false };
    case 'PAYMENT_PROVIDER_UNAVAILABLE':
      return { message: 'The payment service is not answering right now. Try again: you will not be charged twice.', retry: true };
    case 'TIMEOUT':
    case 'INTERNAL':
      return { message: 'Your order did not get an answer in time. Try again: if it went through, you will see it, and you will not be charged twice.', retry: true };
    case 'IDEMPOTENCY_IN_PROGRESS':
      return { message: 'Your order is still being processed. Try again in a moment.', retry: true };
    case 'UNAUTHORIZED':
      return { message: 'Your session has expired. Sign in again — your cart is kept.', retry: true, signIn: true };
    case 'TOO_MANY_REQUESTS':
      return { message: 'The shop is very busy. Try again in a moment.', retry: true };
    default:
      return { message: error.message, retry: error.status >= 500 };
  }
}
