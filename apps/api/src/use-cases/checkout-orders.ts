import { type Order, OrderNotFoundError, type SaveOrderTaskInput, type UpdateOrderTaskInput } from '@orderflow/contracts';
import { type OrderRepository, saveOrder, updateOrder } from '@orderflow/orders';

/** Step 6: save the order (CONFIRMED, payment AUTHORIZED) with the provider's reference. */
export async function saveCheckoutOrder(orders: OrderRepository, input: Pick<SaveOrderTaskInput, 'order' | 'payment'>): Promise<Order> {
  const result = await saveOrder(orders, input.order, {
    paymentReference: { provider: input.payment.provider, reference: input.payment.authorizationId },
  });
  return result.order;
}

/** After the capture: the order's payment is CAPTURED. */
export async function recordCheckoutCapture(orders: OrderRepository, input: Pick<UpdateOrderTaskInput, 'orderId'>): Promise<Order> {
  return updateOrder(orders, input.orderId, { paymentStatus: 'CAPTURED' });
}

export type CancelResult = { cancelled: true; order: Order } | { cancelled: false; reason: 'not-saved' };

/**
 * Compensation: mark a saved order CANCELLED with what happened to its payment. The save
 * may have failed before writing anything; then there is nothing to cancel.
 */
export async function cancelCheckoutOrder(
  orders: OrderRepository,
  input: Pick<UpdateOrderTaskInput, 'orderId' | 'paymentStatus'>,
): Promise<CancelResult> {
  try {
    const order = await updateOrder(orders, input.orderId, { paymentStatus: input.paymentStatus, cancelled: true });
    return { cancelled: true, order };
  } catch (error) {
    if (error instanceof OrderNotFoundError) return { cancelled: false, reason: 'not-saved' };
    throw error;
  }
}
