import type { Money, PaymentMethod } from '@orderflow/contracts';
import Stripe from 'stripe';
import type { StripeConnection } from '../config';
import {
  PaymentConfigurationError,
  PaymentDeclinedError,
  PaymentProviderUnavailableError,
  PaymentRequestRejectedError,
} from '../errors';
import { paymentIdempotencyKey } from '../idempotency-keys';
import { type PaymentLogger, SecretRedactor } from '../logging';
import type {
  AuthorizePaymentInput,
  CapturePaymentInput,
  PaymentAuthorization,
  PaymentCapture,
  PaymentGateway,
  PaymentRefund,
  PaymentVoid,
  RefundPaymentInput,
  VoidPaymentInput,
} from '../payment-gateway';
import { callProvider, CredentialsRejected } from '../provider-call';
import type { RetryPolicy } from '../retry';
import type { PaymentSecretsSource } from '../secrets';

export interface StripePaymentGatewayOptions {
  connection: StripeConnection;
  secrets: PaymentSecretsSource;
  retry: RetryPolicy;
  logger: PaymentLogger;
  redactor?: SecretRedactor;
}

const STRIPE_METHODS: readonly PaymentMethod[] = ['card', 'apple_pay'];

/**
 * The PaymentGateway on Stripe's PaymentIntents, through the official `stripe` SDK.
 * Card and Apple Pay share one flow (Apple Pay is a card wallet in Stripe): a
 * PaymentIntent created and confirmed with manual capture for the server's amount,
 * captured later, canceled as a void, refunded. Host, port and protocol come from the
 * configuration, so the same code talks to Stripe or to the local sandbox.
 */
export class StripePaymentGateway implements PaymentGateway {
  private readonly redactor: SecretRedactor;
  private client: { key: string; stripe: Stripe } | undefined;

  constructor(private readonly options: StripePaymentGatewayOptions) {
    this.redactor = options.redactor ?? new SecretRedactor();
  }

  async authorize(input: AuthorizePaymentInput): Promise<PaymentAuthorization> {
    const { payment, orderId, amount } = input;
    if (payment.method === 'paypal') {
      throw new PaymentRequestRejectedError('stripe', 'unsupported_method', 'The Stripe gateway does not take PayPal payments.');
    }
    const idempotencyKey = paymentIdempotencyKey(orderId, 'authorize');
    const intent = await this.call('authorize', orderId, idempotencyKey, (stripe) =>
      stripe.paymentIntents.create(
        {
          amount: amount.amount,
          currency: amount.currency.toLowerCase(),
          payment_method: payment.paymentMethodId,
          // Card covers Apple Pay; naming it avoids the Dashboard's redirect-based methods.
          allowed_payment_method_types: ['card'],
          capture_method: 'manual',
          confirm: true,
          description: `orderflow order ${orderId}`,
          metadata: {
            order_id: orderId,
            payment_method: payment.method,
            wallet: payment.method === 'apple_pay' ? 'apple_pay' : 'none',
            ...(input.customerId ? { customer_id: input.customerId } : {}),
          },
        },
        { idempotencyKey },
      ),
    );
    checkAmount(intent, amount);
    if (intent.status === 'requires_action') {
      // 3-D Secure needs the buyer's browser; this checkout is server-side only.
      throw new PaymentDeclinedError('stripe', 'authentication_required', 'The card requires authentication, which this checkout does not support.');
    }
    if (intent.status === 'requires_payment_method') {
      const last = intent.last_payment_error;
      throw new PaymentDeclinedError(
        'stripe',
        last?.decline_code || last?.code || 'generic_decline',
        last?.message ? this.redactor.redact(last.message) : undefined,
      );
    }
    if (intent.status !== 'requires_capture') {
      throw new PaymentRequestRejectedError(
        'stripe',
        'unexpected_status',
        `The PaymentIntent ${intent.id} is ${intent.status} after confirmation, expected requires_capture.`,
      );
    }
    this.options.logger.info('payment authorized', {
      provider: 'stripe',
      method: payment.method,
      orderId,
      authorizationId: intent.id,
      amount: intent.amount,
      currency: amount.currency,
    });
    return {
      provider: 'stripe',
      method: payment.method,
      orderId,
      authorizationId: intent.id,
      amount: { amount: intent.amount, currency: amount.currency },
      status: 'AUTHORIZED',
      providerStatus: intent.status,
    };
  }

