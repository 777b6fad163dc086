import {
  COMPENSATION_ACTIONS,
  type CompensationAction,
  MoneySchema,
  OrderIdSchema,
  ValidationError,
  VoidUncertainPaymentTaskInputSchema,
  type WorkflowPayment,
  WorkflowPaymentSchema,
} from '@orderflow/contracts';
import type { InventoryRepository } from '@orderflow/inventory';
import { type OrderRepository, OrderUpdateRejectedError } from '@orderflow/orders';
import { type PaymentGateway, PaymentRequestRejectedError } from '@orderflow/payments';
import { z } from 'zod';
import { cancelCheckoutOrder } from './checkout-orders';
import { NothingToRefundError, refundCheckoutPayment, voidCheckoutPayment, voidUncertainPayment } from './checkout-payments';
import { ConfirmedOrderReleaseError, releaseCheckoutReservations } from './checkout-reservations';
import { type DrainOptions, drainPending, InvalidPendingEntryError, type PendingQueue } from './drain-pending';

/**
 * A compensation step the checkout could not finish after its retries, as the workflow
 * recorded it (`keys.compensation`, pending in GSI1 under `keys.compensationPending`).
 * Fields are as read: the sweep validates them.
 */
export interface CompensationEntry {
  key: { PK: string; SK: string };
  action: string | undefined;
  orderId: string | undefined;
  /** JSON text of the authorized (or captured) payment, for VOID_PAYMENT and REFUND_PAYMENT. */
  payment: string | undefined;
  /** JSON text of the order's total. */
  amount: string | undefined;
  /** VOID_PAYMENT of an uncertain authorization (payment `null`): JSON text of the authorize request that finds it. */
  authorize?: string | undefined;
  /** The checkout's claim (its customer and Idempotency-Key), released once the order has nothing left to undo. */
  customerId?: string | undefined;
  claimKey?: string | undefined;
  attempts: number;
}

/** What a completed compensation did. */
export interface CompensationOutcome {
  orderId: string;
  action: CompensationAction;
  /** RELEASE_RESERVATIONS: products given back now / by an earlier release. */
  released?: string[];
  alreadyReleased?: string[];
  /** VOID_PAYMENT, REFUND_PAYMENT: the payment's final status (a void can end REFUNDED, see voidCheckoutPayment). */
  paymentStatus?: WorkflowPayment['status'];
  /** Whether a saved order was marked CANCELLED with that status (false: the order was never saved). */
  orderCancelled?: boolean;
  /** The checkout's key was released: it answered 5xx and nothing is held for it any more, so a retry with it may run. */
  keyReleased?: boolean;
}

/** Port: the recorded compensations (DynamoDbCompensationLog on the table). */
export interface CompensationLog extends PendingQueue<CompensationEntry> {
  /** Done: the entry leaves the pending index (and expires later), with what was done. */
  markDone(entry: CompensationEntry, now: Date, outcome: CompensationOutcome): Promise<void>;
  /**
   * Releases the checkout's key (the entry's claim) when no compensation of its order is still
   * pending and the key holds a 5xx answer kept for the sweep; false when either is not so.
   */
  releaseClaimWhenSettled(entry: CompensationEntry, now: Date): Promise<boolean>;
}

export interface CompensationPorts {
  inventory: InventoryRepository;
  orders: OrderRepository;
  /** The payment gateway, made on first use: a run with no payment to undo needs no provider credentials. */
  payments: () => Promise<PaymentGateway>;
}

export interface CompensationSweepResult {
  /** What each entry completed in this run did. */
  completed: CompensationOutcome[];
  /** Entries that failed; `final` ones will not be tried again (an operator's case). */
  failed: { key: string; id: string | undefined; error: string; final: boolean }[];
  skipped: number;
  deferred: number;
  oldestLeftPendingSince?: string;
}

const PaymentEntrySchema = z.object({ payment: WorkflowPaymentSchema, amount: MoneySchema });
const UncertainVoidEntrySchema = z.object({ authorize: VoidUncertainPaymentTaskInputSchema.shape.authorize });

function parseJson(text: string | undefined, what: string): unknown {
  try {
    return JSON.parse(text ?? '') as unknown;
  } catch {
    throw new InvalidPendingEntryError(`the ${what} is not JSON`);
  }
}

