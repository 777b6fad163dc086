import { VoidPaymentTaskInputSchema } from '@orderflow/contracts';
import { workflowTask } from '../task';
import { voidCheckoutPayment, voidUncertainPayment } from '../use-cases/checkout-payments';
import { payments } from '../wiring/payments';

/** Compensation: void an authorization that will not be captured (or find it first, when authorization was uncertain). */
export const handler = workflowTask('void-payment', VoidPaymentTaskInputSchema, async (input) =>
  'authorize' in input ? voidUncertainPayment(await payments(), input) : voidCheckoutPayment(await payments(), input),
);
