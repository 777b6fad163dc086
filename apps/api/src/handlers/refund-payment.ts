import { PaymentTaskInputSchema } from '@orderflow/contracts';
import { workflowTask } from '../task';
import { refundCheckoutPayment } from '../use-cases/checkout-payments';
import { payments } from '../wiring/payments';

/** Compensation: refund a captured payment. */
export const handler = workflowTask('refund-payment', PaymentTaskInputSchema, async (input) =>
  refundCheckoutPayment(await payments(), input),
);
