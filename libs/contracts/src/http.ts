import { z } from 'zod';
import { MAX_CART_LINES, MAX_LINE_QUANTITY } from './limits';
import { MoneySchema } from './money';

/** Identifiers end up in DynamoDB keys and Step Functions execution names: keep them plain. */
const identifier = (what: string) =>
  z
    .string()
    .min(1, `${what} must not be empty`)
    .max(64, `${what} must be at most 64 characters`)
    .regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, `${what} may contain only letters, digits, '-' and '_'`);

export const CustomerIdSchema = identifier('customerId');
export const ProductIdSchema = identifier('productId');
export const OrderIdSchema = z
  .string()
  .regex(/^ord_[0-9A-Za-z]{10,40}$/, 'orderId must look like ord_...');

export { MAX_CART_LINES, MAX_LINE_QUANTITY } from './limits';

export const CartLineSchema = z.strictObject({
  productId: ProductIdSchema,
  quantity: z
    .number()
    .int('quantity must be a whole number')
    .min(1, 'quantity must be at least 1')
    .max(MAX_LINE_QUANTITY, `quantity must be at most ${MAX_LINE_QUANTITY}`),
});
export type CartLine = z.infer<typeof CartLineSchema>;

export const PAYMENT_METHODS = ['card', 'apple_pay', 'paypal'] as const;
export const PaymentMethodSchema = z.enum(PAYMENT_METHODS);
export type PaymentMethod = z.infer<typeof PaymentMethodSchema>;

const stripePaymentMethodId = z
  .string()
  .regex(/^pm_[A-Za-z0-9_]{1,200}$/, 'paymentMethodId must be a Stripe PaymentMethod id (pm_...)');

export const PaymentInputSchema = z.discriminatedUnion('method', [
  z.strictObject({ method: z.literal('card'), paymentMethodId: stripePaymentMethodId }),
  // Apple Pay is a card wallet in Stripe: the storefront turns the Apple Pay token into a PaymentMethod.
  z.strictObject({ method: z.literal('apple_pay'), paymentMethodId: stripePaymentMethodId }),
  z.strictObject({
    method: z.literal('paypal'),
    paypalOrderId: z.string().regex(/^[A-Z0-9]{5,40}$/, 'paypalOrderId must be a PayPal order id'),
  }),
]);
export type PaymentInput = z.infer<typeof PaymentInputSchema>;

/**
 * The per-line cap holds for a product's total: a cart naming one product on several lines may
 * not order more of it than one line could. JSON Schema cannot say this (API Gateway's model
 * lets it through); zod and the workflow's own check do (`overCappedProducts`).
 */
export function overCappedProducts(items: readonly { productId: string; quantity: number }[]): string[] {
  const totals = new Map<string, { lines: number; total: number }>();
  for (const line of items) {
    const seen = totals.get(line.productId) ?? { lines: 0, total: 0 };
    totals.set(line.productId, { lines: seen.lines + 1, total: seen.total + line.quantity });
  }
  // A single line over the cap is that line's own error (its quantity), not this one.
  return [...totals].filter(([, t]) => t.lines > 1 && t.total > MAX_LINE_QUANTITY).map(([productId]) => productId);
}

export const CartItemsSchema = z
  .array(CartLineSchema)
  .min(1, 'the cart must hold at least one item')
  .max(MAX_CART_LINES, `the cart may hold at most ${MAX_CART_LINES} lines`)
  .superRefine((items, context) => {
    for (const productId of overCappedProducts(items)) {
      context.addIssue({ code: 'custom', message: `at most ${MAX_LINE_QUANTITY} of ${productId} in all`, path: [] });
    }
  });

/**
 * Body of POST /orders. The customer is the authenticated caller (the token's `sub`):
 * `customerId` may be left out, and one that names someone else is refused (403).
 */
export const CheckoutRequestSchema = z.strictObject({
  customerId: CustomerIdSchema.optional(),
  items: CartItemsSchema,
  payment: PaymentInputSchema,
});
export type CheckoutRequest = z.infer<typeof CheckoutRequestSchema>;

/**
 * The Idempotency-Key header: printable ASCII, as Stripe and the IETF draft use it, without
 * commas — a header sent twice arrives folded into one value with a comma, and one key is all a
 * request may carry.
 */
export const IdempotencyKeySchema = z
  .string()
  .min(1)
  .max(255, 'Idempotency-Key must be at most 255 characters')
  .regex(/^[\x21-\x2B\x2D-\x7E]+$/, 'Idempotency-Key must be one key of printable ASCII, without spaces or commas');

export const OrderLineSchema = z.object({
  productId: ProductIdSchema,
  name: z.string(),
  quantity: z.number().int().min(1),
  unitPrice: MoneySchema,
  lineTotal: MoneySchema,
});
export type OrderLine = z.infer<typeof OrderLineSchema>;

export const PAYMENT_STATUSES = ['AUTHORIZED', 'CAPTURED', 'VOIDED', 'REFUNDED'] as const;
export const PaymentStatusSchema = z.enum(PAYMENT_STATUSES);
export type PaymentStatus = z.infer<typeof PaymentStatusSchema>;

/** CANCELLED: the checkout saved the order, then failed (e.g. capture) and compensated. */
export const ORDER_STATUSES = ['CONFIRMED', 'CANCELLED'] as const;

/** An order as the API returns it (POST /orders 201, GET /orders/{id}). */
export const OrderSchema = z.object({
  orderId: OrderIdSchema,
  customerId: CustomerIdSchema,
  status: z.enum(ORDER_STATUSES),
  items: z.array(OrderLineSchema).min(1),
  total: MoneySchema,
  payment: z.object({
    method: PaymentMethodSchema,
    status: PaymentStatusSchema,
  }),
  createdAt: z.iso.datetime(),
});
export type Order = z.infer<typeof OrderSchema>;

export const ProductSchema = z.object({
  productId: ProductIdSchema,
  name: z.string().min(1),
  description: z.string().optional(),
  price: MoneySchema,
  available: z.number().int().min(0),
});
export type Product = z.infer<typeof ProductSchema>;

export const ProductPageSchema = z.object({
  items: z.array(ProductSchema),
  nextToken: z.string().nullable(),
});
export type ProductPage = z.infer<typeof ProductPageSchema>;

export const OrderPageSchema = z.object({
  items: z.array(OrderSchema),
  nextToken: z.string().nullable(),
});
export type OrderPage = z.infer<typeof OrderPageSchema>;

/** Query string of the paginated GETs. */
export const PageQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  nextToken: z.string().min(1).max(2048).optional(),
});
export type PageQuery = z.infer<typeof PageQuerySchema>;

/** POST /paypal/orders: a storefront asks for a PayPal order for the cart, for the buyer to approve. */
export const CreatePaypalOrderRequestSchema = z.strictObject({
  customerId: CustomerIdSchema.optional(),
  items: CartItemsSchema,
});
export type CreatePaypalOrderRequest = z.infer<typeof CreatePaypalOrderRequestSchema>;

export const CreatePaypalOrderResponseSchema = z.object({
  paypalOrderId: z.string(),
  status: z.string(),
  total: MoneySchema,
  approveUrl: z.string().nullable(),
});
export type CreatePaypalOrderResponse = z.infer<typeof CreatePaypalOrderResponseSchema>;

export const ErrorDetailSchema = z.object({
  path: z.string(),
  message: z.string(),
});
export type ErrorDetail = z.infer<typeof ErrorDetailSchema>;

export const ErrorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(ErrorDetailSchema).optional(),
    declineCode: z.string().optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;
