import { stripeId } from '../ids';
import type { Ledger} from '../ledger';
import { type LedgerTable } from '../ledger';
import { resourceMissing } from './stripe-errors';
import { TEST_PAYMENT_METHODS, type TestPaymentMethod } from './test-payment-methods';

export type PaymentIntentStatus =
  | 'requires_payment_method'
  | 'requires_confirmation'
  | 'requires_action'
  | 'processing'
  | 'requires_capture'
  | 'canceled'
  | 'succeeded';

export interface StripeRefundRecord {
  id: string;
  paymentIntent: string;
  amount: number;
  currency: string;
  status: 'succeeded';
  reason: string | null;
  idempotencyKey: string | null;
}

export interface PaymentMethodObject {
  id: string;
  /** The test token it was made from (`pm_card_visa`). */
  testId: string;
  test: TestPaymentMethod;
  created: number;
}

export interface PaymentIntentState {
  id: string;
  amount: number;
  currency: string;
  status: PaymentIntentStatus;
  captureMethod: string;
  paymentMethod: PaymentMethodObject | null;
  lastFailedPaymentMethod: PaymentMethodObject | null;
  paymentMethodTypes: string[];
  allowedPaymentMethodTypes: string[] | null;
  automaticPaymentMethods: { enabled: boolean; allow_redirects?: string } | null;
  metadata: Record<string, string>;
  description: string | null;
  amountCapturable: number;
  amountReceived: number;
  amountRefunded: number;
  latestCharge: string | null;
  lastPaymentError: Record<string, unknown> | null;
  lastPaymentErrorCodes: { code: string; declineCode: string } | null;
  nextAction: Record<string, unknown> | null;
  canceledAt: number | null;
  cancellationReason: string | null;
  clientSecret: string;
  created: number;
  idempotencyKey: string | null;
  refunds: StripeRefundRecord[];
}

/** The first answer to an idempotency key, replayed to a repeat of the same request. */
export interface StoredResponse {
  method: string;
  path: string;
  params: string;
  status: number;
  json: unknown;
  requestId: string;
  /** When it was stored (ms since the epoch): Stripe keeps keys for 24 hours. */
  at: number;
}

/** How long Stripe replays an idempotency key's first answer. */
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 60 * 60 * 1000;

export const now = (): number => Math.floor(Date.now() / 1000);

/**
 * What the Stripe sandbox remembers, as Stripe's servers do: PaymentIntents (with their
 * refunds), PaymentMethods and the answers stored under idempotency keys. On a ledger with a
 * file it outlives the process; a value changed in place is saved with `save*`.
 */
export class StripeState {
  readonly intents: LedgerTable<PaymentIntentState>;
  readonly paymentMethods: LedgerTable<PaymentMethodObject>;
  private readonly idempotency: LedgerTable<StoredResponse>;

  constructor(
    readonly ledger: Ledger,
    private readonly clock: () => number = Date.now,
  ) {
    this.intents = ledger.table('payment_intents');
    this.paymentMethods = ledger.table('payment_methods');
    this.idempotency = ledger.table('idempotency_keys');
    // Keys older than 24 h are forgotten, as Stripe forgets them.
    for (const [key, stored] of [...this.idempotency.entries()]) if (this.expired(stored)) this.idempotency.delete(key);
  }

  saveIntent(pi: PaymentIntentState): void {
    this.intents.put(pi.id, pi);
  }

  findIntent(id: string): PaymentIntentState {
    const pi = this.intents.get(id);
    if (!pi) throw resourceMissing(`No such payment_intent: '${id}'`, 'intent', 404);
    return pi;
  }

  /** The PaymentMethod of that id; a test token such as pm_card_visa becomes a new PaymentMethod each time, as in Stripe. */
  findPaymentMethod(id: string): PaymentMethodObject {
    const existing = this.paymentMethods.get(id);
    if (existing) return existing;
    const test = TEST_PAYMENT_METHODS[id];
    if (!test) throw resourceMissing(`No such PaymentMethod: '${id}'`, 'payment_method');
    const pm: PaymentMethodObject = { id: stripeId('pm'), testId: id, test, created: now() };
    this.paymentMethods.put(pm.id, pm);
    return pm;
  }

  storedResponse(key: string): StoredResponse | undefined {
    const stored = this.idempotency.get(key);
    return stored && !this.expired(stored) ? stored : undefined;
  }

  storeResponse(key: string, response: Omit<StoredResponse, 'at'>): void {
    this.idempotency.put(key, { ...response, at: this.clock() });
  }

  refunds(): StripeRefundRecord[] {
    return [...this.intents.values()].flatMap((pi) => pi.refunds);
  }

  private expired(stored: StoredResponse): boolean {
    return this.clock() - stored.at > IDEMPOTENCY_KEY_TTL_MS;
  }
}