  async capture(input: CapturePaymentInput): Promise<PaymentCapture> {
    this.checkMethod(input.method);
    const idempotencyKey = paymentIdempotencyKey(input.orderId, 'capture');
    let intent: Stripe.PaymentIntent;
    try {
      intent = await this.call('capture', input.orderId, idempotencyKey, (stripe) =>
        stripe.paymentIntents.capture(
          input.authorizationId,
          input.amount ? { amount_to_capture: input.amount.amount } : {},
          { idempotencyKey },
        ),
      );
    } catch (error) {
      // Captured already (under another key): the money is taken once, which is what was asked.
      const current = stateConflictIntent(error);
      if (current?.status !== 'succeeded') throw error;
      intent = current;
    }
    if (intent.status !== 'succeeded') {
      throw new PaymentRequestRejectedError('stripe', 'unexpected_status', `The PaymentIntent ${intent.id} is ${intent.status} after capture.`);
    }
    const currency = intent.currency.toUpperCase();
    this.options.logger.info('payment captured', {
      provider: 'stripe',
      orderId: input.orderId,
      authorizationId: intent.id,
      amount: intent.amount_received,
      currency,
    });
    return {
      provider: 'stripe',
      method: input.method,
      orderId: input.orderId,
      authorizationId: intent.id,
      captureId: chargeId(intent) ?? intent.id,
      amount: { amount: intent.amount_received, currency },
      status: 'CAPTURED',
      providerStatus: intent.status,
    };
  }

  async void(input: VoidPaymentInput): Promise<PaymentVoid> {
    this.checkMethod(input.method);
    const idempotencyKey = paymentIdempotencyKey(input.orderId, 'void');
    let intent: Stripe.PaymentIntent;
    try {
      intent = await this.call('void', input.orderId, idempotencyKey, (stripe) =>
        stripe.paymentIntents.cancel(input.authorizationId, { cancellation_reason: 'abandoned' }, { idempotencyKey }),
      );
    } catch (error) {
      // Canceled already: a void is done once whatever the key.
      const current = stateConflictIntent(error);
      if (current?.status !== 'canceled') throw error;
      intent = current;
    }
    this.options.logger.info('payment voided', { provider: 'stripe', orderId: input.orderId, authorizationId: intent.id });
    return {
      provider: 'stripe',
      method: input.method,
      orderId: input.orderId,
      authorizationId: intent.id,
      status: 'VOIDED',
      providerStatus: intent.status,
    };
  }

  async refund(input: RefundPaymentInput): Promise<PaymentRefund> {
    this.checkMethod(input.method);
    const idempotencyKey = paymentIdempotencyKey(input.orderId, 'refund', input.refundKey);
    const refund = await this.call('refund', input.orderId, idempotencyKey, (stripe) =>
      stripe.refunds.create(
        {
          payment_intent: input.authorizationId,
          ...(input.amount ? { amount: input.amount.amount } : {}),
          ...(input.reason ? { reason: input.reason } : {}),
          metadata: { order_id: input.orderId },
        },
        { idempotencyKey },
      ),
    );
    const currency = refund.currency.toUpperCase();
    this.options.logger.info('payment refunded', {
      provider: 'stripe',
      orderId: input.orderId,
      authorizationId: input.authorizationId,
      refundId: refund.id,
      amount: refund.amount,
      currency,
    });
    return {
      provider: 'stripe',
      method: input.method,
      orderId: input.orderId,
      authorizationId: input.authorizationId,
      captureId: input.captureId,
      refundId: refund.id,
      amount: { amount: refund.amount, currency },
      status: 'REFUNDED',
      providerStatus: refund.status ?? 'succeeded',
    };
  }

  private checkMethod(method: PaymentMethod): void {
    if (!STRIPE_METHODS.includes(method)) {
      throw new PaymentRequestRejectedError('stripe', 'unsupported_method', `The Stripe gateway does not take ${method} payments.`);
    }
  }

  private async stripeFor(): Promise<Stripe> {
    const secrets = await this.options.secrets.get({ provider: 'stripe' });
    const key = secrets.stripeSecretKey;
    if (!key) {
      throw new PaymentConfigurationError(
        `Stripe is not configured: STRIPE_SECRET_KEY is missing from ${this.options.secrets.origin}.`,
        'STRIPE_SECRET_KEY',
      );
    }
    this.redactor.remember(key);
    if (this.client?.key !== key) {
      const { host, port, protocol, apiVersion, timeoutMs } = this.options.connection;
      this.client = {
        key,
        stripe: new Stripe(key, {
          host,
          port,
          protocol,
          timeout: timeoutMs,
          // Retries are ours (bounded, logged, the same for both providers).
          maxNetworkRetries: 0,
          telemetry: false,
          appInfo: { name: 'orderflow-payments' },
          ...(apiVersion ? { apiVersion: apiVersion as Stripe.LatestApiVersion } : {}),
        }),
      };
    }
    return this.client.stripe;
  }

