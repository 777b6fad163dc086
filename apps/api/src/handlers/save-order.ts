import { SaveOrderTaskInputSchema } from '@orderflow/contracts';
import { workflowTask } from '../task';
import { saveCheckoutOrder } from '../use-cases/checkout-orders';
import { orders } from '../wiring/orders';

/** Step 6: save the order (conditional put: a retry never overwrites). */
export const handler = workflowTask('save-order', SaveOrderTaskInputSchema, async (input) => saveCheckoutOrder(orders(), input));
