import { OrderflowError, PageQuerySchema } from '@orderflow/contracts';
import { listCustomerOrders } from '@orderflow/orders';
import { caller, httpRoute, ok, parseQuery, pathParameter } from '../http';
import { orders } from '../wiring/orders';

/** The caller asked for another customer's orders and is no operator. */
export class ForeignCustomerError extends OrderflowError {
  override name = 'ForeignCustomerError';
  constructor() {
    super('FORBIDDEN', 'You may read only your own orders.');
  }
}

/** GET /customers/{customerId}/orders: newest first, paginated — for operators, or the customer itself (403 otherwise). */
export const handler = httpRoute('GET /customers/{customerId}/orders', async (event) => {
  const customerId = pathParameter(event, 'customerId');
  const principal = caller(event);
  if (principal && !principal.operator && principal.customerId !== customerId) throw new ForeignCustomerError();
  const query = parseQuery(event, PageQuerySchema);
  return ok(await listCustomerOrders(orders(), customerId, query));
});
