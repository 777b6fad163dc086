import type { OrderPlacedDetail } from '@orderflow/contracts';

export interface OrderConfirmation {
  orderId: string;
  customerId: string;
  subject: string;
  text: string;
  placedAt: string;
}

/** Port: delivers an order confirmation to the customer (an outbox a mailer drains, in this service). */
export interface ConfirmationSender {
  /** Idempotent per order: sending the same confirmation twice delivers it once. */
  send(confirmation: OrderConfirmation): Promise<{ delivered: boolean }>;
}

const formatMoney = (amount: number, currency: string) => `${(amount / 100).toFixed(2)} ${currency}`;

/** The confirmation text of an order, from the OrderPlaced event alone. */
export function renderOrderConfirmation(detail: OrderPlacedDetail): OrderConfirmation {
  const lines = detail.items.map(
    (item) => `  ${item.quantity} x ${item.name} (${formatMoney(item.unitPrice.amount, item.unitPrice.currency)})`,
  );
  return {
    orderId: detail.orderId,
    customerId: detail.customerId,
    subject: `Your order ${detail.orderId} is confirmed`,
    text: [
      `Thank you for your order ${detail.orderId}.`,
      '',
      ...lines,
      '',
      `Total: ${formatMoney(detail.total.amount, detail.total.currency)}, paid by ${detail.payment.method.replace('_', ' ')}.`,
    ].join('\n'),
    placedAt: detail.placedAt,
  };
}

export async function sendOrderConfirmation(
  sender: ConfirmationSender,
  detail: OrderPlacedDetail,
): Promise<{ orderId: string; delivered: boolean }> {
  const result = await sender.send(renderOrderConfirmation(detail));
  return { orderId: detail.orderId, delivered: result.delivered };
}
