import { OrderNotFoundError } from '@orderflow/contracts';
import { getOrder } from '@orderflow/orders';
import { caller, httpRoute, ok, pathParameter } from '../http';
import { orders } from '../wiring/orders';

/** GET /orders/{orderId}: the caller's own order (any for operators); another customer's is 404 ORDER_NOT_FOUND. */
export const handler = httpRoute('GET /orders/{orderId}', async (event) => {
  const orderId = pathParameter(event, 'orderId');
  const principal = caller(event);
  const order = await getOrder(orders(), orderId);
  // Existence is not revealed: another customer's order does not exist for this caller.
  if (principal && !principal.operator && order.customerId !== principal.customerId) throw new OrderNotFoundError(orderId);
  return ok(order);
});
