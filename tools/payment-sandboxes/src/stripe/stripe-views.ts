import { stripeId } from '../ids';
import { now, type PaymentIntentState, type PaymentIntentStatus, type PaymentMethodObject, type StripeRefundRecord } from './stripe-state';

/** Stripe's API objects as its JSON shows them, and the records the sandbox hands to tests. */

export const API_VERSION = '2026-10-28.endive';

/** What a test needs to know about a PaymentIntent, including what Stripe keeps on its charge. */
export interface StripePaymentIntentRecord {
  id: string;
  status: PaymentIntentStatus;
  amount: number;
  currency: string;
  captureMethod: string;
  amountCapturable: number;
  /** Captured. */
  amountReceived: number;
  amountRefunded: number;
  /** The PaymentMethod as the request named it (`pm_card_visa`). */
  paymentMethod: string | null;
  metadata: Record<string, string>;
  /** The Idempotency-Key of the request that created it. */
  idempotencyKey: string | null;
  lastPaymentError: { code: string; declineCode: string } | null;
  cancellationReason: string | null;
  refunds: StripeRefundRecord[];
  created: number;
}

export function paymentMethodJson(pm: PaymentMethodObject) {
  return {
    id: pm.id,
    object: 'payment_method',
    allow_redisplay: 'unspecified',
    billing_details: { address: null, email: null, name: null, phone: null },
    card: {
      brand: pm.test.card.brand,
      checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: 'pass' },
      country: pm.test.card.country,
      display_brand: pm.test.card.brand,
      exp_month: 12,
      exp_year: new Date().getFullYear() + 3,
      funding: pm.test.card.funding,
      last4: pm.test.card.last4,
      networks: { available: [pm.test.card.brand], preferred: null },
      wallet: null,
    },
    created: pm.created,
    customer: null,
    livemode: false,
    metadata: {},
    type: 'card',
  };
}

export function intentJson(pi: PaymentIntentState) {
  return {
    id: pi.id,
    object: 'payment_intent',
    allowed_payment_method_types: pi.allowedPaymentMethodTypes,
    amount: pi.amount,
    amount_capturable: pi.amountCapturable,
    amount_details: { tip: {} },
    amount_received: pi.amountReceived,
    application: null,
    application_fee_amount: null,
    automatic_payment_methods: pi.automaticPaymentMethods,
    canceled_at: pi.canceledAt,
    cancellation_reason: pi.cancellationReason,
    capture_method: pi.captureMethod,
    client_secret: pi.clientSecret,
    confirmation_method: 'automatic',
    created: pi.created,
    currency: pi.currency,
    customer: null,
    description: pi.description,
    excluded_payment_method_types: null,
    last_payment_error: pi.lastPaymentError,
    latest_charge: pi.latestCharge,
    livemode: false,
    metadata: pi.metadata,
    next_action: pi.nextAction,
    on_behalf_of: null,
    payment_method: pi.paymentMethod?.id ?? null,
    payment_method_configuration_details: null,
    payment_method_options: { card: { installments: null, mandate_options: null, network: null, request_three_d_secure: 'automatic' } },
    payment_method_types: pi.paymentMethodTypes,
    processing: null,
    receipt_email: null,
    review: null,
    setup_future_usage: null,
    shipping: null,
    source: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: pi.status,
    transfer_data: null,
    transfer_group: null,
  };
}

export function refundJson(refund: StripeRefundRecord, pi: PaymentIntentState) {
  return {
    id: refund.id,
    object: 'refund',
    amount: refund.amount,
    balance_transaction: stripeId('txn'),
    charge: pi.latestCharge,
    created: now(),
    currency: refund.currency,
    destination_details: { card: { reference_status: 'pending', reference_type: 'acquirer_reference_number', type: 'refund' }, type: 'card' },
    metadata: {},
    payment_intent: pi.id,
    reason: refund.reason,
    receipt_number: null,
    source_transfer_reversal: null,
    status: refund.status,
    transfer_reversal: null,
  };
}

export function intentRecord(pi: PaymentIntentState): StripePaymentIntentRecord {
  return {
    id: pi.id,
    status: pi.status,
    amount: pi.amount,
    currency: pi.currency,
    captureMethod: pi.captureMethod,
    amountCapturable: pi.amountCapturable,
    amountReceived: pi.amountReceived,
    amountRefunded: pi.amountRefunded,
    paymentMethod: pi.paymentMethod?.testId ?? pi.lastFailedPaymentMethod?.testId ?? null,
    metadata: { ...pi.metadata },
    idempotencyKey: pi.idempotencyKey,
    lastPaymentError: pi.lastPaymentErrorCodes,
    cancellationReason: pi.cancellationReason,
    refunds: pi.refunds.map((r) => ({ ...r })),
    created: pi.created,
  };
}
