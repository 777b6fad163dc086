import { z } from 'zod';

/** ISO 4217 alphabetic code. */
export const CurrencySchema = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 currency code such as USD');

/** Money is always integer minor units with its currency: {"amount": 2598, "currency": "USD"}. */
export const MoneySchema = z
  .object({
    amount: z.number().int().min(0),
    currency: CurrencySchema,
  });

export type Money = z.infer<typeof MoneySchema>;

export function money(amount: number, currency: string): Money {
  if (!Number.isSafeInteger(amount) || amount < 0) {
    throw new RangeError(`money amount must be a non-negative integer of minor units, got ${amount}`);
  }
  return { amount, currency };
}

/** Sums amounts of one currency; mixing currencies is a programming error. */
export function sumMoney(values: readonly Money[], currency: string): Money {
  let amount = 0;
  for (const value of values) {
    if (value.currency !== currency) {
      throw new RangeError(`cannot add ${value.currency} to ${currency}`);
    }
    amount += value.amount;
  }
  return money(amount, currency);
}

export function multiplyMoney(value: Money, factor: number): Money {
  return money(value.amount * factor, value.currency);
}
