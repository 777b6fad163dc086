import { ReserveLineTaskInputSchema } from '@orderflow/contracts';
import { reserveLine } from '@orderflow/inventory';
import { workflowTask } from '../task';
import { wiring } from '../wiring';

/** Step 4, one Map iteration: reserve one line (a DynamoDB transaction; safe to retry). */
export const handler = workflowTask('reserve-line', ReserveLineTaskInputSchema, async (input) =>
  reserveLine(wiring().inventory, input.orderId, { productId: input.productId, quantity: input.quantity }),
);
