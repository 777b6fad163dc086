import type { Money, Order, ProductPage } from '@orderflow/contracts';

/**
 * The API as the shop calls it: products (public), checkout, PayPal orders and my orders (with
 * the customer's token). Every error answer is the catalogue's body, kept as an ApiError; a
 * request that never got an answer is a NetworkError.
 */

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: { path: string; message: string }[] = [],
    readonly declineCode?: string,
  ) {
    super(message);
  }
}

export class NetworkError extends Error {
  override name = 'NetworkError';
}

export interface CheckoutPayment {
  method: 'card' | 'apple_pay' | 'paypal';
  paymentMethodId?: string;
  paypalOrderId?: string;
}

export interface OrderPage {
  items: Order[];
  nextToken: string | null;
}

export class ApiClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token: () => string | undefined,
    private readonly fetchFn: typeof fetch = (...args) => fetch(...args),
  ) {}

  listProducts(nextToken?: string | null, limit = 12): Promise<ProductPage> {
    const query = new URLSearchParams({ limit: String(limit), ...(nextToken ? { nextToken } : {}) });
    return this.call('GET', `/products?${query.toString()}`);
  }

  placeOrder(items: { productId: string; quantity: number }[], payment: CheckoutPayment, idempotencyKey: string): Promise<Order> {
    return this.call('POST', '/orders', { items, payment }, { 'Idempotency-Key': idempotencyKey });
  }

  createPaypalOrder(items: { productId: string; quantity: number }[]): Promise<{ paypalOrderId: string; approveUrl: string; total: Money }> {
    return this.call('POST', '/paypal/orders', { items });
  }

  myOrders(nextToken?: string | null, limit = 10): Promise<OrderPage> {
    const query = new URLSearchParams({ limit: String(limit), ...(nextToken ? { nextToken } : {}) });
    return this.call('GET', `/me/orders?${query.toString()}`);
  }

  order(orderId: string): Promise<Order> {
    return this.call('GET', `/orders/${encodeURIComponent(orderId)}`);
  }

  private async call<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    const token = this.token();
    let response: Response;
    try {
      response = await this.fetchFn(`${this.baseUrl}${path}`, {
        method,
        headers: {
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
          ...headers,
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch {
      throw new NetworkError('The shop could not reach the service.');
    }
    const text = await response.text();
    let json: unknown;
    try {
      json = text === '' ? undefined : (JSON.parse(text) as unknown);
    } catch {
      json = undefined;
    }
    if (response.ok) return json as T;
    const error = (json as { error?: { code?: string; message?: string; details?: { path: string; message: string }[]; declineCode?: string } } | undefined)?.error;
    throw new ApiError(response.status, error?.code ?? 'INTERNAL', error?.message ?? `The service answered ${response.status}.`, error?.details ?? [], error?.declineCode);
  }
}
