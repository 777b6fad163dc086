import { describe, expect, it } from 'vitest';
import { CheckoutAttempts } from './checkout-attempt';
import { memoryStore } from './storage';

describe('checkout attempts', () => {
  const items = [{ productId: 'mug-classic', quantity: 1 }];
  const visa = { method: 'card' as const, paymentMethodId: 'pm_card_visa' };

  it('keeps one key for an attempt until it ends, across a reload; a retry of the same request reuses it', () => {
    const store = memoryStore();
    let n = 0;
    const attempts = new CheckoutAttempts(store, () => `key-${++n}`);
    const first = attempts.begin(items, visa);
    expect(first.key).toBe('key-1');
    expect(new CheckoutAttempts(store).begin(items, visa).key).toBe('key-1');
    attempts.end();
    expect(attempts.current()).toBeUndefined();
    expect(attempts.begin(items, visa).key).toBe('key-2');
  });

  it('starts a new attempt (a new key) for another request: never the same key with another body', () => {
    let n = 0;
    const attempts = new CheckoutAttempts(memoryStore(), () => `key-${++n}`);
    attempts.begin(items, visa);
    expect(attempts.begin(items, { method: 'card', paymentMethodId: 'pm_card_mastercard' }).key).toBe('key-2');
    expect(attempts.begin([{ productId: 'mug-classic', quantity: 2 }], { method: 'card', paymentMethodId: 'pm_card_mastercard' }).key).toBe('key-3');
  });
});
