import { describe, expect, it } from 'vitest';
import { Cart } from './cart';
import { memoryStore } from './storage';

const mug = { productId: 'mug-classic', name: 'Classic Mug', price: { amount: 1299, currency: 'USD' } };
const tee = { productId: 'tee-black', name: 'Black Tee', price: { amount: 2500, currency: 'USD' } };

describe('Cart', () => {
  it('adds products, counts them and sums the subtotal from the prices the catalog gave', () => {
    const cart = new Cart(memoryStore());
    cart.add(mug);
    cart.add(mug);
    cart.add(tee);
    expect(cart.count()).toBe(3);
    expect(cart.subtotal()).toEqual({ amount: 2 * 1299 + 2500, currency: 'USD' });
    expect(cart.items()).toEqual([
      { productId: 'mug-classic', quantity: 2 },
      { productId: 'tee-black', quantity: 1 },
    ]);
  });

  it('keeps quantities within 1 and the per-line cap, removes a line at 0, and survives a reload', () => {
    const store = memoryStore();
    const cart = new Cart(store);
    cart.add(mug);
    cart.setQuantity('mug-classic', 250);
    expect(cart.lines()[0]?.quantity).toBe(100);
    cart.setQuantity('mug-classic', 2.7);
    expect(cart.lines()[0]?.quantity).toBe(2);
    cart.setQuantity('mug-classic', Number.NaN);
    expect(new Cart(store).lines()[0]?.quantity).toBe(2);
    cart.setQuantity('mug-classic', 0);
    expect(cart.lines()).toEqual([]);
    expect(cart.subtotal()).toBeUndefined();
  });

  it('forgets a cart it cannot read rather than failing', () => {
    const store = memoryStore();
    store.set('orderflow.cart', '{broken');
    expect(new Cart(store).lines()).toEqual([]);
  });
});
