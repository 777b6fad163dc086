import { PaymentTaskInputSchema } from '@orderflow/contracts';
import { workflowTask } from '../task';
import { voidCheckoutPayment } from '../use-cases/checkout-payments';
import { payments } from '../wiring/payments';

/** Compensation: void an authorization that will not be captured. */
export const handler = workflowTask('void-payment', PaymentTaskInputSchema, async (input) =>
  voidCheckoutPayment(await payments(), input),
);
