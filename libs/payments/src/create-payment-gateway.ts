import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { type Env, type PaymentsConfig, readPaymentsConfig } from './config';
import { defaultPaymentLogger, type PaymentLogger, redactingLogger, SecretRedactor } from './logging';
import { type PaypalOperation, PaypalPaymentGateway } from './paypal/paypal-payment-gateway';
import { PaymentRouter } from './payment-router';
import { type PaymentSecretsSource, secretsManagerPaymentSecrets, staticPaymentSecrets } from './secrets';
import { StripePaymentGateway } from './stripe/stripe-payment-gateway';

export interface CreatePaymentGatewayOptions {
  /** Where the library logs; Powertools' Logger fits. A Powertools logger by default. */
  logger?: PaymentLogger;
  /** Reads PAYMENT_SECRETS_ARN; one shared SecretsProvider (with its cache) by default. */
  secretsProvider?: SecretsProvider;
  /** Extra headers per PayPal operation, for the sandbox's negative testing. */
  paypalRequestHeaders?: (operation: PaypalOperation) => Record<string, string> | undefined;
}

// One per process: its cache outlives a gateway, as a Lambda container outlives a request.
let sharedSecretsProvider: SecretsProvider | undefined;

function secretsSource(config: PaymentsConfig, options: CreatePaymentGatewayOptions): PaymentSecretsSource {
  const s = config.secrets;
  if (s.source === 'environment') {
    return staticPaymentSecrets({
      ...(s.stripeSecretKey ? { stripeSecretKey: s.stripeSecretKey } : {}),
      ...(s.paypalClientId ? { paypalClientId: s.paypalClientId } : {}),
      ...(s.paypalClientSecret ? { paypalClientSecret: s.paypalClientSecret } : {}),
    });
  }
  sharedSecretsProvider ??= new SecretsProvider();
  return secretsManagerPaymentSecrets({
    secretId: s.secretId,
    maxAgeSeconds: s.maxAgeSeconds,
    provider: options.secretsProvider ?? sharedSecretsProvider,
    fallback: s.paypalClientId ? { paypalClientId: s.paypalClientId } : {},
  });
}

/** Wires the router and both adapters from a configuration. */
export async function createPaymentGateway(
  config: PaymentsConfig,
  options: CreatePaymentGatewayOptions = {},
): Promise<PaymentRouter> {
  const redactor = new SecretRedactor();
  const logger = redactingLogger(options.logger ?? defaultPaymentLogger(), redactor);
  const secrets = secretsSource(config, options);
  // Read the secret once now: a cold start fails fast on a wrong ARN or policy, and the
  // first payment does not wait for Secrets Manager.
  const loaded = await secrets.get();
  redactor.remember(loaded.stripeSecretKey, loaded.paypalClientSecret);
  const missing = [
    ...(loaded.stripeSecretKey ? [] : ['STRIPE_SECRET_KEY']),
    ...(loaded.paypalClientId ? [] : ['PAYPAL_CLIENT_ID']),
    ...(loaded.paypalClientSecret ? [] : ['PAYPAL_CLIENT_SECRET']),
  ];
  if (missing.length > 0) {
    logger.warn('payment providers partly configured: payments through them will fail', {
      missing,
      from: secrets.origin,
    });
  }
  logger.debug('payment gateway ready', {
    stripe: `${config.stripe.protocol}://${config.stripe.host}:${config.stripe.port}`,
    paypal: config.paypal.baseUrl,
    timeoutsMs: { stripe: config.stripe.timeoutMs, paypal: config.paypal.timeoutMs },
    retry: config.retry,
    secrets: config.secrets.source,
  });
  const stripe = new StripePaymentGateway({ connection: config.stripe, secrets, retry: config.retry, logger, redactor });
  const paypal = new PaypalPaymentGateway({
    connection: config.paypal,
    secrets,
    retry: config.retry,
    logger,
    redactor,
    ...(options.paypalRequestHeaders ? { requestHeaders: options.paypalRequestHeaders } : {}),
  });
  return new PaymentRouter({ stripe, paypal });
}

/**
 * The one factory the Lambda handlers call, once per cold start: settings from
 * environment variables, credentials from them or from the Secrets Manager secret named
 * by PAYMENT_SECRETS_ARN (see README.md). Throws PaymentConfigurationError for a setting
 * that makes no sense or a secret that cannot be read.
 */
export function createPaymentGatewayFromEnv(
  env: Env = process.env,
  options: CreatePaymentGatewayOptions = {},
): Promise<PaymentRouter> {
  return createPaymentGateway(readPaymentsConfig(env), options);
}
