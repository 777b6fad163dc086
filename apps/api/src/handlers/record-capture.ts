import { UpdateOrderTaskInputSchema } from '@orderflow/contracts';
import { workflowTask } from '../task';
import { recordCheckoutCapture } from '../use-cases/checkout-orders';
import { orders } from '../wiring/orders';

/** Step 6: record on the order that its payment was captured. */
export const handler = workflowTask('record-capture', UpdateOrderTaskInputSchema, async (input) =>
  recordCheckoutCapture(orders(), input),
);
