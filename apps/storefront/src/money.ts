import type { Money } from '@orderflow/contracts';

/** An amount in minor units shown as its currency is written ($12.99, €12,99 in a French locale). */
export function formatMoney(value: Money, locale?: string): string {
  const format = new Intl.NumberFormat(locale, { style: 'currency', currency: value.currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(value.amount / 10 ** digits);
}

/** The sum of amounts of one currency (a cart's subtotal). */
export function addMoney(values: readonly Money[]): Money | undefined {
  const [first] = values;
  if (!first) return undefined;
  return { amount: values.reduce((sum, v) => sum + v.amount, 0), currency: first.currency };
}
