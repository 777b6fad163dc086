import { OrderNotFoundError } from '@orderflow/contracts';
import { getOrder } from '@orderflow/orders';
import { authorizedCustomer, httpRoute, ok, pathParameter } from '../http';
import { orders } from '../wiring/orders';

/** GET /orders/{orderId}: 200 order, 404 ORDER_NOT_FOUND (also for another customer's order). */
export const handler = httpRoute('GET /orders/{orderId}', async (event) => {
  const orderId = pathParameter(event, 'orderId');
  const order = await getOrder(orders(), orderId);
  const customer = authorizedCustomer(event);
  // With an authorizer, another customer's order does not exist for this caller.
  if (customer !== undefined && order.customerId !== customer) throw new OrderNotFoundError(orderId);
  return ok(order);
});
