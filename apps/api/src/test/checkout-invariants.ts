import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '@orderflow/contracts';
import type { HistoryEvent } from '@orderflow/state-machine-runtime';
import type { RecoveryResult } from '../use-cases/recover-checkouts';
import type { CheckoutCall, CheckoutHarness } from './checkout-harness';

/**
 * DESIGN.md's "Guarantees under failure", checked over what the table and the payment
 * sandboxes hold once recovery is done. Shared by the crash tests: each gives the customer
 * of a case (one customer per case), and gets the problems found (none: the guarantees hold).
 */

export type Item = Record<string, unknown>;

/** Every item of the table (consistent reads). */
export async function scanAll(h: CheckoutHarness): Promise<Item[]> {
  const items: Item[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await h.table.documentClient.send(new ScanCommand({ TableName: h.table.tableName, ConsistentRead: true, ...(start ? { ExclusiveStartKey: start } : {}) }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/** One key's guarantees: at most one placed order, paid once; no money held or kept without it; the claim final. */
export function checkoutProblems(h: CheckoutHarness, customerId: string, items: Item[]): string[] {
  const problems: string[] = [];
  const orders = items.filter((i) => i['SK'] === 'ORDER' && i['customerId'] === customerId);
  const confirmed = orders.filter((o) => o['status'] === 'CONFIRMED');
  const totalOf = (orderId: string) => (confirmed.find((o) => o['orderId'] === orderId)?.['total'] as { amount: number } | undefined)?.amount;
  // At most one placed order per key, and a placed order is paid.
  if (confirmed.length > 1) problems.push(`${confirmed.length} CONFIRMED orders for one key`);
  for (const order of confirmed) {
    if ((order['payment'] as { status: string }).status !== 'CAPTURED') problems.push(`order ${String(order['orderId'])} CONFIRMED but not captured`);
  }
  // Money (Stripe): nothing authorized left; captured money kept only for a CONFIRMED order, exactly its total, once.
  const intents = h.sandboxes.stripe.paymentIntents().filter((pi) => pi.metadata['customer_id'] === customerId);
  for (const pi of intents) {
    const orderId = pi.metadata['order_id'] ?? '';
    if (pi.status === 'requires_capture') problems.push(`PaymentIntent ${pi.id} of ${orderId} still authorized`);
    const kept = pi.amountReceived - pi.amountRefunded;
    const total = totalOf(orderId);
    if (kept > 0 && total === undefined) problems.push(`PaymentIntent ${pi.id} keeps ${kept} without a CONFIRMED order`);
    if (total !== undefined && kept > 0 && kept !== total) problems.push(`order ${orderId} kept ${kept}, total ${total}`);
  }
  // Money (PayPal): authorizations voided or captured; captures kept only for a CONFIRMED order (invoice id = order id).
  const paypalOrders = h.sandboxes.paypal.orders().filter((o) => o.customId === customerId);
  for (const po of paypalOrders) {
    for (const a of po.authorizations) if (a.status === 'CREATED' || a.status === 'PARTIALLY_CAPTURED') problems.push(`PayPal authorization ${a.id} still held`);
    for (const capture of po.captures) {
      const kept = capture.amount.minor - capture.refundedMinor;
      const total = totalOf(capture.invoiceId ?? '');
      if (kept > 0 && total === undefined) problems.push(`PayPal capture ${capture.id} keeps ${kept} without a CONFIRMED order`);
      if (total !== undefined && kept > 0 && kept !== total) problems.push(`PayPal capture of ${String(capture.invoiceId)} kept ${kept}, total ${total}`);
    }
  }
  // Each CONFIRMED order paid exactly once.
  for (const order of confirmed) {
    const id = String(order['orderId']);
    const paid =
      (order['payment'] as { method: string }).method === 'paypal'
        ? paypalOrders.flatMap((po) => po.captures).filter((cap) => cap.invoiceId === id && cap.amount.minor - cap.refundedMinor > 0).length
        : intents.filter((pi) => pi.metadata['order_id'] === id && pi.amountReceived - pi.amountRefunded > 0).length;
    if (paid !== 1) problems.push(`order ${id} paid ${paid} times`);
  }
  // The claim is final: answered (COMPLETED), or released once everything was undone.
  const claim = claimOf(customerId, items);
  if (claim && claim['status'] !== 'COMPLETED' && claim['status'] !== 'RELEASED') problems.push(`claim still ${String(claim['status'])}`);
  return problems;
}

/** The idempotency claim of a customer's (only) checkout. */
export function claimOf(customerId: string, items: Item[]): Item | undefined {
  return items.find((i) => String(i['PK']).startsWith(`IDEMPOTENCY#${customerId}#`));
}

/** Stock over the whole table: held only by CONFIRMED orders, and what is left plus what was sold is what there was. */
export async function stockProblems(h: CheckoutHarness, items: Item[], initialStock: Record<string, number>): Promise<string[]> {
  const problems: string[] = [];
  for (const reservation of items.filter((i) => String(i['SK']).startsWith('RESERVATION#') && i['status'] === 'RESERVED')) {
    const order = items.find((i) => i['PK'] === reservation['PK'] && i['SK'] === 'ORDER');
    if (order?.['status'] !== 'CONFIRMED') problems.push(`${String(reservation['PK'])} ${String(reservation['SK'])} held by ${order ? String(order['status']) : 'no'} order`);
  }
  const confirmedQuantities: Record<string, number> = {};
  for (const order of items.filter((i) => i['SK'] === 'ORDER' && i['status'] === 'CONFIRMED')) {
    for (const line of order['items'] as { productId: string; quantity: number }[]) {
      confirmedQuantities[line.productId] = (confirmedQuantities[line.productId] ?? 0) + line.quantity;
    }
  }
  const productIds = Object.keys(initialStock);
  const stock = await h.stock(productIds);
  for (const productId of productIds) {
    const sold = confirmedQuantities[productId] ?? 0;
    if ((stock[productId] ?? 0) + sold !== initialStock[productId]) problems.push(`stock of ${productId}: ${stock[productId]} + confirmed ${sold} != ${initialStock[productId]}`);
  }
  return problems;
}

/** What became of a case: the retry's answer (or the claim's status) and the order's status. */
export function outcomeOf(customerId: string, items: Item[], retry: CheckoutCall | undefined): string {
  const orders = items.filter((i) => i['SK'] === 'ORDER' && i['customerId'] === customerId).map((o) => String(o['status']));
  const claim = claimOf(customerId, items);
  const order = orders.includes('CONFIRMED') ? 'CONFIRMED' : (orders[0] ?? 'no order');
  const answer = retry ? `${retry.response.statusCode}${retry.response.headers['Idempotent-Replayed'] ? ' replay' : ''}` : claim ? String(claim['status']).toLowerCase() : 'nothing claimed';
  return `${answer} / ${order}`;
}

/** Runs `run` over `list`, `size` at a time. */
export async function inBatches<T>(list: T[], size: number, run: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < list.length; i += size) await Promise.all(list.slice(i, i + size).map(run));
}

/**
 * An execution's path for a failure report: the states it entered, in order, with each failure
 * on the way (`!TaskFailed Sandbox.Timedout`) and how it ended, so a broken guarantee says how.
 */
export function executionPath(name: string, status: string, history: readonly HistoryEvent[] | undefined): string {
  const steps: string[] = [];
  for (const event of history ?? []) {
    if (event.type.endsWith('StateEntered')) steps.push(event.stateEnteredEventDetails?.name ?? '?');
    else if (/(Failed|TimedOut)$/.test(event.type)) {
      const details = Object.entries(event).find(([key]) => key.endsWith('EventDetails'))?.[1] as { error?: string } | undefined;
      steps.push(`!${event.type}${details?.error ? ` ${details.error}` : ''}`);
    }
  }
  return `${name} ${status}: ${steps.join(' → ')}`;
}

/**
 * Runs recover-checkouts (the scheduled job's real handler) until no claim is in flight or
 * `maxPasses` ran, waiting for the executions each pass started. Should a resumed execution
 * overrun its timeout, the next pass resumes it once its lock expires (`lockSeconds`), as the
 * scheduled job would. Then the sweeps finish what the checkouts left them (a compensation, an event).
 */
export async function recoverUntilSettled(
  h: CheckoutHarness,
  options: { lockSeconds: number; maxPasses: number },
): Promise<{ resumed: RecoveryResult['resumed']; setAside: RecoveryResult['setAside']; passes: number }> {
  const recovery = { resumed: [] as RecoveryResult['resumed'], setAside: [] as RecoveryResult['setAside'], passes: 0 };
  for (;;) {
    const pass = (await h.runScheduled('recover-checkouts')) as RecoveryResult;
    recovery.passes += 1;
    recovery.resumed.push(...pass.resumed);
    recovery.setAside.push(...pass.setAside);
    await Promise.all(h.startedExecutions().map((e) => e.done));
    const inFlight = (await scanAll(h)).filter((i) => i['GSI1PK'] === keys.checkoutInFlightPartition);
    if (inFlight.length === 0 || recovery.passes >= options.maxPasses) break;
    await new Promise((resolve) => setTimeout(resolve, (options.lockSeconds + 1) * 1000));
  }
  return recovery;
}

/** The sweeps that finish what a checkout left for them: compensations, then unpublished events. */
export async function runSweeps(h: CheckoutHarness): Promise<void> {
  await h.runScheduled('complete-compensations');
  await h.runScheduled('redrive-outbox');
}
