import { describe, expect, it } from 'vitest';
import { CheckoutRequestSchema, PageQuerySchema } from './http';
import { ValidationError } from './errors';

const valid = {
  customerId: 'cust-42',
  items: [{ productId: 'mug-classic', quantity: 2 }],
  payment: { method: 'card', paymentMethodId: 'pm_card_visa' },
};

describe('CheckoutRequestSchema', () => {
  it('accepts the example of DESIGN.md and each payment method', () => {
    expect(CheckoutRequestSchema.parse(valid)).toEqual(valid);
    expect(
      CheckoutRequestSchema.safeParse({ ...valid, payment: { method: 'apple_pay', paymentMethodId: 'pm_card_visa' } })
        .success,
    ).toBe(true);
    expect(
      CheckoutRequestSchema.safeParse({ ...valid, payment: { method: 'paypal', paypalOrderId: '5O190127TN364715T' } })
        .success,
    ).toBe(true);
  });

  it.each([
    ['no items', { ...valid, items: [] }, 'items'],
    ['fractional quantity', { ...valid, items: [{ productId: 'mug', quantity: 1.5 }] }, 'items[0].quantity'],
    ['zero quantity', { ...valid, items: [{ productId: 'mug', quantity: 0 }] }, 'items[0].quantity'],
    ['client-supplied price', { ...valid, items: [{ productId: 'mug', quantity: 1, price: 1 }] }, 'items[0]'],
    ['unknown method', { ...valid, payment: { method: 'cash' } }, 'payment.method'],
    ['paypal without order id', { ...valid, payment: { method: 'paypal' } }, 'payment.paypalOrderId'],
    ['card id that is not a PaymentMethod', { ...valid, payment: { method: 'card', paymentMethodId: '4242' } }, 'payment.paymentMethodId'],
    ['customer id with a hash', { ...valid, customerId: 'a#b' }, 'customerId'],
  ])('rejects %s with a detail at the offending path', (_name, body, path) => {
    const result = CheckoutRequestSchema.safeParse(body);
    expect(result.success).toBe(false);
    if (result.success) return;
    const error = ValidationError.fromZod(result.error);
    expect(error.status).toBe(400);
    expect(error.toBody().error.code).toBe('VALIDATION_FAILED');
    expect(error.toBody().error.details?.map((d) => d.path)).toContain(path);
  });
});

describe('PageQuerySchema', () => {
  it('coerces the limit from a query string and defaults it', () => {
    expect(PageQuerySchema.parse({ limit: '5' })).toEqual({ limit: 5 });
    expect(PageQuerySchema.parse({})).toEqual({ limit: 20 });
    expect(PageQuerySchema.safeParse({ limit: '1000' }).success).toBe(false);
  });
});
