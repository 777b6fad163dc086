import { OrderflowError, PageQuerySchema } from '@orderflow/contracts';
import { listCustomerOrders } from '@orderflow/orders';
import { authorizedCustomer, httpRoute, ok, parseQuery, pathParameter } from '../http';
import { orders } from '../wiring/orders';

/** The caller asked for another customer's orders. */
export class ForeignCustomerError extends OrderflowError {
  override name = 'ForeignCustomerError';
  constructor() {
    super('FORBIDDEN', "You may read only your own orders.");
  }
}

/** GET /customers/{customerId}/orders: newest first, paginated. */
export const handler = httpRoute('GET /customers/{customerId}/orders', async (event) => {
  const customerId = pathParameter(event, 'customerId');
  const customer = authorizedCustomer(event);
  if (customer !== undefined && customer !== customerId) throw new ForeignCustomerError();
  const query = parseQuery(event, PageQuerySchema);
  return ok(await listCustomerOrders(orders(), customerId, query));
});
