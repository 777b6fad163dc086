import {
  CustomerIdSchema,
  type Order,
  OrderIdSchema,
  OrderNotFoundError,
  type OrderPage,
  OrderSchema,
  type PaymentStatus,
  PaymentStatusSchema,
  ValidationError,
} from '@orderflow/contracts';
import { z } from 'zod';
import { OrderConflictError, OrderUpdateRejectedError } from './errors';
import type { OrderRecord, OrderRepository, PaymentReference } from './order-repository';

export interface SaveOrderOptions {
  /** The provider's payment reference, kept with the order for a later capture, void or refund. */
  paymentReference?: PaymentReference;
}

export interface SaveOrderResult {
  /** The order as stored. */
  order: Order;
  /** False when this exact order was already saved (a retry): nothing was written. */
  created: boolean;
}

/**
 * The parts of an order a retry must repeat exactly. `status` and `payment.status` are left
 * out: they move on after the save (capture, cancel), and a late retry of the save is still
 * the same order.
 */
function immutablePart(record: OrderRecord): string {
  const { status: _status, payment, ...rest } = record.order;
  return canonicalJson({ ...rest, paymentMethod: payment.method, paymentReference: record.paymentReference ?? null });
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Saves a new order with a conditional put: an order id is never overwritten. Saving the
 * same order again (a retried workflow task) is an idempotent success (`created: false`);
 * a different order under the same id is an OrderConflictError and changes nothing.
 * `createdAt` must come from the caller's input (e.g. the checkout's start), not be stamped
 * per attempt, or a retry would not be the same order.
 */
export async function saveOrder(orders: OrderRepository, order: Order, options: SaveOrderOptions = {}): Promise<SaveOrderResult> {
  const parsed = OrderSchema.safeParse(order);
  if (!parsed.success) throw ValidationError.fromZod(parsed.error, 'The order is not valid.');
  const record: OrderRecord = {
    order: parsed.data,
    ...(options.paymentReference ? { paymentReference: options.paymentReference } : {}),
  };
  const attempt = await orders.create(record);
  if (attempt.created) return { order: parsed.data, created: true };
  if (immutablePart(attempt.existing) !== immutablePart(record)) throw new OrderConflictError(parsed.data.orderId);
  return { order: attempt.existing.order, created: false };
}

/** One order; OrderNotFoundError (404) when there is none (also for ids that cannot exist). */
export async function getOrder(orders: OrderRepository, orderId: string): Promise<Order> {
  return (await getOrderRecord(orders, orderId)).order;
}

/** The stored order with its payment reference; OrderNotFoundError when there is none. */
export async function getOrderRecord(orders: OrderRepository, orderId: string): Promise<OrderRecord> {
  if (!OrderIdSchema.safeParse(orderId).success) throw new OrderNotFoundError(orderId);
  const record = await orders.get(orderId);
  if (!record) throw new OrderNotFoundError(orderId);
  return record;
}

export const DEFAULT_PAGE_LIMIT = 20;
export const MAX_PAGE_LIMIT = 100;

const ListQuerySchema = z.object({
  customerId: CustomerIdSchema,
  limit: z.number().int('limit must be a whole number').min(1).max(MAX_PAGE_LIMIT).default(DEFAULT_PAGE_LIMIT),
  nextToken: z.string().min(1).max(2048).optional(),
});

/**
 * One page of a customer's orders, newest first (`GET /customers/{id}/orders`). Pass the
 * page's `nextToken` back for the next one; it is null on the last page. A token of another
 * list (or another customer's) is a ValidationError.
 */
export async function listCustomerOrders(
  orders: OrderRepository,
  customerId: string,
  query: { limit?: number | undefined; nextToken?: string | undefined } = {},
): Promise<OrderPage> {
  const parsed = ListQuerySchema.safeParse({ customerId, ...query });
  if (!parsed.success) throw ValidationError.fromZod(parsed.error, 'The page query is not valid.');
  const { limit, nextToken } = parsed.data;
  const page = await orders.listByCustomer(parsed.data.customerId, { limit, nextToken });
  return { items: page.orders, nextToken: page.nextToken };
}

/** Payment statuses each status may be reached from (besides itself, which is a repeat). */
const PAYMENT_TRANSITIONS: Record<PaymentStatus, readonly PaymentStatus[]> = {
  AUTHORIZED: [],
  CAPTURED: ['AUTHORIZED'],
  VOIDED: ['AUTHORIZED'],
  REFUNDED: ['CAPTURED'],
};

/**
 * Further moves allowed only when compensation cancels the order: the provider captured
 * but recording the capture failed, so the order still says AUTHORIZED when the refund
 * comes. Refusing would leave a CONFIRMED, AUTHORIZED order whose money was given back.
 */
const CANCELLATION_TRANSITIONS: Partial<Record<PaymentStatus, readonly PaymentStatus[]>> = {
  REFUNDED: ['AUTHORIZED'],
};

const UpdateOrderSchema = z.object({
  paymentStatus: PaymentStatusSchema,
  cancelled: z.boolean().default(false),
});

/**
 * Records what happened to a saved order's payment (AUTHORIZED → CAPTURED | VOIDED,
 * CAPTURED → REFUNDED) and, with `cancelled`, that compensation cancelled the order (which
 * may also refund a capture never recorded: AUTHORIZED → REFUNDED).
 * Repeating an update that was applied is a success. OrderNotFoundError when there is no
 * order; OrderUpdateRejectedError for a change its state does not allow (nothing changes).
 */
export async function updateOrder(
  orders: OrderRepository,
  orderId: string,
  change: { paymentStatus: PaymentStatus; cancelled?: boolean | undefined },
): Promise<Order> {
  if (!OrderIdSchema.safeParse(orderId).success) throw new OrderNotFoundError(orderId);
  const parsed = UpdateOrderSchema.safeParse(change);
  if (!parsed.success) throw ValidationError.fromZod(parsed.error, 'The order update is not valid.');
  const { paymentStatus, cancelled } = parsed.data;
  const attempt = await orders.update(orderId, {
    paymentStatus,
    allowedFrom: [
      paymentStatus,
      ...PAYMENT_TRANSITIONS[paymentStatus],
      ...(cancelled ? (CANCELLATION_TRANSITIONS[paymentStatus] ?? []) : []),
    ],
    ...(cancelled ? { status: 'CANCELLED' as const } : {}),
  });
  if (attempt.updated) return attempt.record.order;
  if (!attempt.current) throw new OrderNotFoundError(orderId);
  throw new OrderUpdateRejectedError(orderId, attempt.current.order.payment.status, paymentStatus);
}
