import { eventConsumer } from '../consumer';
import { sendOrderConfirmation } from '../use-cases/send-order-confirmation';
import { confirmations } from '../wiring/confirmations';

/**
 * OrderPlaced -> the order confirmation, once per order: the confirmation item is written by a
 * conditional put keyed by the order, so a redelivery finds it and delivers nothing again.
 */
export const handler = eventConsumer('send-confirmation', 'idempotent-work', async (event) => {
  if (event.detailType !== 'OrderPlaced') return { skipped: event.detailType };
  return sendOrderConfirmation(confirmations(), event.detail);
});
