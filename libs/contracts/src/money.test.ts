import { describe, expect, it } from 'vitest';
import { money, multiplyMoney, sumMoney, MoneySchema } from './money';

describe('money', () => {
  it('is integer minor units', () => {
    expect(MoneySchema.safeParse({ amount: 2598, currency: 'USD' }).success).toBe(true);
    expect(MoneySchema.safeParse({ amount: 25.98, currency: 'USD' }).success).toBe(false);
    expect(MoneySchema.safeParse({ amount: 1, currency: 'usd' }).success).toBe(false);
    expect(() => money(1.5, 'USD')).toThrow(RangeError);
  });

  it('adds and multiplies within one currency only', () => {
    expect(sumMoney([money(1299, 'USD'), multiplyMoney(money(650, 'USD'), 2)], 'USD')).toEqual(money(2599, 'USD'));
    expect(() => sumMoney([money(1, 'EUR')], 'USD')).toThrow(/EUR/);
  });
});
