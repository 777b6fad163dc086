import {
  apiGatewayModelSchema,
  CheckoutRequestSchema,
  IdempotencyKeySchema,
  MAX_CART_LINES,
  zodIssuesToDetails,
} from '@orderflow/contracts';
import jsonata from 'jsonata';
import { describe, expect, it } from 'vitest';
import { jsonSchemaToJsonata, UnsupportedSchemaError } from './json-schema-to-jsonata';

const checkoutExpression = jsonata(jsonSchemaToJsonata(apiGatewayModelSchema(CheckoutRequestSchema, 'CheckoutRequest'), '$'));

async function violations(body: unknown): Promise<{ path: string; message: string }[]> {
  const result = (await checkoutExpression.evaluate(body)) as { path: string; message: string }[] | undefined;
  return result ?? [];
}

const line = (productId: string, quantity: unknown = 1) => ({ productId, quantity });
const valid = { customerId: 'cust-42', items: [line('mug-classic', 2)], payment: { method: 'card', paymentMethodId: 'pm_card_visa' } };

const bodies: [string, unknown][] = [
  ['a valid card checkout', valid],
  ['a valid Apple Pay checkout', { ...valid, payment: { method: 'apple_pay', paymentMethodId: 'pm_card_visa' } }],
  ['a valid PayPal checkout', { ...valid, payment: { method: 'paypal', paypalOrderId: 'PAYPAL123ABC' } }],
  ['a full cart', { ...valid, items: Array.from({ length: MAX_CART_LINES }, (_, i) => line(`p-${i}`, 100)) }],
  ['a number', 42],
  ['null', null],
  ['an array', [valid]],
  ['a string', 'hello'],
  ['an empty object', {}],
  ['an empty customer', { ...valid, customerId: '' }],
  ['a customer with a space', { ...valid, customerId: 'cust 42' }],
  ['a long customer', { ...valid, customerId: 'c'.repeat(65) }],
  ['a numeric customer', { ...valid, customerId: 42 }],
  ['no items', { ...valid, items: [] }],
  ['items not an array', { ...valid, items: { productId: 'x' } }],
  ['too many lines', { ...valid, items: Array.from({ length: MAX_CART_LINES + 1 }, (_, i) => line(`p-${i}`)) }],
  ['a fractional quantity', { ...valid, items: [line('a'), line('b', 1.5)] }],
  ['a zero quantity', { ...valid, items: [line('a', 0)] }],
  ['a huge quantity', { ...valid, items: [line('a', 101)] }],
  ['a string quantity', { ...valid, items: [line('a', '2')] }],
  ['a line with an extra key', { ...valid, items: [{ ...line('a'), price: 1 }] }],
  ['a line without product', { ...valid, items: [{ quantity: 1 }] }],
  ['a line that is a string', { ...valid, items: ['a'] }],
  ['an unknown method', { ...valid, payment: { method: 'cash' } }],
  ['no method', { ...valid, payment: { paymentMethodId: 'pm_x' } }],
  ['payment not an object', { ...valid, payment: 'card' }],
  ['card without payment method', { ...valid, payment: { method: 'card' } }],
  ['card with a bad payment method', { ...valid, payment: { method: 'card', paymentMethodId: 'tok_visa' } }],
  ['paypal with a card field', { ...valid, payment: { method: 'paypal', paypalOrderId: 'ABCDE1', paymentMethodId: 'pm_x' } }],
  ['paypal with a lowercase order id', { ...valid, payment: { method: 'paypal', paypalOrderId: 'abc' } }],
  ['one extra top-level key', { ...valid, total: 1 }],
  ['two extra top-level keys', { ...valid, total: 1, coupon: 'X' }],
  // The valid case runs a predicate first: these check it misses nothing the violations see.
  ['an invalid line after valid ones', { ...valid, items: [line('a'), line('b'), line('c', 0)] }],
  ['a null quantity', { ...valid, items: [line('a', null)] }],
  ['card with an extra key', { ...valid, payment: { method: 'card', paymentMethodId: 'pm_card_visa', note: 'x' } }],
  ['a line that is an array', { ...valid, items: [[line('a')]] }],
  ['only one known key', { customerId: 'cust-42' }],
  ['everything wrong', { customerId: '', items: [], payment: { method: 'x' }, extra: true }],
];

describe('jsonSchemaToJsonata on the checkout request schema', () => {
  it.each(bodies)('agrees with zod on %s', async (_name, body) => {
    const zod = CheckoutRequestSchema.safeParse(body);
    const zodPaths = zod.success ? [] : [...new Set(zodIssuesToDetails(zod.error.issues).map((d) => d.path))].sort();
    const found = await violations(body);
    const paths = [...new Set(found.map((v) => v.path))].sort();
    expect(paths).toEqual(zodPaths);
    for (const v of found) expect(v.message).toEqual(expect.any(String));
  });

  it('names the offending keys and values', async () => {
    expect(await violations({ ...valid, total: 1, coupon: 'X' })).toEqual([
      { path: '(root)', message: 'Unrecognized keys: "total", "coupon"' },
    ]);
    expect(await violations({ ...valid, items: [line('a'), line('b', 1.5)] })).toEqual([
      { path: 'items[1].quantity', message: 'Invalid input: expected int, received number' },
    ]);
    expect(await violations({ ...valid, payment: { method: 'cash' } })).toEqual([
      { path: 'payment.method', message: "Invalid discriminator value. Expected 'card' | 'apple_pay' | 'paypal'" },
    ]);
  });

  it('validates a header value under a path prefix', async () => {
    const expression = jsonata(jsonSchemaToJsonata(apiGatewayModelSchema(IdempotencyKeySchema, 'Key'), '$', 'Idempotency-Key'));
    expect((await expression.evaluate('key-1')) ?? []).toEqual([]);
    expect(await expression.evaluate('has space')).toEqual([
      { path: 'Idempotency-Key', message: expect.stringContaining('must match pattern') },
    ]);
    expect(IdempotencyKeySchema.safeParse('has space').success).toBe(false);
  });

  it('refuses schemas it cannot enforce', () => {
    expect(() => jsonSchemaToJsonata({ type: 'string', format: 'email' }, '$')).toThrow(UnsupportedSchemaError);
    expect(() => jsonSchemaToJsonata({ anyOf: [{ type: 'string' }, { type: 'number' }] }, '$')).toThrow(UnsupportedSchemaError);
    expect(() => jsonSchemaToJsonata({ type: 'object', additionalProperties: { type: 'string' } }, '$')).toThrow(
      UnsupportedSchemaError,
    );
  });
});
