import { describe, expect, it } from 'vitest';
import { currencyExponent, describeMoney, fromDecimalString, sameMoney, toDecimalString } from './money-format';

describe('PayPal amounts', () => {
  it('knows the minor units of currencies', () => {
    expect([currencyExponent('USD'), currencyExponent('JPY'), currencyExponent('KWD')]).toEqual([2, 0, 3]);
  });

  it.each([
    [{ amount: 2598, currency: 'USD' }, '25.98'],
    [{ amount: 5, currency: 'EUR' }, '0.05'],
    [{ amount: 0, currency: 'USD' }, '0.00'],
    [{ amount: 1500, currency: 'JPY' }, '1500'],
    [{ amount: 1234, currency: 'KWD' }, '1.234'],
  ])('writes %o as %s and reads it back', (money, text) => {
    expect(toDecimalString(money)).toBe(text);
    expect(fromDecimalString(text, money.currency)).toEqual(money);
  });

  it('reads trailing zeros and refuses what is not an amount of the currency', () => {
    expect(fromDecimalString('25.980', 'USD')).toEqual({ amount: 2598, currency: 'USD' });
    expect(fromDecimalString('25.981', 'USD')).toBeUndefined();
    expect(fromDecimalString('15.5', 'JPY')).toBeUndefined();
    expect(fromDecimalString('-1.00', 'USD')).toBeUndefined();
    expect(fromDecimalString('1e3', 'USD')).toBeUndefined();
  });

  it('compares and describes money', () => {
    expect(sameMoney({ amount: 1, currency: 'USD' }, { amount: 1, currency: 'EUR' })).toBe(false);
    expect(describeMoney({ amount: 1000, currency: 'USD' })).toBe('10.00 USD');
  });
});
