import { ReleaseReservationsTaskInputSchema } from '@orderflow/contracts';
import { workflowTask } from '../task';
import { releaseCheckoutReservations } from '../use-cases/checkout-reservations';
import { inventory } from '../wiring/inventory';
import { orders } from '../wiring/orders';

/** Compensation: give back exactly what the order reserved, and close it to new reservations (never a placed, paid order's). */
export const handler = workflowTask('release-reservations', ReleaseReservationsTaskInputSchema, async (input) =>
  releaseCheckoutReservations(inventory(), orders(), input.orderId),
);
