import { PaymentTaskInputSchema } from '@orderflow/contracts';
import { workflowTask } from '../task';
import { captureCheckoutPayment } from '../use-cases/checkout-payments';
import { payments } from '../wiring/payments';

/** Step 6: capture the authorized payment. */
export const handler = workflowTask('capture-payment', PaymentTaskInputSchema, async (input) =>
  captureCheckoutPayment(await payments(), input),
);
