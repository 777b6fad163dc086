import { ReserveLineTaskInputSchema } from '@orderflow/contracts';
import { reserveLine } from '@orderflow/inventory';
import { workflowTask } from '../task';
import { inventory } from '../wiring/inventory';

/** Step 4, one Map iteration: reserve one line (a DynamoDB transaction; safe to retry). */
export const handler = workflowTask('reserve-line', ReserveLineTaskInputSchema, async (input) =>
  reserveLine(inventory(), input.orderId, { productId: input.productId, quantity: input.quantity }),
);
