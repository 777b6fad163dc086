import type { AuthorizePaymentTaskInput, PaymentTaskInput, VoidPaymentTaskInput, WorkflowPayment } from '@orderflow/contracts';
import { OrderflowError } from '@orderflow/contracts';
import { type PaymentGateway, PaymentDeclinedError, PaymentRequestRejectedError } from '@orderflow/payments';

/** A refund was asked for a payment that was never captured: a workflow bug. */
export class NothingToRefundError extends OrderflowError {
  override name = 'NothingToRefundError';
  constructor(orderId: string) {
    super('INTERNAL', `Order ${orderId} has no capture to refund.`);
  }
}

/** What capture, void and refund need: the workflow's task input, or a compensation the sweep completes. */
export type PaymentStepInput = Pick<PaymentTaskInput, 'orderId' | 'payment' | 'amount'>;

/** Step 5: authorize the server-computed total, routed by payment method. */
export async function authorizeCheckoutPayment(
  gateway: PaymentGateway,
  input: Pick<AuthorizePaymentTaskInput, 'orderId' | 'customerId' | 'payment' | 'amount'>,
): Promise<WorkflowPayment> {
  const authorization = await gateway.authorize({
    orderId: input.orderId,
    customerId: input.customerId,
    payment: input.payment,
    amount: input.amount,
  });
  return {
    method: authorization.method,
    provider: authorization.provider,
    authorizationId: authorization.authorizationId,
    status: 'AUTHORIZED',
  };
}

/** Step 6: capture the whole authorization. */
export async function captureCheckoutPayment(gateway: PaymentGateway, input: PaymentStepInput): Promise<WorkflowPayment> {
  const capture = await gateway.capture({
    orderId: input.orderId,
    method: input.payment.method,
    authorizationId: input.payment.authorizationId,
    amount: input.amount,
  });
  return { ...input.payment, captureId: capture.captureId, status: 'CAPTURED' };
}

/**
 * The provider refused a void because the payment is captured: the capture went through
 * although the workflow never got its answer (every attempt timed out or failed after the
 * provider had acted). Stripe says `payment_intent_unexpected_state` (cancel is refused only
 * once a PaymentIntent is processing or succeeded), PayPal `PREVIOUSLY_CAPTURED`.
 */
function refusedAsCaptured(error: unknown): boolean {
  if (!(error instanceof PaymentRequestRejectedError)) return false;
  if (error.provider === 'stripe') return error.providerCode === 'payment_intent_unexpected_state';
  return error.providerCode === 'PREVIOUSLY_CAPTURED' || error.providerCode === 'AUTHORIZATION_ALREADY_CAPTURED';
}

/**
 * Compensation: release the authorization; no money moved. If the provider says the
 * payment was captured after all, the money is given back instead: the capture is asked
 * again with its idempotency key (the provider replays it, taking nothing more, and names
 * the capture), then refunded — the result says REFUNDED, so the order tells the truth.
 */
export async function voidCheckoutPayment(gateway: PaymentGateway, input: PaymentStepInput): Promise<WorkflowPayment> {
  try {
    await gateway.void({
      orderId: input.orderId,
      method: input.payment.method,
      authorizationId: input.payment.authorizationId,
    });
    return { ...input.payment, status: 'VOIDED' };
  } catch (error) {
    if (!refusedAsCaptured(error)) throw error;
    const captured = await captureCheckoutPayment(gateway, input);
    return refundCheckoutPayment(gateway, { ...input, payment: captured });
  }
}

/** Compensation after a capture: give the money back (the order's one compensation refund). */
export async function refundCheckoutPayment(gateway: PaymentGateway, input: PaymentStepInput): Promise<WorkflowPayment> {
  const captureId = input.payment.captureId;
  if (!captureId) throw new NothingToRefundError(input.orderId);
  await gateway.refund({
    orderId: input.orderId,
    method: input.payment.method,
    authorizationId: input.payment.authorizationId,
    captureId,
    reason: 'requested_by_customer',
  });
  return { ...input.payment, status: 'REFUNDED' };
}

/**
 * Compensation when authorization failed without saying whether the provider authorized
 * (every attempt timed out, or its answers were lost): the same authorize request, under the
 * same provider idempotency key, is answered with what the provider did — the authorization,
 * or the decline — and an authorization found is voided. Null: nothing was authorized.
 * Should the first request never have reached the provider, this one authorizes and the void
 * follows at once: a hold released, no money taken.
 */
export async function voidUncertainPayment(
  gateway: PaymentGateway,
  input: Pick<Extract<VoidPaymentTaskInput, { authorize: unknown }>, 'orderId' | 'authorize'>,
): Promise<WorkflowPayment | null> {
  let payment: WorkflowPayment;
  try {
    payment = await authorizeCheckoutPayment(gateway, { orderId: input.orderId, ...input.authorize });
  } catch (error) {
    if (error instanceof PaymentDeclinedError) return null;
    throw error;
  }
  return voidCheckoutPayment(gateway, { orderId: input.orderId, payment, amount: input.authorize.amount });
}
