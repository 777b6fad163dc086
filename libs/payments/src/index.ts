// Public API of @orderflow/payments: the PaymentGateway port, its Stripe (card, Apple Pay)
// and PayPal adapters, the router, the errors the workflow matches, and the factory the
// Lambda handlers call once per cold start.
export {
  DEFAULT_PAYPAL_BASE_URL,
  DEFAULT_SECRETS_MAX_AGE_SECONDS,
  DEFAULT_TIMEOUT_MS,
  type Env,
  PAYMENT_ENV_VARS,
  type PaymentsConfig,
  type PaypalConnection,
  readPaymentsConfig,
  type SecretsSettings,
  type StripeConnection,
} from './config';
export { createPaymentGateway, type CreatePaymentGatewayOptions, createPaymentGatewayFromEnv } from './create-payment-gateway';
export {
  PAYMENT_ERROR_NAMES,
  PaymentConfigurationError,
  PaymentDeclinedError,
  type PaymentProvider,
  PaymentProviderUnavailableError,
  PaymentRequestRejectedError,
  type UnavailableReason,
} from './errors';
export { paymentIdempotencyKey, type PaymentStep } from './idempotency-keys';
export { defaultPaymentLogger, type PaymentLogger, SecretRedactor, silentPaymentLogger } from './logging';
export { currencyExponent, fromDecimalString, toDecimalString } from './money-format';
export {
  type AuthorizePaymentInput,
  AuthorizePaymentInputSchema,
  type CapturePaymentInput,
  CapturePaymentInputSchema,
  type CreatePaypalOrderInput,
  CreatePaypalOrderInputSchema,
  type CreatePaypalOrderResponse,
  CreatePaypalOrderResponseSchema,
  type PaymentAuthorization,
  PaymentAuthorizationSchema,
  type PaymentCapture,
  PaymentCaptureSchema,
  type PaymentGateway,
  PaymentProviderSchema,
  type PaymentRefund,
  PaymentRefundSchema,
  type PaymentVoid,
  PaymentVoidSchema,
  type PaypalOrderGateway,
  RefundPaymentInputSchema,
  type RefundPaymentInput,
  RefundReasonSchema,
  type VoidPaymentInput,
  VoidPaymentInputSchema,
} from './payment-gateway';
export { PaymentRouter, type PaymentRouterAdapters } from './payment-router';
export { type PaypalOperation, PaypalPaymentGateway, type PaypalPaymentGatewayOptions } from './paypal/paypal-payment-gateway';
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry';
export {
  PaymentSecretDocumentSchema,
  type PaymentSecrets,
  type PaymentSecretsSource,
  secretsManagerPaymentSecrets,
  staticPaymentSecrets,
} from './secrets';
export { StripePaymentGateway, type StripePaymentGatewayOptions } from './stripe/stripe-payment-gateway';
