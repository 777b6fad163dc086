import { ReleaseReservationsTaskInputSchema } from '@orderflow/contracts';
import { release } from '@orderflow/inventory';
import { workflowTask } from '../task';
import { inventory } from '../wiring/inventory';

/** Compensation: give back exactly what the order reserved, and close it to new reservations. */
export const handler = workflowTask('release-reservations', ReleaseReservationsTaskInputSchema, async (input) =>
  release(inventory(), input.orderId),
);
