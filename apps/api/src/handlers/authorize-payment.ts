import { AuthorizePaymentTaskInputSchema } from '@orderflow/contracts';
import { workflowTask } from '../task';
import { authorizeCheckoutPayment } from '../use-cases/checkout-payments';
import { payments } from '../wiring/payments';

/** Step 5: authorize the payment with the provider of its method (Stripe or PayPal). */
export const handler = workflowTask('authorize-payment', AuthorizePaymentTaskInputSchema, async (input) =>
  authorizeCheckoutPayment(await payments(), input),
);
