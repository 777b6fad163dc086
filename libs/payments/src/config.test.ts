import { describe, expect, it } from 'vitest';
import { DEFAULT_PAYPAL_BASE_URL, PAYMENT_ENV_VARS, readPaymentsConfig } from './config';
import { PaymentConfigurationError } from './errors';

describe('readPaymentsConfig', () => {
  it('has defaults for the real providers', () => {
    const config = readPaymentsConfig({});
    expect(config.stripe).toEqual({ host: 'api.stripe.com', port: 443, protocol: 'https', apiVersion: undefined, timeoutMs: 5000 });
    expect(config.paypal).toMatchObject({ baseUrl: DEFAULT_PAYPAL_BASE_URL, timeoutMs: 5000 });
    expect(config.retry).toEqual({ maxRetries: 1, baseDelayMs: 100, maxDelayMs: 1000 });
    expect(config.secrets).toEqual({ source: 'environment', stripeSecretKey: undefined, paypalClientId: undefined, paypalClientSecret: undefined });
  });

  it('reads a local sandbox from STRIPE_API_BASE and PAYPAL_BASE_URL, with per-provider timeouts', () => {
    const config = readPaymentsConfig({
      STRIPE_API_BASE: 'http://127.0.0.1:12111',
      STRIPE_SECRET_KEY: 'sk_test_x',
      PAYPAL_BASE_URL: 'http://localhost:12112/',
      PAYMENT_TIMEOUT_MS: '3000',
      PAYPAL_TIMEOUT_MS: '6000',
      PAYMENT_MAX_RETRIES: '0',
    });
    expect(config.stripe).toMatchObject({ host: '127.0.0.1', port: 12111, protocol: 'http', timeoutMs: 3000 });
    expect(config.paypal).toMatchObject({ baseUrl: 'http://localhost:12112', timeoutMs: 6000 });
    expect(config.retry.maxRetries).toBe(0);
    expect(config.secrets).toMatchObject({ source: 'environment', stripeSecretKey: 'sk_test_x' });
  });

  it('lets STRIPE_HOST, STRIPE_PORT and STRIPE_PROTOCOL override the base', () => {
    const config = readPaymentsConfig({ STRIPE_API_BASE: 'https://api.stripe.com', STRIPE_HOST: 'stripe-mock', STRIPE_PORT: '12111', STRIPE_PROTOCOL: 'http' });
    expect(config.stripe).toMatchObject({ host: 'stripe-mock', port: 12111, protocol: 'http' });
    expect(readPaymentsConfig({ STRIPE_PROTOCOL: 'http' }).stripe.port).toBe(80);
  });

  it('takes credentials from Secrets Manager when PAYMENT_SECRETS_ARN is set, and ignores secret env values then', () => {
    const config = readPaymentsConfig({
      PAYMENT_SECRETS_ARN: 'arn:aws:secretsmanager:eu-west-1:1:secret:x',
      PAYMENT_SECRETS_MAX_AGE_SECONDS: '60',
      PAYPAL_CLIENT_ID: 'public-client-id',
      STRIPE_SECRET_KEY: 'sk_test_ignored',
    });
    expect(config.secrets).toEqual({
      source: 'secrets-manager',
      secretId: 'arn:aws:secretsmanager:eu-west-1:1:secret:x',
      maxAgeSeconds: 60,
      paypalClientId: 'public-client-id',
    });
  });

  it('treats empty values as unset', () => {
    expect(readPaymentsConfig({ STRIPE_SECRET_KEY: '', PAYMENT_TIMEOUT_MS: ' ' }).stripe.timeoutMs).toBe(5000);
  });

  it.each([
    ['PAYMENT_TIMEOUT_MS', 'soon'],
    ['PAYMENT_TIMEOUT_MS', '0'],
    ['STRIPE_PORT', '70000'],
    ['STRIPE_PROTOCOL', 'ftp'],
    ['STRIPE_API_BASE', 'not a url'],
    ['STRIPE_API_BASE', 'http://127.0.0.1:1/v1'],
    ['PAYPAL_BASE_URL', 'ftp://paypal'],
    ['PAYPAL_BASE_URL', 'https://user:pass@api-m.paypal.com'],
    ['PAYMENT_MAX_RETRIES', '99'],
    ['PAYMENT_SECRETS_MAX_AGE_SECONDS', '-1'],
  ])('names %s when its value (%s) makes no sense, without quoting it', (name, value) => {
    const env = { [name]: value, ...(name === 'PAYMENT_SECRETS_MAX_AGE_SECONDS' ? { PAYMENT_SECRETS_ARN: 'arn' } : {}) };
    let error: unknown;
    try {
      readPaymentsConfig(env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PaymentConfigurationError);
    expect(error).toMatchObject({ setting: name });
    expect((error as Error).message).toContain(name);
    if (value.length > 3) expect((error as Error).message).not.toContain(value);
  });

  it('lists every variable it reads', () => {
    expect(PAYMENT_ENV_VARS).toContain('PAYMENT_SECRETS_ARN');
    expect(new Set(PAYMENT_ENV_VARS).size).toBe(PAYMENT_ENV_VARS.length);
  });
});
