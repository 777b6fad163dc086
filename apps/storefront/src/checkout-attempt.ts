import type { CheckoutPayment } from './api-client';
import { type KeyValueStore, readJson } from './storage';

/**
 * One checkout attempt: one Idempotency-Key, kept — with the exact request it was made for —
 * until the attempt has its final answer. "Try again" after a timeout or an outage sends the
 * same key and body, so the service answers the first try's outcome and can never charge twice.
 * A definite answer (an order, a decline, out of stock) ends the attempt; the next one gets a
 * new key. It is kept across a page load (PayPal's approval page, an expired sign-in).
 */

export interface CheckoutAttempt {
  key: string;
  items: { productId: string; quantity: number }[];
  payment: CheckoutPayment;
  startedAt: number;
}

const KEY = 'orderflow.checkout-attempt';

export class CheckoutAttempts {
  constructor(
    private readonly store: KeyValueStore,
    private readonly newKey: () => string = () => crypto.randomUUID(),
    private readonly now: () => number = Date.now,
  ) {}

  current(): CheckoutAttempt | undefined {
    return readJson<CheckoutAttempt>(this.store, KEY);
  }

  /**
   * The attempt for this request: the one under way if it was for the same items and payment
   * (a retry), else a new one with a new key.
   */
  begin(items: CheckoutAttempt['items'], payment: CheckoutPayment): CheckoutAttempt {
    const current = this.current();
    if (current && JSON.stringify([current.items, current.payment]) === JSON.stringify([items, payment])) return current;
    const attempt: CheckoutAttempt = { key: this.newKey(), items, payment, startedAt: this.now() };
    this.store.set(KEY, JSON.stringify(attempt));
    return attempt;
  }

  /** The attempt has its final answer. */
  end(): void {
    this.store.remove(KEY);
  }
}
