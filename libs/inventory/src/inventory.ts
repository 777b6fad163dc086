import {
  MAX_CART_LINES,
  MAX_LINE_QUANTITY,
  OrderIdSchema,
  ProductIdSchema,
  ProductNotFoundError,
  UnknownProductError,
  ValidationError,
  zodIssuesToDetails,
} from '@orderflow/contracts';
import { z } from 'zod';
import { OutOfStockError, ReservationMismatchError, ReservationReleasedError, type StockShortage } from './errors';
import type { InventoryRepository, Reservation, StockLevel } from './inventory-repository';

/** A line to reserve. Merged cart lines may exceed one cart line's maximum quantity. */
export const ReservationLineSchema = z.strictObject({
  productId: ProductIdSchema,
  quantity: z
    .number()
    .int('quantity must be a whole number')
    .min(1, 'quantity must be at least 1')
    .max(MAX_CART_LINES * MAX_LINE_QUANTITY),
});
export type ReservationLine = z.infer<typeof ReservationLineSchema>;

export interface LineReservation {
  orderId: string;
  productId: string;
  quantity: number;
  /** True when the order already held this reservation (a retry): stock was not decremented again. */
  alreadyReserved: boolean;
}

export interface OrderReservation {
  orderId: string;
  lines: LineReservation[];
}

export interface ReleaseResult {
  orderId: string;
  /** Reservations this call gave back to stock. */
  released: { productId: string; quantity: number }[];
  /** Reservations an earlier (or concurrent) release had already given back. */
  alreadyReleased: { productId: string; quantity: number }[];
}

function parseOrderId(orderId: string): string {
  const parsed = OrderIdSchema.safeParse(orderId);
  if (!parsed.success) throw ValidationError.fromZod(parsed.error, 'The order id is not valid.');
  return parsed.data;
}

function parseLine(line: ReservationLine, path: (string | number)[] = []): ReservationLine {
  const parsed = ReservationLineSchema.safeParse(line);
  if (!parsed.success) {
    throw new ValidationError(
      'The reservation line is not valid.',
      zodIssuesToDetails(parsed.error.issues.map((issue) => ({ ...issue, path: [...path, ...issue.path] }))),
    );
  }
  return parsed.data;
}

/**
 * Reserves one line for an order: one DynamoDB transaction that decrements the stock (if at
 * least `quantity` is available) and records the reservation. Safe to retry: if the order
 * already holds this reservation, nothing is decremented and `alreadyReserved` is true.
 * The checkout workflow's Map calls this once per line.
 *
 * Throws OutOfStockError (409), UnknownProductError (422, no stock item for the product),
 * ReservationReleasedError (the order was released: release is final),
 * ReservationMismatchError (the order holds this product with another quantity), or
 * ValidationError for a bad order id or line. None of them changes anything.
 */
export async function reserveLine(
  inventory: InventoryRepository,
  orderId: string,
  line: ReservationLine,
): Promise<LineReservation> {
  const id = parseOrderId(orderId);
  const { productId, quantity } = parseLine(line);
  const attempt = await inventory.reserveLine(id, { productId, quantity });
  switch (attempt.outcome) {
    case 'reserved':
      return { orderId: id, productId, quantity, alreadyReserved: false };
    case 'already-reserved':
      if (attempt.reservation.quantity !== quantity) {
        throw new ReservationMismatchError(id, productId, attempt.reservation.quantity, quantity);
      }
      return { orderId: id, productId, quantity, alreadyReserved: true };
    case 'out-of-stock':
      throw new OutOfStockError({ productId, requested: quantity, available: attempt.available });
    case 'unknown-product':
      throw new UnknownProductError([productId]);
    case 'order-released':
      throw new ReservationReleasedError(id, productId);
  }
}

/**
 * Reserves every line of an order, one transaction per line (lines of the same product are
 * merged first). Not atomic across lines: when some lines fail, those that succeeded stay
 * reserved and the error is thrown; the caller either retries (idempotent) or compensates
 * with `release(orderId)`, as the checkout saga does. Failures are reported together: all
 * unknown products in one UnknownProductError, else all shortages in one OutOfStockError;
 * any other error (e.g. DynamoDB unavailable) is thrown as it is.
 */
export async function reserve(
  inventory: InventoryRepository,
  orderId: string,
  lines: readonly ReservationLine[],
): Promise<OrderReservation> {
  const id = parseOrderId(orderId);
  if (lines.length === 0) {
    throw new ValidationError('The order has no lines to reserve.', [{ path: 'items', message: 'must hold at least one line' }]);
  }
  const merged = new Map<string, number>();
  lines.forEach((line, index) => {
    const { productId, quantity } = parseLine(line, ['items', index]);
    merged.set(productId, (merged.get(productId) ?? 0) + quantity);
  });

  const settled = await Promise.allSettled(
    [...merged].map(([productId, quantity]) => reserveLine(inventory, id, { productId, quantity })),
  );
  const reserved: LineReservation[] = [];
  const unknown: string[] = [];
  const shortages: StockShortage[] = [];
  let other: unknown;
  for (const result of settled) {
    if (result.status === 'fulfilled') reserved.push(result.value);
    else if (result.reason instanceof UnknownProductError) unknown.push(...result.reason.productIds);
    else if (result.reason instanceof OutOfStockError) shortages.push(...result.reason.shortages);
    else other ??= result.reason;
  }
  if (other !== undefined) throw other;
  if (unknown.length > 0) throw new UnknownProductError(unknown);
  if (shortages.length > 0) throw new OutOfStockError(shortages);
  return { orderId: id, lines: reserved };
}

/**
 * Gives back exactly what the order reserved, and closes the order to new reservations.
 * First a release marker is written (from then on any reservation for the order fails with
 * ReservationReleasedError, so a late or retried reserve cannot leak stock); then each
 * RESERVED record is released in its own transaction (stock incremented, record marked
 * RELEASED under a condition). Safe to call twice and concurrently: each reservation is
 * given back once. Releasing an order that reserved nothing is fine.
 */
export async function release(inventory: InventoryRepository, orderId: string): Promise<ReleaseResult> {
  const id = parseOrderId(orderId);
  await inventory.markOrderReleased(id);
  const reservations = await inventory.listReservations(id);
  const outcomes = await Promise.all(
    reservations.map(async (r) => ({
      reservation: r,
      outcome: r.status === 'RELEASED' ? ('already-released' as const) : await inventory.releaseReservation(r),
    })),
  );
  const line = (r: Reservation) => ({ productId: r.productId, quantity: r.quantity });
  return {
    orderId: id,
    released: outcomes.filter((o) => o.outcome === 'released').map((o) => line(o.reservation)),
    alreadyReleased: outcomes.filter((o) => o.outcome === 'already-released').map((o) => line(o.reservation)),
  };
}

/** The order's reservation records, RESERVED and RELEASED. */
export async function listReservations(inventory: InventoryRepository, orderId: string): Promise<Reservation[]> {
  return inventory.listReservations(parseOrderId(orderId));
}

/** The product's available stock; ProductNotFoundError (404) when it has no stock item. */
export async function getStock(inventory: InventoryRepository, productId: string): Promise<StockLevel> {
  if (!ProductIdSchema.safeParse(productId).success) throw new ProductNotFoundError(productId);
  const stock = await inventory.getStock(productId);
  if (!stock) throw new ProductNotFoundError(productId);
  return stock;
}