  private call<T>(operation: string, orderId: string, idempotencyKey: string, run: (stripe: Stripe) => Promise<T>): Promise<T> {
    const { retry, logger, connection } = this.options;
    return callProvider(
      { provider: 'stripe', timeoutMs: connection.timeoutMs, retry, logger },
      {
        operation,
        orderId,
        idempotencyKey,
        attempt: async () => run(await this.stripeFor()),
        mapError: (error) => mapStripeError(error, this.redactor),
        reloadCredentials: async () => {
          const before = this.client?.key;
          const secrets = await this.options.secrets.get({ forceRefresh: true, provider: 'stripe' });
          return secrets.stripeSecretKey !== undefined && secrets.stripeSecretKey !== before;
        },
      },
    );
  }
}

function checkAmount(intent: Stripe.PaymentIntent, amount: Money): void {
  if (intent.amount !== amount.amount || intent.currency.toUpperCase() !== amount.currency) {
    throw new PaymentRequestRejectedError(
      'stripe',
      'amount_mismatch',
      `The PaymentIntent ${intent.id} is for ${intent.amount} ${intent.currency}, not ${amount.amount} ${amount.currency}.`,
    );
  }
}

function chargeId(intent: Stripe.PaymentIntent): string | undefined {
  const charge = intent.latest_charge;
  if (!charge) return undefined;
  return typeof charge === 'string' ? charge : charge.id;
}

/** The PaymentIntent inside a payment_intent_unexpected_state error, if any. */
function stateConflictIntent(error: unknown): Stripe.PaymentIntent | undefined {
  if (!(error instanceof PaymentRequestRejectedError) || error.providerCode !== 'payment_intent_unexpected_state') {
    return undefined;
  }
  return (error as PaymentRequestRejectedError & { paymentIntent?: Stripe.PaymentIntent }).paymentIntent;
}

const TRANSIENT_STATUSES = new Set([409, 429]);

/**
 * Stripe's errors in the library's terms: card errors are declines, 401/403 a
 * configuration problem, connection errors, 409, 429 and 5xx transient, other 4xx a
 * rejected request. Stripe's messages pass through the redactor (a 401 quotes the key's end).
 */
export function mapStripeError(error: unknown, redactor: SecretRedactor): Error {
  if (
    error instanceof PaymentDeclinedError ||
    error instanceof PaymentProviderUnavailableError ||
    error instanceof PaymentConfigurationError ||
    error instanceof PaymentRequestRejectedError ||
    error instanceof CredentialsRejected
  ) {
    return error;
  }
  if (!(error instanceof Stripe.errors.StripeError)) {
    return new PaymentProviderUnavailableError('stripe', 'network', `Calling Stripe failed: ${redactor.redact(String((error as Error)?.message ?? error))}`);
  }
  const status = error.statusCode;
  const message = redactor.redact(error.message);
  if (error instanceof Stripe.errors.StripeConnectionError || status === undefined) {
    const timedOut = /timeout/i.test(error.message);
    return new PaymentProviderUnavailableError(
      'stripe',
      timedOut ? 'timeout' : 'network',
      timedOut ? `Stripe did not answer in time: ${message}` : `Could not reach Stripe: ${message}`,
    );
  }
  if (status === 402 || error.type === 'StripeCardError') {
    return new PaymentDeclinedError('stripe', error.decline_code || error.code || 'card_declined', message);
  }
  if (status === 401) {
    return new CredentialsRejected(
      new PaymentConfigurationError('Stripe rejected the API key (STRIPE_SECRET_KEY).', 'STRIPE_SECRET_KEY'),
    );
  }
  if (status === 403) {
    return new PaymentConfigurationError(
      `Stripe refused the request for lack of permissions: the key in STRIPE_SECRET_KEY may be restricted. (${message})`,
      'STRIPE_SECRET_KEY',
    );
  }
  if (status >= 500 || TRANSIENT_STATUSES.has(status)) {
    const reason = status === 429 ? 'rate_limited' : status === 409 ? 'conflict' : 'server_error';
    return new PaymentProviderUnavailableError('stripe', reason, `Stripe answered ${status}: ${message}`, status);
  }
  const code = error.code ?? (error.type === 'StripeIdempotencyError' ? 'idempotency_error' : 'invalid_request');
  if (code === 'resource_missing' && error.param === 'payment_method') {
    // The buyer's PaymentMethod does not exist: the payment cannot go through.
    return new PaymentDeclinedError('stripe', code, message);
  }
  const rejected = new PaymentRequestRejectedError('stripe', code, `Stripe refused the request (${status} ${code}): ${message}`, status);
  const intent = error.payment_intent;
  if (intent) Object.defineProperty(rejected, 'paymentIntent', { value: intent, enumerable: false });
  return rejected;
}
