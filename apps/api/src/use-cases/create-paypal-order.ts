import { type CatalogRepository, priceCart } from '@orderflow/catalog';
import type { CreatePaypalOrderRequest, CreatePaypalOrderResponse } from '@orderflow/contracts';
import type { PaypalOrderGateway } from '@orderflow/payments';

/**
 * POST /paypal/orders: a PayPal order for the cart's server-computed total, for the buyer to
 * approve; the storefront then checks out with its id. With an Idempotency-Key the creation
 * is idempotent, scoped to the customer.
 */
export async function createPaypalOrderForCart(
  catalog: CatalogRepository,
  paypal: PaypalOrderGateway,
  request: CreatePaypalOrderRequest,
  idempotencyKey?: string,
): Promise<CreatePaypalOrderResponse> {
  const cart = await priceCart(catalog, request.items);
  return paypal.createPaypalOrder({
    amount: cart.total,
    customerId: request.customerId,
    ...(idempotencyKey ? { requestKey: `${request.customerId}:${idempotencyKey}`.slice(0, 80) } : {}),
    description: `orderflow cart of ${cart.lines.length} product${cart.lines.length === 1 ? '' : 's'}`,
  });
}
