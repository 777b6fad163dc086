import { createHash } from 'node:crypto';
import { type CatalogRepository, priceCart } from '@orderflow/catalog';
import type { CreatePaypalOrderRequest, CreatePaypalOrderResponse } from '@orderflow/contracts';
import type { PaypalOrderGateway } from '@orderflow/payments';

/**
 * PayPal's request key for a customer's Idempotency-Key: a SHA-256 of both (43 characters).
 * Keys are scoped to the customer and may be 255 characters long, more than PayPal takes:
 * cutting them would make two keys with a common beginning replay one PayPal order.
 */
export function paypalOrderRequestKey(customerId: string, idempotencyKey: string): string {
  return createHash('sha256').update(`${customerId}\n${idempotencyKey}`).digest('base64url');
}

/**
 * POST /paypal/orders: a PayPal order for the cart's server-computed total, for the buyer to
 * approve; the storefront then checks out with its id. With an Idempotency-Key the creation
 * is idempotent, scoped to the customer.
 */
export async function createPaypalOrderForCart(
  catalog: CatalogRepository,
  paypal: PaypalOrderGateway,
  request: CreatePaypalOrderRequest & { customerId: string },
  idempotencyKey?: string,
): Promise<CreatePaypalOrderResponse> {
  const cart = await priceCart(catalog, request.items);
  return paypal.createPaypalOrder({
    amount: cart.total,
    customerId: request.customerId,
    ...(idempotencyKey ? { requestKey: paypalOrderRequestKey(request.customerId, idempotencyKey) } : {}),
    description: `orderflow cart of ${cart.lines.length} product${cart.lines.length === 1 ? '' : 's'}`,
  });
}
