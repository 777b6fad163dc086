import { PaymentTaskInputSchema } from '@orderflow/contracts';
import { workflowTask } from '../task';
import { refundCheckoutPayment } from '../use-cases/checkout-payments';
import { wiring } from '../wiring';

/** Compensation: refund a captured payment. */
export const handler = workflowTask('refund-payment', PaymentTaskInputSchema, async (input) =>
  refundCheckoutPayment(await wiring().payments(), input),
);
