import { UpdateOrderTaskInputSchema } from '@orderflow/contracts';
import { workflowTask } from '../task';
import { cancelCheckoutOrder } from '../use-cases/checkout-orders';
import { orders } from '../wiring/orders';

/** Compensation: mark a saved order CANCELLED with its payment's final status. */
export const handler = workflowTask('cancel-order', UpdateOrderTaskInputSchema, async (input) =>
  cancelCheckoutOrder(orders(), input),
);
