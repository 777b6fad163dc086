import type { Money } from '@orderflow/contracts';

/** Minor-unit exponent of a currency as ISO 4217 (through ICU) has it: USD 2, JPY 0, KWD 3. */
export function currencyExponent(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** {amount: 2598, currency: 'USD'} -> "25.98" (PayPal's amount values). */
export function toDecimalString(money: Money): string {
  const exponent = currencyExponent(money.currency);
  if (exponent === 0) return String(money.amount);
  const digits = String(money.amount).padStart(exponent + 1, '0');
  return `${digits.slice(0, digits.length - exponent)}.${digits.slice(digits.length - exponent)}`;
}

/** "25.98" in USD -> {amount: 2598, currency: 'USD'}; undefined when it is not an amount of that currency. */
export function fromDecimalString(value: string, currency: string): Money | undefined {
  const match = /^(\d{1,15})(?:\.(\d+))?$/.exec(value);
  if (!match) return undefined;
  const exponent = currencyExponent(currency);
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  if (fraction.length > exponent) return undefined;
  const amount = Number(match[1]) * 10 ** exponent + Number(fraction.padEnd(exponent, '0') || '0');
  return Number.isSafeInteger(amount) ? { amount, currency } : undefined;
}

export function sameMoney(a: Money, b: Money): boolean {
  return a.amount === b.amount && a.currency === b.currency;
}

export function describeMoney(money: Money): string {
  return `${toDecimalString(money)} ${money.currency}`;
}
