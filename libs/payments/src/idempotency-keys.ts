/** The steps of a payment; each gets its own provider idempotency key per order. */
export type PaymentStep = 'authorize' | 'capture' | 'void' | 'refund';

/**
 * `<orderId>:<step>` (`ord_123:authorize`), plus `:<suffix>` to tell several calls of
 * one step apart (a second partial refund). Sent as Stripe's `Idempotency-Key` and
 * PayPal's `PayPal-Request-Id`, so a retried step replays the first answer instead of
 * charging again.
 */
export function paymentIdempotencyKey(orderId: string, step: PaymentStep, suffix?: string): string {
  return suffix ? `${orderId}:${step}:${suffix}` : `${orderId}:${step}`;
}
