import type { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { z } from 'zod';
import { PaymentConfigurationError, type PaymentProvider, PaymentProviderUnavailableError } from './errors';

/** The credentials the adapters need. Any may be absent: that provider is then not configured. */
export interface PaymentSecrets {
  stripeSecretKey?: string;
  paypalClientId?: string;
  paypalClientSecret?: string;
}

export interface PaymentSecretsSource {
  /**
   * The current credentials. `forceRefresh` skips caches: an adapter asks for it once
   * when a provider rejects the credentials, in case they were rotated.
   */
  get(options?: { forceRefresh?: boolean; provider?: PaymentProvider }): Promise<PaymentSecrets>;
  /** Where the credentials come from, for error messages (never their values). */
  readonly origin: string;
}

/** Credentials given as values (from environment variables, locally). */
export function staticPaymentSecrets(secrets: PaymentSecrets, origin = 'environment variables'): PaymentSecretsSource {
  const frozen = Object.freeze({ ...secrets });
  return { origin, get: async () => frozen };
}

/**
 * The JSON object stored in the Secrets Manager secret. Keys are the environment
 * variables' names, so the same names work in both places.
 */
export const PaymentSecretDocumentSchema = z.object({
  STRIPE_SECRET_KEY: z.string().min(1).optional(),
  PAYPAL_CLIENT_ID: z.string().min(1).optional(),
  PAYPAL_CLIENT_SECRET: z.string().min(1).optional(),
});

const TRANSIENT_AWS_ERRORS = new Set([
  'ThrottlingException',
  'TooManyRequestsException',
  'InternalServiceError',
  'InternalFailure',
  'ServiceUnavailable',
  'RequestTimeout',
  'TimeoutError',
]);

const TRANSIENT_NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

export interface SecretsManagerSourceOptions {
  /** ARN or name of the secret (PAYMENT_SECRETS_ARN). */
  secretId: string;
  /** How long a fetched value is reused before Secrets Manager is asked again. */
  maxAgeSeconds: number;
  provider: SecretsProvider;
  /** PAYPAL_CLIENT_ID is not secret: it may come from the environment instead. */
  fallback?: PaymentSecrets;
}

/**
 * Credentials from AWS Secrets Manager through Powertools' SecretsProvider, which caches
 * them for `maxAgeSeconds`. Errors name the secret's setting and the AWS error's name,
 * never the secret's content (JSON parse messages quote it, so parsing happens here).
 */
export function secretsManagerPaymentSecrets(options: SecretsManagerSourceOptions): PaymentSecretsSource {
  const origin = 'the Secrets Manager secret named by PAYMENT_SECRETS_ARN';
  return {
    origin,
    async get(getOptions = {}) {
      let raw: unknown;
      try {
        raw = await options.provider.get(options.secretId, {
          maxAge: options.maxAgeSeconds,
          forceFetch: getOptions.forceRefresh ?? false,
        });
      } catch (error) {
        const cause = (error as { cause?: unknown }).cause ?? error;
        const name = (cause as { name?: unknown }).name;
        const code = (cause as { code?: unknown }).code;
        const errorName = typeof name === 'string' ? name : 'Error';
        if (TRANSIENT_AWS_ERRORS.has(errorName) || (typeof code === 'string' && TRANSIENT_NETWORK_CODES.has(code))) {
          throw new PaymentProviderUnavailableError(
            getOptions.provider ?? 'stripe',
            'secrets',
            `Could not read the payment credentials from Secrets Manager (${errorName}); try again.`,
          );
        }
        throw new PaymentConfigurationError(
          `Could not read the secret named by PAYMENT_SECRETS_ARN from Secrets Manager (${errorName}).`,
          'PAYMENT_SECRETS_ARN',
        );
      }
      const text = typeof raw === 'string' ? raw : raw instanceof Uint8Array ? new TextDecoder().decode(raw) : undefined;
      let document: unknown;
      try {
        document = text === undefined ? undefined : JSON.parse(text);
      } catch {
        document = undefined;
      }
      const parsed = PaymentSecretDocumentSchema.safeParse(document);
      if (!parsed.success) {
        throw new PaymentConfigurationError(
          'The secret named by PAYMENT_SECRETS_ARN must be a JSON object with string keys STRIPE_SECRET_KEY, PAYPAL_CLIENT_ID and PAYPAL_CLIENT_SECRET.',
          'PAYMENT_SECRETS_ARN',
        );
      }
      const fallback = options.fallback ?? {};
      const out: PaymentSecrets = {};
      const stripeSecretKey = parsed.data.STRIPE_SECRET_KEY ?? fallback.stripeSecretKey;
      const paypalClientId = parsed.data.PAYPAL_CLIENT_ID ?? fallback.paypalClientId;
      const paypalClientSecret = parsed.data.PAYPAL_CLIENT_SECRET ?? fallback.paypalClientSecret;
      if (stripeSecretKey) out.stripeSecretKey = stripeSecretKey;
      if (paypalClientId) out.paypalClientId = paypalClientId;
      if (paypalClientSecret) out.paypalClientSecret = paypalClientSecret;
      return out;
    },
  };
}
