/**
 * Minor-unit exponent of a currency (ISO 4217, as ICU knows it): USD 2, JPY 0, KWD 3.
 * The sandboxes need it to read PayPal's decimal amounts and to word Stripe's messages.
 */
export function currencyExponent(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** Minor units -> "25.98" (no grouping). */
export function formatDecimal(minor: number, currency: string): string {
  const exponent = currencyExponent(currency);
  if (exponent === 0) return String(minor);
  const negative = minor < 0;
  const digits = String(Math.abs(minor)).padStart(exponent + 1, '0');
  const whole = digits.slice(0, digits.length - exponent);
  return `${negative ? '-' : ''}${whole}.${digits.slice(digits.length - exponent)}`;
}

/** "25.98" -> 2598; undefined when the text is not a valid amount of that currency. */
export function parseDecimal(value: string, currency: string): number | undefined {
  const exponent = currencyExponent(currency);
  const match = /^(\d{1,10})(?:\.(\d+))?$/.exec(value);
  if (!match) return undefined;
  const fraction = match[2] ?? '';
  if (fraction.length > exponent) return undefined;
  return Number(match[1]) * 10 ** exponent + Number(fraction.padEnd(exponent, '0') || '0');
}

/** "$25.98" style text for Stripe's messages. */
export function formatForHumans(minor: number, currency: string): string {
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency: currency.toUpperCase() }).format(
      minor / 10 ** currencyExponent(currency.toUpperCase()),
    );
  } catch {
    return `${minor} ${currency}`;
  }
}
