import { PaymentConfigurationError } from './errors';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry';

export type Env = Readonly<Record<string, string | undefined>>;

export interface StripeConnection {
  host: string;
  port: number;
  protocol: 'http' | 'https';
  /** Pins the Stripe API version; the SDK's own by default. */
  apiVersion: string | undefined;
  timeoutMs: number;
}

export interface PaypalConnection {
  /** REST base URL: https://api-m.paypal.com (live), https://api-m.sandbox.paypal.com, or a local sandbox. */
  baseUrl: string;
  timeoutMs: number;
  returnUrl: string | undefined;
  cancelUrl: string | undefined;
  brandName: string | undefined;
}

export type SecretsSettings =
  | {
      source: 'environment';
      stripeSecretKey: string | undefined;
      paypalClientId: string | undefined;
      paypalClientSecret: string | undefined;
    }
  | {
      source: 'secrets-manager';
      secretId: string;
      maxAgeSeconds: number;
      paypalClientId: string | undefined;
    };

export interface PaymentsConfig {
  stripe: StripeConnection;
  paypal: PaypalConnection;
  retry: RetryPolicy;
  secrets: SecretsSettings;
}

export const DEFAULT_TIMEOUT_MS = 5_000;
export const DEFAULT_SECRETS_MAX_AGE_SECONDS = 300;
export const DEFAULT_PAYPAL_BASE_URL = 'https://api-m.sandbox.paypal.com';

/** Every environment variable the library reads, for the README and for checks. */
export const PAYMENT_ENV_VARS = [
  'STRIPE_SECRET_KEY',
  'STRIPE_API_BASE',
  'STRIPE_HOST',
  'STRIPE_PORT',
  'STRIPE_PROTOCOL',
  'STRIPE_API_VERSION',
  'STRIPE_TIMEOUT_MS',
  'PAYPAL_CLIENT_ID',
  'PAYPAL_CLIENT_SECRET',
  'PAYPAL_BASE_URL',
  'PAYPAL_TIMEOUT_MS',
  'PAYPAL_RETURN_URL',
  'PAYPAL_CANCEL_URL',
  'PAYPAL_BRAND_NAME',
  'PAYMENT_TIMEOUT_MS',
  'PAYMENT_MAX_RETRIES',
  'PAYMENT_RETRY_BASE_DELAY_MS',
  'PAYMENT_RETRY_MAX_DELAY_MS',
  'PAYMENT_SECRETS_ARN',
  'PAYMENT_SECRETS_MAX_AGE_SECONDS',
] as const;

const value = (env: Env, name: string): string | undefined => {
  const v = env[name]?.trim();
  return v === undefined || v === '' ? undefined : v;
};

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const text = value(env, name);
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new PaymentConfigurationError(`${name} must be a whole number from ${min} to ${max}.`, name);
  }
  return n;
}

function url(env: Env, name: string): URL | undefined {
  const text = value(env, name);
  if (text === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    throw new PaymentConfigurationError(`${name} must be an absolute http(s) URL.`, name);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new PaymentConfigurationError(`${name} must be an absolute http(s) URL.`, name);
  }
  if (parsed.username || parsed.password) {
    throw new PaymentConfigurationError(`${name} must not carry credentials.`, name);
  }
  return parsed;
}

/** The API base (scheme, host, port) of an SDK that fixes its own paths: no path allowed. */
function apiBase(env: Env, name: string): URL | undefined {
  const parsed = url(env, name);
  if (parsed && ((parsed.pathname !== '/' && parsed.pathname !== '') || parsed.search)) {
    throw new PaymentConfigurationError(`${name} must be scheme, host and port only (the SDK adds the paths).`, name);
  }
  return parsed;
}

/**
 * Reads the library's settings from environment variables (see README.md). Throws
 * PaymentConfigurationError naming the variable for a value that makes no sense;
 * missing credentials are reported later, by the provider that needs them.
 */
export function readPaymentsConfig(env: Env): PaymentsConfig {
  const timeoutMs = integer(env, 'PAYMENT_TIMEOUT_MS', DEFAULT_TIMEOUT_MS, 1, 120_000);

  const stripeBase = apiBase(env, 'STRIPE_API_BASE');
  const protocolText = value(env, 'STRIPE_PROTOCOL') ?? stripeBase?.protocol.replace(':', '') ?? 'https';
  if (protocolText !== 'http' && protocolText !== 'https') {
    throw new PaymentConfigurationError('STRIPE_PROTOCOL must be http or https.', 'STRIPE_PROTOCOL');
  }
  const defaultPort = stripeBase?.port ? Number(stripeBase.port) : protocolText === 'http' ? 80 : 443;
  const stripe: StripeConnection = {
    host: value(env, 'STRIPE_HOST') ?? stripeBase?.hostname.replace(/^\[|\]$/g, '') ?? 'api.stripe.com',
    port: integer(env, 'STRIPE_PORT', defaultPort, 1, 65_535),
    protocol: protocolText,
    apiVersion: value(env, 'STRIPE_API_VERSION'),
    timeoutMs: integer(env, 'STRIPE_TIMEOUT_MS', timeoutMs, 1, 120_000),
  };

  const paypalBase = apiBase(env, 'PAYPAL_BASE_URL');
  const paypal: PaypalConnection = {
    baseUrl: paypalBase ? paypalBase.origin : DEFAULT_PAYPAL_BASE_URL,
    timeoutMs: integer(env, 'PAYPAL_TIMEOUT_MS', timeoutMs, 1, 120_000),
    returnUrl: url(env, 'PAYPAL_RETURN_URL')?.toString(),
    cancelUrl: url(env, 'PAYPAL_CANCEL_URL')?.toString(),
    brandName: value(env, 'PAYPAL_BRAND_NAME'),
  };
  if (paypal.brandName && paypal.brandName.length > 127) {
    throw new PaymentConfigurationError('PAYPAL_BRAND_NAME must be at most 127 characters.', 'PAYPAL_BRAND_NAME');
  }

  const retry: RetryPolicy = {
    maxRetries: integer(env, 'PAYMENT_MAX_RETRIES', DEFAULT_RETRY_POLICY.maxRetries, 0, 5),
    baseDelayMs: integer(env, 'PAYMENT_RETRY_BASE_DELAY_MS', DEFAULT_RETRY_POLICY.baseDelayMs, 0, 10_000),
    maxDelayMs: integer(env, 'PAYMENT_RETRY_MAX_DELAY_MS', DEFAULT_RETRY_POLICY.maxDelayMs, 0, 30_000),
  };

  const secretId = value(env, 'PAYMENT_SECRETS_ARN');
  const secrets: SecretsSettings = secretId
    ? {
        source: 'secrets-manager',
        secretId,
        maxAgeSeconds: integer(env, 'PAYMENT_SECRETS_MAX_AGE_SECONDS', DEFAULT_SECRETS_MAX_AGE_SECONDS, 0, 86_400),
        paypalClientId: value(env, 'PAYPAL_CLIENT_ID'),
      }
    : {
        source: 'environment',
        stripeSecretKey: value(env, 'STRIPE_SECRET_KEY'),
        paypalClientId: value(env, 'PAYPAL_CLIENT_ID'),
        paypalClientSecret: value(env, 'PAYPAL_CLIENT_SECRET'),
      };

  return { stripe, paypal, retry, secrets };
}
