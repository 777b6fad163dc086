import { eventConsumer } from '../consumer';
import { sendOrderConfirmation } from '../use-cases/send-order-confirmation';
import { confirmations } from '../wiring/confirmations';

/** OrderPlaced -> the order confirmation, once per event. */
export const handler = eventConsumer('send-confirmation', async (event) => {
  if (event.detailType !== 'OrderPlaced') return { skipped: event.detailType };
  return sendOrderConfirmation(confirmations(), event.detail);
});
