import { CreatePaypalOrderRequestSchema, IdempotencyKeySchema, OrderflowError, ValidationError } from '@orderflow/contracts';
import { authorizedCustomer, httpRoute, ok, parseJsonBody, requestHeader } from '../http';
import { createPaypalOrderForCart } from '../use-cases/create-paypal-order';
import { catalog } from '../wiring/catalog';
import { payments } from '../wiring/payments';

/** The body names another customer than the authenticated one. */
export class ForeignCustomerCartError extends OrderflowError {
  override name = 'ForeignCustomerCartError';
  constructor() {
    super('FORBIDDEN', 'customerId must be the authenticated customer.');
  }
}

/** The caller is nobody: neither signed in nor named in the body (an internal call). */
export class CustomerMissingError extends ValidationError {
  constructor() {
    super('The request is not valid.', [{ path: 'customerId', message: 'customerId is required when the caller is not signed in' }]);
  }
}

/** POST /paypal/orders: a PayPal order for the cart's total, for the buyer to approve (201). The customer is the signed-in caller. */
export const handler = httpRoute('POST /paypal/orders', async (event) => {
  const request = parseJsonBody(event, CreatePaypalOrderRequestSchema);
  const customer = authorizedCustomer(event);
  if (customer !== undefined && request.customerId !== undefined && customer !== request.customerId) throw new ForeignCustomerCartError();
  const customerId = customer ?? request.customerId;
  if (customerId === undefined) throw new CustomerMissingError();
  const key = requestHeader(event, 'Idempotency-Key');
  if (key !== undefined) {
    const parsed = IdempotencyKeySchema.safeParse(key);
    if (!parsed.success) throw ValidationError.fromZod(parsed.error, 'The Idempotency-Key header is not valid.');
  }
  const created = await createPaypalOrderForCart(catalog(), await payments(), { ...request, customerId }, key);
  return ok(created, 201);
});
