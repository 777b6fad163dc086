import { PageQuerySchema } from '@orderflow/contracts';
import { listCustomerOrders } from '@orderflow/orders';
import { httpRoute, ok, parseQuery, signedInCaller } from '../http';
import { orders } from '../wiring/orders';

/** GET /me/orders: the signed-in caller's orders, newest first, paginated. */
export const handler = httpRoute('GET /me/orders', async (event) => {
  const { customerId } = signedInCaller(event);
  const query = parseQuery(event, PageQuerySchema);
  return ok(await listCustomerOrders(orders(), customerId, query));
});
