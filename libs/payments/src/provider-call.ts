import { type PaymentConfigurationError, type PaymentProvider, PaymentProviderUnavailableError } from './errors';
import type { PaymentLogger } from './logging';
import { type RetryPolicy, withDeadline, withRetries } from './retry';

/** The provider refused the credentials (HTTP 401). The caller may refresh them once. */
export class CredentialsRejected extends Error {
  override name = 'CredentialsRejected';
  constructor(readonly configurationError: PaymentConfigurationError) {
    super(configurationError.message);
  }
}

export interface ProviderCallSettings {
  provider: PaymentProvider;
  timeoutMs: number;
  retry: RetryPolicy;
  logger: PaymentLogger;
}

export interface ProviderCall<T> {
  operation: string;
  orderId?: string;
  idempotencyKey?: string;
  /** One attempt, with the current (cached) credentials. */
  attempt(): Promise<T>;
  /** Turns whatever the SDK threw into a payment error (or CredentialsRejected). */
  mapError(error: unknown): Error;
  /** After CredentialsRejected: reloads the credentials past any cache; true when they changed. */
  reloadCredentials(): Promise<boolean>;
}

const providerLabel = (p: PaymentProvider) => (p === 'stripe' ? 'Stripe' : 'PayPal');

/**
 * One provider operation with the library's rules: every attempt bounded by the
 * configured timeout, transient failures (PaymentProviderUnavailableError) retried a few
 * times with backoff, declines and rejections never, rotated credentials picked up once.
 */
export async function callProvider<T>(settings: ProviderCallSettings, call: ProviderCall<T>): Promise<T> {
  const { provider, logger } = settings;
  const context = {
    provider,
    operation: call.operation,
    ...(call.orderId ? { orderId: call.orderId } : {}),
    ...(call.idempotencyKey ? { idempotencyKey: call.idempotencyKey } : {}),
  };
  let refreshed = false;

  const once = async (attempt: number): Promise<T> => {
    const started = Date.now();
    try {
      const result = await withDeadline(
        call.attempt(),
        settings.timeoutMs,
        () =>
          new PaymentProviderUnavailableError(
            provider,
            'timeout',
            `${providerLabel(provider)} did not answer ${call.operation} within ${settings.timeoutMs} ms.`,
          ),
      );
      logger.debug('payment provider call succeeded', { ...context, attempt, durationMs: Date.now() - started });
      return result;
    } catch (raw) {
      const error = raw instanceof PaymentProviderUnavailableError ? raw : call.mapError(raw);
      if (error instanceof CredentialsRejected) {
        if (!refreshed) {
          refreshed = true;
          if (await call.reloadCredentials()) {
            logger.warn('payment provider rejected the credentials; retrying with reloaded ones', { ...context, attempt });
            return once(attempt);
          }
        }
        logger.error('payment provider rejected the credentials', { ...context, attempt, errorMessage: error.message });
        throw error.configurationError;
      }
      const attributes = {
        ...context,
        attempt,
        durationMs: Date.now() - started,
        errorName: error.name,
        errorMessage: error.message,
        ...describe(error),
      };
      if (error instanceof PaymentProviderUnavailableError) logger.warn('payment provider call failed (transient)', attributes);
      else logger.info('payment provider call failed', attributes);
      throw error;
    }
  };

  return withRetries(once, settings.retry, (e) => e instanceof PaymentProviderUnavailableError, {
    onRetry: (_error, attempt, delayMs) => logger.info('retrying payment provider call', { ...context, attempt, delayMs }),
  });
}

function describe(error: Error): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of ['declineCode', 'providerCode', 'providerStatus', 'reason', 'setting'] as const) {
    const v = (error as unknown as Record<string, unknown>)[key];
    if (v !== undefined) out[key] = v;
  }
  return out;
}