/** The entry's order, action and (for a payment) payment and amount; InvalidPendingEntryError when it has none that work. */
export function compensationStep(entry: CompensationEntry) {
  const action = COMPENSATION_ACTIONS.find((a) => a === entry.action);
  if (!action) throw new InvalidPendingEntryError(`unknown compensation ${String(entry.action)}`);
  const orderId = OrderIdSchema.safeParse(entry.orderId);
  if (!orderId.success) throw new InvalidPendingEntryError(`invalid order id ${String(entry.orderId)}`);
  if (action === 'RELEASE_RESERVATIONS') return { action, orderId: orderId.data } as const;
  if (action === 'CANCEL_ORDER') {
    // The payment as the workflow left it (null: there was none to undo, so nothing was taken).
    const payment = WorkflowPaymentSchema.nullable().safeParse(parseJson(entry.payment, 'payment'));
    if (!payment.success) throw new InvalidPendingEntryError(`invalid ${action} entry: the payment is not a payment`);
    return { action, orderId: orderId.data, paymentStatus: payment.data?.status ?? 'VOIDED' } as const;
  }
  if (action === 'VOID_PAYMENT' && entry.payment === 'null') {
    const uncertain = UncertainVoidEntrySchema.safeParse({ authorize: parseJson(entry.authorize, 'authorize request') });
    if (!uncertain.success) throw new InvalidPendingEntryError(`invalid ${action} entry: no payment and no authorize request`);
    return { action, orderId: orderId.data, authorize: uncertain.data.authorize } as const;
  }
  const parsed = PaymentEntrySchema.safeParse({ payment: parseJson(entry.payment, 'payment'), amount: parseJson(entry.amount, 'amount') });
  if (!parsed.success) {
    throw new InvalidPendingEntryError(`invalid ${action} entry: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return { action, orderId: orderId.data, ...parsed.data } as const;
}

/** Does one recorded compensation. Every step is idempotent, so a run that dies halfway is simply done again. */
async function complete(entry: CompensationEntry, ports: CompensationPorts): Promise<CompensationOutcome> {
  const step = compensationStep(entry);
  if (step.action === 'RELEASE_RESERVATIONS') {
    const result = await releaseCheckoutReservations(ports.inventory, ports.orders, step.orderId);
    return {
      orderId: step.orderId,
      action: step.action,
      released: result.released.map((r) => r.productId),
      alreadyReleased: result.alreadyReleased.map((r) => r.productId),
    };
  }
  if (step.action === 'CANCEL_ORDER') {
    const cancel = await cancelCheckoutOrder(ports.orders, { orderId: step.orderId, paymentStatus: step.paymentStatus });
    return { orderId: step.orderId, action: step.action, paymentStatus: step.paymentStatus, orderCancelled: cancel.cancelled };
  }
  // The provider idempotency keys derive from the order and step, as in the workflow: a void
  // or refund that went through before is replayed by the provider, nothing moves twice.
  const gateway = await ports.payments();
  if ('authorize' in step && step.authorize) {
    const found = await voidUncertainPayment(gateway, { orderId: step.orderId, authorize: step.authorize });
    if (!found) return { orderId: step.orderId, action: step.action, orderCancelled: false };
    const cancel = await cancelCheckoutOrder(ports.orders, { orderId: step.orderId, paymentStatus: found.status });
    return { orderId: step.orderId, action: step.action, paymentStatus: found.status, orderCancelled: cancel.cancelled };
  }
  const input = { orderId: step.orderId, payment: step.payment, amount: step.amount };
  const payment = step.action === 'VOID_PAYMENT' ? await voidCheckoutPayment(gateway, input) : await refundCheckoutPayment(gateway, input);
  // The workflow cancelled a saved order with the payment as it stood (AUTHORIZED or CAPTURED): now it is final.
  const cancel = await cancelCheckoutOrder(ports.orders, { orderId: step.orderId, paymentStatus: payment.status });
  return { orderId: step.orderId, action: step.action, paymentStatus: payment.status, orderCancelled: cancel.cancelled };
}

/**
 * Failures retrying will not cure: an unreadable entry, a provider that refuses the request
 * (not unavailable: refused, e.g. an authorization that expired), a refund with no capture,
 * an order whose state forbids the change. Anything else (DynamoDB, a provider outage) is
 * tried again at the next run.
 */
const isFinal = (error: unknown): boolean =>
  error instanceof InvalidPendingEntryError ||
  error instanceof PaymentRequestRejectedError ||
  error instanceof NothingToRefundError ||
  error instanceof ConfirmedOrderReleaseError ||
  error instanceof OrderUpdateRejectedError ||
  error instanceof ValidationError;

/**
 * The sweep of unfinished compensations (scheduled, every minute): gives back stock whose
 * release failed, voids or refunds payments whose void or refund failed, and marks the
 * order's payment with its final status — until each is done. Then the checkout's key, kept
 * with its 5xx answer while something was held, is released for the client's retry.
 */
export async function completeCompensations(
  log: CompensationLog,
  ports: CompensationPorts,
  options: DrainOptions = {},
): Promise<CompensationSweepResult> {
  const { done, ...rest } = await drainPending(
    log,
    {
      id: (entry) => `${String(entry.orderId)}/${String(entry.action)}`,
      run: async (entry, now) => {
        const outcome = await complete(entry, ports);
        await log.markDone(entry, now(), outcome);
        // Only after this entry is done: the key must never be free while this order holds anything.
        return (await log.releaseClaimWhenSettled(entry, now())) ? { ...outcome, keyReleased: true } : outcome;
      },
      isFinal,
    },
    options,
  );
  return { completed: done, ...rest };
}

/** Compensations the sweep leaves pending after a run (failed to be retried, held by another run, deferred). */
export function compensationsStillPending(result: CompensationSweepResult): number {
  return result.failed.filter((f) => !f.final).length + result.skipped + result.deferred;
}

/** How long the oldest compensation this run left pending has been waiting (s); 0 when none is left. */
export function oldestPendingCompensationSeconds(result: CompensationSweepResult, now: Date): number {
  if (!result.oldestLeftPendingSince) return 0;
  const since = Date.parse(result.oldestLeftPendingSince);
  return Number.isFinite(since) ? Math.max(0, Math.round((now.getTime() - since) / 1000)) : 0;
}
