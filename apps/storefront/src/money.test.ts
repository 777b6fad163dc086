import { describe, expect, it } from 'vitest';
import { addMoney, formatMoney } from './money';

describe('money', () => {
  it('shows minor units as the currency writes them', () => {
    expect(formatMoney({ amount: 1299, currency: 'USD' }, 'en-US')).toBe('$12.99');
    expect(formatMoney({ amount: 1299, currency: 'JPY' }, 'en-US')).toBe('¥1,299');
    expect(formatMoney({ amount: 1299, currency: 'EUR' }, 'fr-FR')).toMatch(/^12,99\s€$/);
  });

  it('adds amounts of one currency', () => {
    expect(addMoney([{ amount: 1, currency: 'USD' }, { amount: 2, currency: 'USD' }])).toEqual({ amount: 3, currency: 'USD' });
    expect(addMoney([])).toBeUndefined();
  });
});
