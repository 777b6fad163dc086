import { InMemoryCatalogRepository } from '@orderflow/catalog';
import { UnknownProductError } from '@orderflow/contracts';
import type { PaypalOrderGateway } from '@orderflow/payments';
import { describe, expect, it } from 'vitest';
import { createPaypalOrderForCart, paypalOrderRequestKey } from './create-paypal-order';

const catalog = () =>
  new InMemoryCatalogRepository([
    { productId: 'mug', name: 'Mug', price: { amount: 1299, currency: 'USD' }, available: 5 },
    { productId: 'tee', name: 'Tee', price: { amount: 2500, currency: 'USD' }, available: 5 },
  ]);

function fakePaypal(): PaypalOrderGateway & { inputs: unknown[] } {
  const inputs: unknown[] = [];
  return {
    inputs,
    createPaypalOrder: async (input) => {
      inputs.push(input);
      return { paypalOrderId: 'PAYPAL1', status: 'CREATED', total: input.amount, approveUrl: 'http://approve' };
    },
  };
}

describe('createPaypalOrderForCart', () => {
  it('asks PayPal for the catalogue total, never a client price, keyed per customer', async () => {
    const paypal = fakePaypal();
    const created = await createPaypalOrderForCart(
      catalog(),
      paypal,
      { customerId: 'cust-1', items: [{ productId: 'mug', quantity: 2 }, { productId: 'tee', quantity: 1 }] },
      'key-1',
    );
    expect(created.total).toEqual({ amount: 5098, currency: 'USD' });
    expect(paypal.inputs[0]).toMatchObject({ amount: { amount: 5098 }, customerId: 'cust-1', requestKey: paypalOrderRequestKey('cust-1', 'key-1') });
  });

  it('gives every customer and key its own PayPal request key, however long the key', () => {
    const customer = 'c'.repeat(64);
    const prefix = 'checkout-'.repeat(20);
    const keys = [
      paypalOrderRequestKey(customer, `${prefix}cart-1`),
      paypalOrderRequestKey(customer, `${prefix}cart-2`),
      paypalOrderRequestKey('cust-1', 'key-1'),
      paypalOrderRequestKey('cust-2', 'key-1'),
    ];
    expect(new Set(keys).size).toBe(4);
    for (const key of keys) expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(paypalOrderRequestKey('cust-1', 'key-1')).toBe(keys[2]);
  });

  it('refuses an unknown product before calling PayPal', async () => {
    const paypal = fakePaypal();
    await expect(
      createPaypalOrderForCart(catalog(), paypal, { customerId: 'c', items: [{ productId: 'ghost', quantity: 1 }] }),
    ).rejects.toThrow(UnknownProductError);
    expect(paypal.inputs).toHaveLength(0);
  });
});
