import { type ErrorBody, errorBody, OrderflowError } from '@orderflow/contracts';

export type PaymentProvider = 'stripe' | 'paypal';

/**
 * The provider declined the payment (card declined, insufficient funds, PayPal instrument
 * declined, an approved PayPal order for another amount...). A business outcome: the
 * checkout workflow never retries it. The client sees 402 PAYMENT_DECLINED with the
 * provider's `declineCode` and its (customer-facing) message.
 */
export class PaymentDeclinedError extends OrderflowError {
  override name = 'PaymentDeclinedError';
  /** As the provider gave it: Stripe's `decline_code` (or `code`), PayPal's `issue`. */
  readonly declineCode: string;
  readonly provider: PaymentProvider;

  constructor(provider: PaymentProvider, declineCode: string, message?: string) {
    super('PAYMENT_DECLINED', message);
    this.provider = provider;
    this.declineCode = declineCode;
  }

  protected override extraBody(): Record<string, unknown> {
    return { declineCode: this.declineCode };
  }
}

export type UnavailableReason = 'timeout' | 'network' | 'server_error' | 'rate_limited' | 'conflict' | 'secrets';

/**
 * The provider could not be reached or answered with a transient failure (timeout, 5xx,
 * 429, an idempotent request still in progress). Retryable: the checkout workflow retries
 * it with backoff, matching on this `name`. The message says what happened (for logs);
 * clients get the catalogue's message only.
 */
export class PaymentProviderUnavailableError extends OrderflowError {
  override name = 'PaymentProviderUnavailableError';
  readonly provider: PaymentProvider;
  readonly reason: UnavailableReason;
  /** The provider's HTTP status, when it answered. */
  readonly providerStatus: number | undefined;

  constructor(provider: PaymentProvider, reason: UnavailableReason, message: string, providerStatus?: number) {
    super('PAYMENT_PROVIDER_UNAVAILABLE', message);
    this.provider = provider;
    this.reason = reason;
    this.providerStatus = providerStatus;
  }

  override toBody(): ErrorBody {
    return errorBody('PAYMENT_PROVIDER_UNAVAILABLE');
  }
}

/**
 * The payments library is not set up right: a missing or invalid setting, credentials the
 * provider rejects, a secret that cannot be read. The message may name the setting, never
 * a secret's value. Clients see a plain 500 INTERNAL.
 */
export class PaymentConfigurationError extends OrderflowError {
  override name = 'PaymentConfigurationError';
  /** The environment variable (or secret key) at fault, when there is one. */
  readonly setting: string | undefined;

  constructor(message: string, setting?: string) {
    super('INTERNAL', message);
    this.setting = setting;
  }

  override toBody(): ErrorBody {
    return errorBody('INTERNAL');
  }
}

/**
 * The provider refused an operation for the payment's state or the request's parameters:
 * capture after void, void after capture, refund beyond what was captured, an idempotency
 * key reused with other parameters. Not retryable, and not the buyer's doing: clients see
 * a plain 500 INTERNAL; `providerCode` tells the workflow and the logs what happened.
 */
export class PaymentRequestRejectedError extends OrderflowError {
  override name = 'PaymentRequestRejectedError';
  readonly provider: PaymentProvider;
  /** Stripe's error `code` or PayPal's `issue` (e.g. payment_intent_unexpected_state, AUTHORIZATION_VOIDED). */
  readonly providerCode: string;
  readonly providerStatus: number | undefined;

  constructor(provider: PaymentProvider, providerCode: string, message: string, providerStatus?: number) {
    super('INTERNAL', message);
    this.provider = provider;
    this.providerCode = providerCode;
    this.providerStatus = providerStatus;
  }

  override toBody(): ErrorBody {
    return errorBody('INTERNAL');
  }
}

/** The names the checkout workflow matches in Retry and Catch. */
export const PAYMENT_ERROR_NAMES = {
  declined: 'PaymentDeclinedError',
  unavailable: 'PaymentProviderUnavailableError',
  configuration: 'PaymentConfigurationError',
  rejected: 'PaymentRequestRejectedError',
} as const;
