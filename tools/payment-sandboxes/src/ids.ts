import { randomBytes } from 'node:crypto';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

function randomFrom(alphabet: string, length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) out += alphabet[byte % alphabet.length];
  return out;
}

/** A Stripe-style id: `pi_3PqX...` (prefix, then 24 letters and digits). */
export function stripeId(prefix: string): string {
  return `${prefix}_${randomFrom(ALNUM, 24)}`;
}

/** A PayPal-style id: 17 upper-case letters and digits (`5O190127TN364715T`). */
export function paypalId(): string {
  return randomFrom(UPPER_ALNUM, 17);
}

/** A PayPal debug id: 13 hex digits. */
export function debugId(): string {
  return randomBytes(7).toString('hex').slice(0, 13);
}

/** A random secret for a sandbox (API key, client secret, access token). */
export function randomSecret(length = 32): string {
  return randomFrom(ALNUM, length);
}
