import { errorBody, type ErrorBody, OrderflowError } from '@orderflow/contracts';

export interface StockShortage {
  productId: string;
  requested: number;
  available: number;
}

/**
 * Not enough stock (409 OUT_OF_STOCK). The message and the details name each product with
 * the requested and the available quantity; the workflow sees the message in the task's
 * error cause, so it carries everything.
 */
export class OutOfStockError extends OrderflowError {
  override name = 'OutOfStockError';
  readonly shortages: StockShortage[];

  constructor(shortages: StockShortage | StockShortage[]) {
    const list = Array.isArray(shortages) ? shortages : [shortages];
    const describe = (s: StockShortage) => `${s.productId} (requested ${s.requested}, available ${s.available})`;
    super(
      'OUT_OF_STOCK',
      `Not enough stock for ${list.map(describe).join(', ')}.`,
      list.map((s) => ({ path: 'items', message: `${s.productId}: requested ${s.requested}, available ${s.available}` })),
    );
    this.shortages = list;
  }

  /** The first (usually only) product short of stock. */
  get productId(): string {
    return this.shortages[0]?.productId ?? '';
  }
  get requested(): number {
    return this.shortages[0]?.requested ?? 0;
  }
  get available(): number {
    return this.shortages[0]?.available ?? 0;
  }
}

/** Errors that mean a bug or bad data, never the client's fault: the body stays generic. */
abstract class InternalInventoryError extends OrderflowError {
  constructor(message: string) {
    super('INTERNAL', message);
  }

  override toBody(): ErrorBody {
    return errorBody('INTERNAL');
  }
}

/**
 * A reservation was asked for an order whose reservations were released. Release is final:
 * a late or retried reservation after compensation must not take stock nobody will give
 * back. Nothing changed.
 */
export class ReservationReleasedError extends InternalInventoryError {
  override name = 'ReservationReleasedError';
  constructor(
    readonly orderId: string,
    readonly productId: string,
  ) {
    super(`The reservations of order ${orderId} were released; ${productId} cannot be reserved for it again.`);
  }
}

/** The order already holds a reservation of this product, for another quantity. Nothing changed. */
export class ReservationMismatchError extends InternalInventoryError {
  override name = 'ReservationMismatchError';
  constructor(
    readonly orderId: string,
    readonly productId: string,
    readonly reserved: number,
    readonly requested: number,
  ) {
    super(`Order ${orderId} already reserved ${reserved} of ${productId}; a reservation of ${requested} cannot replace it.`);
  }
}

/** A stored inventory item does not match its schema. */
export class InventoryRecordInvalidError extends InternalInventoryError {
  override name = 'InventoryRecordInvalidError';
  constructor(key: { PK: string; SK: string }, problem: string) {
    super(`Inventory item ${key.PK}/${key.SK} is not valid: ${problem}`);
  }
}
