import { describe, expect, it } from 'vitest';
import { canonicalParams, FormEncodingError, parseStripeForm } from './form-encoding';

describe('parseStripeForm', () => {
  it('reads bracketed keys into objects and indexed or appended arrays', () => {
    const body =
      'amount=2598&currency=usd&metadata[order_id]=ord_1&metadata%5Bwallet%5D=apple_pay' +
      '&allowed_payment_method_types[1]=link&allowed_payment_method_types[0]=card&expand[]=a&expand[]=b&confirm=true';
    expect(parseStripeForm(body)).toEqual({
      amount: '2598',
      currency: 'usd',
      metadata: { order_id: 'ord_1', wallet: 'apple_pay' },
      allowed_payment_method_types: ['card', 'link'],
      expand: ['a', 'b'],
      confirm: 'true',
    });
  });

  it('reads nested objects', () => {
    expect(parseStripeForm('automatic_payment_methods[enabled]=true&automatic_payment_methods[allow_redirects]=never')).toEqual({
      automatic_payment_methods: { enabled: 'true', allow_redirects: 'never' },
    });
  });

  it('refuses malformed keys and a key that is both a value and an object', () => {
    expect(() => parseStripeForm('a[b=1')).toThrow(FormEncodingError);
    expect(() => parseStripeForm('a=1&a[b]=2')).toThrow(FormEncodingError);
  });

  it('compares parameters whatever their order', () => {
    expect(canonicalParams(parseStripeForm('a=1&m[x]=1&m[y]=2'))).toBe(canonicalParams(parseStripeForm('m[y]=2&a=1&m[x]=1')));
    expect(canonicalParams(parseStripeForm('a=1'))).not.toBe(canonicalParams(parseStripeForm('a=2')));
  });
});
