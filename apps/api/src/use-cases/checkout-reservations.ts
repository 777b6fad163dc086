import { OrderflowError } from '@orderflow/contracts';
import { type InventoryRepository, release, type ReleaseResult } from '@orderflow/inventory';
import type { OrderRepository } from '@orderflow/orders';

/** Compensation was asked to give back the stock of an order that was placed and paid: a bug, refused. */
export class ConfirmedOrderReleaseError extends OrderflowError {
  override name = 'ConfirmedOrderReleaseError';
  constructor(readonly orderId: string) {
    super('INTERNAL', `Order ${orderId} is CONFIRMED and captured: its stock is not released.`);
  }
}

/**
 * Compensation (and the sweep of unfinished ones): give back exactly what the order reserved,
 * and close it to new reservations — never for an order that is CONFIRMED with its payment
 * captured, whose stock is sold. A release that finds such an order changes nothing.
 */
export async function releaseCheckoutReservations(
  inventory: InventoryRepository,
  orders: OrderRepository,
  orderId: string,
): Promise<ReleaseResult> {
  const record = await orders.get(orderId);
  if (record?.order.status === 'CONFIRMED' && record.order.payment.status === 'CAPTURED') throw new ConfirmedOrderReleaseError(orderId);
  return release(inventory, orderId);
}
