import { checkoutExecutionName } from '@orderflow/order-workflow';
import { type CheckoutHarness, type Handler, startCheckoutHarness, synthesizeTemplate } from './checkout-harness';

/** The ways a checkout can go that the crash tests kill, each from a catalog of plenty (and one sold out). */

export const CRASH_TEST_PRODUCTS = [
  { productId: 'mug-classic', name: 'Classic mug', price: { amount: 1299, currency: 'USD' }, stock: 100_000 },
  { productId: 'tee-black', name: 'Black tee', price: { amount: 2500, currency: 'USD' }, stock: 100_000 },
  { productId: 'sold-out', name: 'Sold out', price: { amount: 990, currency: 'USD' }, stock: 0 },
];
export const CRASH_TEST_STOCK: Record<string, number> = Object.fromEntries(CRASH_TEST_PRODUCTS.map((p) => [p.productId, p.stock]));

/** A way a checkout can go, and what may fail on the way (for this execution only). */
export interface Scenario {
  name: string;
  items: { productId: string; quantity: number }[];
  payment: (h: CheckoutHarness, customerId: string) => Promise<Record<string, string>>;
  /** Handlers made to fail for the first execution (the provider or the table misbehaving until the crash). */
  faults?: Record<string, HandlerHook>;
  keyed?: boolean;
}

export const providerDown = (): Handler => async () => {
  throw Object.assign(new Error('the provider did not answer in time'), { name: 'PaymentProviderUnavailableError' });
};
export const tableDown = (): Handler => async () => {
  throw Object.assign(new Error('simulated outage of the table'), { name: 'InternalServerError' });
};
/** The provider acts, its answer is lost. */
export const answerLost = (real: Handler): Handler => async (event, context) => {
  await real(event, context);
  throw Object.assign(new Error('the answer was lost'), { name: 'PaymentProviderUnavailableError' });
};

const card = (paymentMethodId = 'pm_card_visa') => async () => ({ method: 'card', paymentMethodId });
const paypal = (items: Scenario['items']) => async (h: CheckoutHarness, customerId: string) => {
  const created = (await h.handler('create-paypal-order')(
    { httpMethod: 'POST', path: '/paypal/orders', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ customerId, items }), requestContext: { requestId: `pp-${customerId}` } },
    undefined,
  )) as { statusCode: number; body: string };
  const { paypalOrderId } = JSON.parse(created.body) as { paypalOrderId: string };
  h.sandboxes.paypal.approveOrder(paypalOrderId);
  return { method: 'paypal', paypalOrderId };
};

const TWO_LINES = [
  { productId: 'mug-classic', quantity: 2 },
  { productId: 'tee-black', quantity: 1 },
];
export const CHECKOUT_SCENARIOS: Scenario[] = [
  { name: 'card, placed', items: TWO_LINES, payment: card() },
  { name: 'PayPal, placed', items: [{ productId: 'tee-black', quantity: 1 }], payment: paypal([{ productId: 'tee-black', quantity: 1 }]) },
  { name: 'card, no key, placed', items: [{ productId: 'mug-classic', quantity: 1 }], payment: card(), keyed: false },
  { name: 'declined', items: TWO_LINES, payment: card('pm_card_chargeDeclinedInsufficientFunds') },
  { name: 'out of stock', items: [{ productId: 'mug-classic', quantity: 1 }, { productId: 'sold-out', quantity: 1 }], payment: card() },
  { name: 'capture fails (void)', items: TWO_LINES, payment: card(), faults: { 'capture-payment': providerDown } },
  { name: 'capture unrecorded (refund)', items: [{ productId: 'tee-black', quantity: 2 }], payment: card(), faults: { 'record-capture': tableDown } },
  { name: 'authorize answer lost (uncertain void)', items: [{ productId: 'mug-classic', quantity: 1 }], payment: card(), faults: { 'authorize-payment': answerLost } },
  { name: 'release fails (sweep)', items: TWO_LINES, payment: card('pm_card_chargeDeclined'), faults: { 'release-reservations': tableDown } },
];

/** A handler's stand-in for one execution: given the real handler, what runs instead. */
export type HandlerHook = (real: Handler) => Handler;

/**
 * Handler hooks per execution (by execution name, from the task's correlation): `install`
 * overrides the named handlers once; each call is recorded under its execution and runs that
 * execution's hook for the handler, if it has one, else the real handler.
 */
export class ExecutionHooks {
  readonly hooks = new Map<string, Record<string, HandlerHook>>();
  /** Per execution name: the hooked handlers it called, in order. */
  readonly called = new Map<string, string[]>();

  install(h: CheckoutHarness, handlerNames: readonly string[]): void {
    for (const name of handlerNames) {
      const real = h.handler(name);
      h.override(name, (event, context) => {
        const execution = (event as { correlation?: { executionName?: string } }).correlation?.executionName ?? '';
        (this.called.get(execution) ?? this.called.set(execution, []).get(execution))?.push(name);
        const hook = this.hooks.get(execution)?.[name];
        return hook ? hook(real)(event, context) : real(event, context);
      });
    }
  }
}

/** Runs a scenario once with its faults and nothing else (its reference): the execution, and the hooked handlers it called. */
export async function runReference(h: CheckoutHarness, hooks: ExecutionHooks, scenario: Scenario, customerId: string) {
  const body = { customerId, items: scenario.items, payment: await scenario.payment(h, customerId) };
  const requestId = `ref-${customerId}`;
  const name = checkoutExecutionName(body, requestId);
  hooks.hooks.set(name, { ...scenario.faults });
  try {
    const call = await h.checkout(body, { ...(scenario.keyed === false ? {} : { idempotencyKey: `key-${customerId}` }), requestId });
    return { execution: call.execution, called: hooks.called.get(name) ?? [] };
  } finally {
    hooks.hooks.delete(name);
  }
}

/**
 * The harness the crash tests run on: the synthesized template with a short execution timeout
 * and lock, the crash tests' catalog seeded, and `hooks` installed on `handlerNames`.
 */
export async function startCrashTestHarness(
  timing: { timeoutSeconds: number; lockSeconds: number },
  hooks: ExecutionHooks,
  handlerNames: readonly string[],
): Promise<CheckoutHarness> {
  const h = await startCheckoutHarness(
    synthesizeTemplate({ 'orderflow:checkoutTimeoutSeconds': String(timing.timeoutSeconds), 'orderflow:checkoutLockSeconds': String(timing.lockSeconds) }),
  );
  await h.seed(CRASH_TEST_PRODUCTS);
  hooks.install(h, handlerNames);
  return h;
}
