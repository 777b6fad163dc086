import {
  CreatePaypalOrderResponseSchema,
  CustomerIdSchema,
  MoneySchema,
  OrderIdSchema,
  PaymentInputSchema,
  PaymentMethodSchema,
} from '@orderflow/contracts';
import { z } from 'zod';

/**
 * The PaymentGateway port and its payloads. Every payload is plain JSON (it travels
 * between Step Functions states), and each has a zod schema so the workflow's task
 * handlers can parse what they receive.
 */

export const PaymentProviderSchema = z.enum(['stripe', 'paypal']);

/** A positive amount: providers refuse to authorize nothing. */
export const PositiveMoneySchema = MoneySchema.refine((m) => m.amount > 0, {
  message: 'amount must be greater than zero',
  path: ['amount'],
});

export const AuthorizePaymentInputSchema = z.strictObject({
  orderId: OrderIdSchema,
  /** The server-computed total; never the client's. */
  amount: PositiveMoneySchema,
  payment: PaymentInputSchema,
  customerId: CustomerIdSchema.optional(),
});
export type AuthorizePaymentInput = z.infer<typeof AuthorizePaymentInputSchema>;

export const PaymentAuthorizationSchema = z.object({
  provider: PaymentProviderSchema,
  method: PaymentMethodSchema,
  orderId: OrderIdSchema,
  /** Stripe PaymentIntent id, or PayPal authorization id: what capture and void act on. */
  authorizationId: z.string().min(1),
  /** The PayPal order the buyer approved (PayPal only). */
  providerOrderId: z.string().optional(),
  amount: MoneySchema,
  status: z.literal('AUTHORIZED'),
  /** The provider's own status word (requires_capture, CREATED, PENDING...). */
  providerStatus: z.string(),
});
export type PaymentAuthorization = z.infer<typeof PaymentAuthorizationSchema>;

/** What identifies an authorized payment for the later steps. */
const paymentRef = {
  orderId: OrderIdSchema,
  method: PaymentMethodSchema,
  authorizationId: z.string().min(1),
};

export const CapturePaymentInputSchema = z.strictObject({
  ...paymentRef,
  /** Defaults to everything authorized. */
  amount: PositiveMoneySchema.optional(),
});
export type CapturePaymentInput = z.infer<typeof CapturePaymentInputSchema>;

export const PaymentCaptureSchema = z.object({
  provider: PaymentProviderSchema,
  method: PaymentMethodSchema,
  orderId: OrderIdSchema,
  authorizationId: z.string(),
  /** Stripe charge id, or PayPal capture id: what a refund acts on. */
  captureId: z.string(),
  amount: MoneySchema,
  status: z.literal('CAPTURED'),
  providerStatus: z.string(),
});
export type PaymentCapture = z.infer<typeof PaymentCaptureSchema>;

export const VoidPaymentInputSchema = z.strictObject(paymentRef);
export type VoidPaymentInput = z.infer<typeof VoidPaymentInputSchema>;

export const PaymentVoidSchema = z.object({
  provider: PaymentProviderSchema,
  method: PaymentMethodSchema,
  orderId: OrderIdSchema,
  authorizationId: z.string(),
  status: z.literal('VOIDED'),
  providerStatus: z.string(),
});
export type PaymentVoid = z.infer<typeof PaymentVoidSchema>;

export const RefundReasonSchema = z.enum(['requested_by_customer', 'duplicate', 'fraudulent']);

export const RefundPaymentInputSchema = z.strictObject({
  ...paymentRef,
  captureId: z.string().min(1),
  /** Defaults to everything not yet refunded. */
  amount: PositiveMoneySchema.optional(),
  reason: RefundReasonSchema.optional(),
  /**
   * Tells several refunds of one order apart (`<orderId>:refund:<refundKey>`); without it
   * the refund is the order's one compensation refund, and repeating it is a no-op.
   */
  refundKey: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,40}$/, 'refundKey may contain only letters, digits, - and _')
    .optional(),
});
export type RefundPaymentInput = z.infer<typeof RefundPaymentInputSchema>;

export const PaymentRefundSchema = z.object({
  provider: PaymentProviderSchema,
  method: PaymentMethodSchema,
  orderId: OrderIdSchema,
  authorizationId: z.string(),
  captureId: z.string(),
  refundId: z.string(),
  amount: MoneySchema,
  status: z.literal('REFUNDED'),
  providerStatus: z.string(),
});
export type PaymentRefund = z.infer<typeof PaymentRefundSchema>;

/** A PayPal order for a server-computed cart total, for the buyer to approve. */
export const CreatePaypalOrderInputSchema = z.strictObject({
  amount: PositiveMoneySchema,
  customerId: CustomerIdSchema.optional(),
  /**
   * Makes creation idempotent (sent as `PayPal-Request-Id: paypal-order:<requestKey>`),
   * e.g. the customer and the request's Idempotency-Key. Without it every call creates
   * a new order.
   */
  requestKey: z
    .string()
    .regex(/^[\x21-\x7E]{1,80}$/, 'requestKey must be at most 80 printable ASCII characters')
    .optional(),
  description: z.string().min(1).max(127).optional(),
});
export type CreatePaypalOrderInput = z.infer<typeof CreatePaypalOrderInputSchema>;

export { CreatePaypalOrderResponseSchema };
export type { CreatePaypalOrderResponse } from '@orderflow/contracts';

/**
 * The port: take money for an order in two steps (authorize, then capture) and undo it
 * (void an authorization, refund a capture). Each call is idempotent per order and step.
 */
export interface PaymentGateway {
  authorize(input: AuthorizePaymentInput): Promise<PaymentAuthorization>;
  capture(input: CapturePaymentInput): Promise<PaymentCapture>;
  void(input: VoidPaymentInput): Promise<PaymentVoid>;
  refund(input: RefundPaymentInput): Promise<PaymentRefund>;
}

/** The storefront's side of PayPal: an order for the cart total, which the buyer approves. */
export interface PaypalOrderGateway {
  createPaypalOrder(input: CreatePaypalOrderInput): Promise<z.infer<typeof CreatePaypalOrderResponseSchema>>;
}
