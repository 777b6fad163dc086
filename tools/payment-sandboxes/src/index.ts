// Public API of @orderflow/payment-sandboxes: local servers that behave like the Stripe and
// PayPal test modes, for the payments library's tests, the workflow tests and `npm start`.
export { currencyExponent, formatDecimal, parseDecimal } from './currency';
export { type FaultAction, FaultController, type FaultDecision, type FaultSettings, FaultSettingsSchema, type FaultState } from './faults';
export { BUYER_FUNDING_CHOICES } from './paypal/approval-page';
export { PAYPAL_ISSUES } from './paypal/paypal-errors';
export {
  type ApproveOptions,
  type PaypalAmountRecord,
  type PaypalAuthorizationRecord,
  type PaypalCaptureRecord,
  type PaypalOrderRecord,
  type PaypalRefundRecord,
  type PaypalSandbox,
  type PaypalSandboxOptions,
  startPaypalSandbox,
} from './paypal/paypal-sandbox';
export type { RecordedRequest } from './sandbox-server';
export {
  type PaymentSandboxesProcess,
  type PaymentSandboxesProcessOptions,
  type PaymentSandboxesReady,
  PaymentSandboxesStartError,
  startPaymentSandboxesProcess,
} from './sandboxes-process';
export { type PaymentSandboxes, type PaymentSandboxesOptions, startPaymentSandboxes } from './start-payment-sandboxes';
export {
  type PaymentIntentStatus,
  type StripePaymentIntentRecord,
  type StripeRefundRecord,
  type StripeSandbox,
  type StripeSandboxOptions,
  startStripeSandbox,
} from './stripe/stripe-sandbox';
export { STRIPE_TEST_DECLINES, TEST_PAYMENT_METHODS, type TestPaymentMethod } from './stripe/test-payment-methods';
