export type ReservationStatus = 'RESERVED' | 'RELEASED';

/** A reservation record: `ORDER#<orderId>` / `RESERVATION#<productId>`. */
export interface Reservation {
  orderId: string;
  productId: string;
  quantity: number;
  status: ReservationStatus;
  reservedAt: string;
  releasedAt?: string;
}

export interface StockLevel {
  productId: string;
  available: number;
}

/** What one reservation transaction found; the use cases turn it into a result or an error. */
export type ReserveAttempt =
  | { outcome: 'reserved'; reservation: Reservation }
  /** The order already holds this reservation (a retry): nothing was decremented. */
  | { outcome: 'already-reserved'; reservation: Reservation }
  | { outcome: 'out-of-stock'; available: number }
  /** There is no stock item for the product. */
  | { outcome: 'unknown-product' }
  /** The order's reservations were released; nothing may be reserved for it any more. */
  | { outcome: 'order-released' };

export type ReleaseAttempt = 'released' | 'already-released';

/**
 * The inventory's port. Use cases (`reserveLine`, `reserve`, `release`, `getStock`) take it
 * as an argument; `DynamoDbInventoryRepository` is the adapter, `InMemoryInventoryRepository`
 * a test double.
 */
export interface InventoryRepository {
  /**
   * Atomically: decrement the product's stock by `quantity` if at least that much is
   * available, and create the reservation record if it does not exist, unless the order was
   * released. All or nothing.
   */
  reserveLine(orderId: string, line: { productId: string; quantity: number }): Promise<ReserveAttempt>;
  /** Every reservation record of the order (strongly consistent). */
  listReservations(orderId: string): Promise<Reservation[]>;
  /** Records that the order is released, so no reservation can be made for it afterwards. Idempotent. */
  markOrderReleased(orderId: string): Promise<void>;
  /** Atomically: give the reservation's quantity back to stock and mark it released, once. */
  releaseReservation(reservation: Reservation): Promise<ReleaseAttempt>;
  getStock(productId: string): Promise<StockLevel | undefined>;
}
