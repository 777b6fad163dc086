import { z } from 'zod';
import {
  CartLineSchema,
  CustomerIdSchema,
  OrderIdSchema,
  OrderLineSchema,
  OrderSchema,
  PaymentInputSchema,
  PaymentMethodSchema,
  PaymentStatusSchema,
  ProductIdSchema,
} from './http';
import { CurrencySchema, MoneySchema } from './money';

/**
 * Input of the checkout state machine. API Gateway's request template and the local
 * gateway build it the same way: the raw body (validated again inside the workflow,
 * because StartSyncExecution can be called directly), the Idempotency-Key header and,
 * once an authorizer is configured, the authenticated customer.
 */
export const CheckoutWorkflowInputSchema = z.object({
  body: z.unknown(),
  idempotencyKey: z.string().nullable(),
  authorizedCustomerId: z.string().nullable(),
  requestId: z.string(),
  /**
   * Set by recover-checkouts only: resume the checkout that claimed this key (the claim key it
   * recorded; a checkout without an Idempotency-Key claims under its execution name).
   */
  recovery: z.object({ claimKey: z.string().min(1) }).optional(),
});
export type CheckoutWorkflowInput = z.infer<typeof CheckoutWorkflowInputSchema>;

/**
 * Output of the checkout state machine: the HTTP answer, mapped by the response templates.
 * `body` is the JSON text of the response body (as in a Lambda proxy response), because
 * API Gateway's mapping templates can copy a string but cannot serialize an object.
 */
export const CheckoutWorkflowOutputSchema = z.object({
  statusCode: z.number().int().min(200).max(599),
  headers: z.record(z.string(), z.string()).default({}),
  body: z.string(),
});
export type CheckoutWorkflowOutput = z.infer<typeof CheckoutWorkflowOutputSchema>;

// ---------------------------------------------------------------------------------------
// Payloads between the checkout workflow and its Lambda tasks. The state machine builds
// them (libs/order-workflow); the handlers (apps/api) parse them with these schemas.

/** Carried by every task payload, so handler logs correlate with the execution. */
export const TaskCorrelationSchema = z.object({
  executionName: z.string(),
  requestId: z.string(),
});
export type TaskCorrelation = z.infer<typeof TaskCorrelationSchema>;

export const PAYMENT_PROVIDERS = ['stripe', 'paypal'] as const;
export const PaymentProviderSchema = z.enum(PAYMENT_PROVIDERS);

/** A payment the workflow holds after authorizing it: what capture, void and refund need. */
export const WorkflowPaymentSchema = z.object({
  method: PaymentMethodSchema,
  provider: PaymentProviderSchema,
  /** The provider's id of the authorization (Stripe PaymentIntent, PayPal authorization). */
  authorizationId: z.string().min(1),
  /** The provider's id of the capture, once captured: what a refund acts on. */
  captureId: z.string().min(1).optional(),
  status: PaymentStatusSchema,
});
export type WorkflowPayment = z.infer<typeof WorkflowPaymentSchema>;

/**
 * What price-cart does with the order's quote (`keys.orderQuote`): `none` only prices;
 * `keep` also keeps the quote (a checkout with an Idempotency-Key, which another execution
 * may resume); `resume` answers the kept quote when there is one (an execution that took
 * the key over: the order keeps the price first quoted), else prices and keeps.
 */
export const QUOTE_MODES = ['none', 'keep', 'resume'] as const;
export type QuoteMode = (typeof QUOTE_MODES)[number];

export const PriceCartTaskInputSchema = z.object({
  orderId: OrderIdSchema,
  customerId: CustomerIdSchema,
  items: z.array(CartLineSchema).min(1),
  quote: z.enum(QUOTE_MODES).default('none'),
  correlation: TaskCorrelationSchema,
});
export type PriceCartTaskInput = z.infer<typeof PriceCartTaskInputSchema>;

export const PricedCartSchema = z.object({
  lines: z.array(OrderLineSchema).min(1),
  total: MoneySchema,
  currency: CurrencySchema,
});
export type PricedCartResult = z.infer<typeof PricedCartSchema>;

export const ReserveLineTaskInputSchema = z.object({
  orderId: OrderIdSchema,
  productId: ProductIdSchema,
  quantity: z.number().int().min(1),
  correlation: TaskCorrelationSchema,
});
export type ReserveLineTaskInput = z.infer<typeof ReserveLineTaskInputSchema>;

export const ReleaseReservationsTaskInputSchema = z.object({
  orderId: OrderIdSchema,
  correlation: TaskCorrelationSchema,
});
export type ReleaseReservationsTaskInput = z.infer<typeof ReleaseReservationsTaskInputSchema>;

export const AuthorizePaymentTaskInputSchema = z.object({
  orderId: OrderIdSchema,
  customerId: CustomerIdSchema,
  payment: PaymentInputSchema,
  amount: MoneySchema,
  correlation: TaskCorrelationSchema,
});
export type AuthorizePaymentTaskInput = z.infer<typeof AuthorizePaymentTaskInputSchema>;

/** Capture, void and refund: the authorized payment and the order's total. */
export const PaymentTaskInputSchema = z.object({
  orderId: OrderIdSchema,
  payment: WorkflowPaymentSchema,
  amount: MoneySchema,
  correlation: TaskCorrelationSchema,
});
export type PaymentTaskInput = z.infer<typeof PaymentTaskInputSchema>;

/**
 * Void: the authorized payment (a PaymentTaskInput), or — when authorization failed in a way
 * that does not tell whether the provider authorized (timeouts, lost answers) — the authorize
 * request itself, replayed under its provider idempotency key to find what to void.
 */
export const VoidUncertainPaymentTaskInputSchema = z.object({
  orderId: OrderIdSchema,
  authorize: z.object({ customerId: CustomerIdSchema, payment: PaymentInputSchema, amount: MoneySchema }),
  correlation: TaskCorrelationSchema,
});
export const VoidPaymentTaskInputSchema = z.union([PaymentTaskInputSchema, VoidUncertainPaymentTaskInputSchema]);
export type VoidPaymentTaskInput = z.infer<typeof VoidPaymentTaskInputSchema>;

export const SaveOrderTaskInputSchema = z.object({
  order: OrderSchema,
  payment: WorkflowPaymentSchema,
  correlation: TaskCorrelationSchema,
});
export type SaveOrderTaskInput = z.infer<typeof SaveOrderTaskInputSchema>;

/** Records a change of a saved order: the payment captured, or the order cancelled by compensation. */
export const UpdateOrderTaskInputSchema = z.object({
  orderId: OrderIdSchema,
  paymentStatus: PaymentStatusSchema,
  cancelled: z.boolean().default(false),
  correlation: TaskCorrelationSchema,
});
export type UpdateOrderTaskInput = z.infer<typeof UpdateOrderTaskInputSchema>;
