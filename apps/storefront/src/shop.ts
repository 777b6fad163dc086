import { ApiClient } from './api-client';
import { Cart } from './cart';
import { CheckoutAttempts } from './checkout-attempt';
import type { StorefrontConfig } from './config';
import { SessionStore } from './session';
import { type KeyValueStore, readJson } from './storage';

/**
 * Everything the views share, wired once (main.ts): the configuration, the API client with the
 * signed-in customer's token, the cart, the session, the checkout attempt under way.
 */
export interface Shop {
  config: StorefrontConfig;
  api: ApiClient;
  cart: Cart;
  session: SessionStore;
  attempts: CheckoutAttempts;
  /** The PayPal order awaiting the buyer's approval (across the approval page). */
  pendingPaypal: { get(): PendingPaypal | undefined; set(value: PendingPaypal): void; clear(): void };
  fetch: typeof fetch;
}

export interface PendingPaypal {
  paypalOrderId: string;
  items: { productId: string; quantity: number }[];
}

export function createShop(config: StorefrontConfig, local: KeyValueStore, fetchFn: typeof fetch): Shop {
  const session = new SessionStore(local);
  const PAYPAL = 'orderflow.paypal';
  return {
    config,
    session,
    cart: new Cart(local),
    attempts: new CheckoutAttempts(local),
    api: new ApiClient(config.apiBaseUrl, () => session.current()?.token, fetchFn),
    pendingPaypal: {
      get: () => readJson<PendingPaypal>(local, PAYPAL),
      set: (value) => local.set(PAYPAL, JSON.stringify(value)),
      clear: () => local.remove(PAYPAL),
    },
    fetch: fetchFn,
  };
}
