import type { Ledger} from '../ledger';
import { type LedgerTable } from '../ledger';
import { issueError } from './paypal-errors';

export interface Money {
  currency_code: string;
  value: string;
}

export interface Unit {
  referenceId: string;
  amount: Money;
  minor: number;
  customId: string | null;
  invoiceId: string | null;
  description: string | null;
}

export interface AuthorizationState {
  id: string;
  orderId: string;
  status: 'CREATED' | 'CAPTURED' | 'PARTIALLY_CAPTURED' | 'VOIDED';
  amount: Money;
  minor: number;
  capturedMinor: number;
  createTime: string;
  updateTime: string;
  expirationTime: string;
  requestId: string | null;
}

export interface CaptureState {
  id: string;
  orderId: string;
  authorizationId: string | null;
  status: 'COMPLETED' | 'PARTIALLY_REFUNDED' | 'REFUNDED';
  amount: Money;
  minor: number;
  refundedMinor: number;
  finalCapture: boolean;
  invoiceId: string | null;
  createTime: string;
  updateTime: string;
  requestId: string | null;
}

export interface RefundState {
  id: string;
  captureId: string;
  orderId: string;
  amount: Money;
  minor: number;
  invoiceId: string | null;
  noteToPayer: string | null;
  createTime: string;
  requestId: string | null;
}

export interface OrderState {
  id: string;
  intent: 'AUTHORIZE' | 'CAPTURE';
  status: 'CREATED' | 'APPROVED' | 'COMPLETED' | 'VOIDED';
  unit: Unit;
  applicationContext: { return_url?: string; cancel_url?: string; brand_name?: string };
  payer: { payerId: string; email: string } | null;
  mockApplicationCodes: string | null;
  createTime: string;
  updateTime: string;
  requestId: string | null;
  /** The order's authorizations and captures, by id (each kept in its own table). */
  authorizationIds: string[];
  captureIds: string[];
}

/** The first answer to a PayPal-Request-Id, replayed to a repeat. */
export interface StoredResponse {
  status: number;
  json: unknown;
  /** When it was stored (ms since the epoch): PayPal keeps request ids for 6 hours. */
  at: number;
}

/** How long PayPal answers a repeated PayPal-Request-Id with the first answer (its default). */
export const REQUEST_ID_TTL_MS = 6 * 60 * 60 * 1000;

export const iso = (date = new Date()): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * What the PayPal sandbox remembers, as PayPal does: orders, authorizations, captures,
 * refunds, the access tokens it issued and the answers stored under PayPal-Request-Ids. On a
 * ledger with a file it outlives the process; a value changed in place is saved with `save*`.
 */
export class PaypalState {
  readonly orders: LedgerTable<OrderState>;
  readonly authorizations: LedgerTable<AuthorizationState>;
  readonly captures: LedgerTable<CaptureState>;
  readonly refunds: LedgerTable<RefundState>;
  /** Access token → when it expires (ms since the epoch). */
  readonly tokens: LedgerTable<number>;
  private readonly requestIds: LedgerTable<StoredResponse>;

  constructor(
    readonly ledger: Ledger,
    private readonly clock: () => number = Date.now,
  ) {
    this.orders = ledger.table('orders');
    this.authorizations = ledger.table('authorizations');
    this.captures = ledger.table('captures');
    this.refunds = ledger.table('refunds');
    this.tokens = ledger.table('access_tokens');
    this.requestIds = ledger.table('request_ids');
    for (const [key, stored] of [...this.requestIds.entries()]) if (this.expired(stored)) this.requestIds.delete(key);
    for (const [token, expires] of [...this.tokens.entries()]) if (expires <= this.clock()) this.tokens.delete(token);
  }

  saveOrder(order: OrderState): void {
    this.orders.put(order.id, order);
  }

  saveAuthorization(auth: AuthorizationState): void {
    this.authorizations.put(auth.id, auth);
  }

  saveCapture(capture: CaptureState): void {
    this.captures.put(capture.id, capture);
  }

  findOrder(id: string): OrderState {
    const order = this.orders.get(id);
    if (!order) throw issueError('INVALID_RESOURCE_ID', { field: 'order_id', value: id, location: 'path' });
    return order;
  }

  findAuthorization(id: string): AuthorizationState {
    const found = this.authorizations.get(id);
    if (!found) throw issueError('INVALID_RESOURCE_ID', { field: 'authorization_id', value: id, location: 'path' });
    return found;
  }

  findCapture(id: string): CaptureState {
    const found = this.captures.get(id);
    if (!found) throw issueError('INVALID_RESOURCE_ID', { field: 'capture_id', value: id, location: 'path' });
    return found;
  }

  authorizationsOf(order: OrderState): AuthorizationState[] {
    return order.authorizationIds.flatMap((id) => this.authorizations.get(id) ?? []);
  }

  capturesOf(order: OrderState): CaptureState[] {
    return order.captureIds.flatMap((id) => this.captures.get(id) ?? []);
  }

  refundsOf(order: OrderState): RefundState[] {
    return [...this.refunds.values()].filter((r) => r.orderId === order.id);
  }

  storedResponse(key: string): StoredResponse | undefined {
    const stored = this.requestIds.get(key);
    return stored && !this.expired(stored) ? stored : undefined;
  }

  storeResponse(key: string, response: Omit<StoredResponse, 'at'>): void {
    this.requestIds.put(key, { ...response, at: this.clock() });
  }

  tokenValid(token: string): boolean {
    const expires = this.tokens.get(token);
    return expires !== undefined && expires > this.clock();
  }

  expireTokens(): void {
    for (const token of [...this.tokens.entries()].map(([t]) => t)) this.tokens.delete(token);
  }

  private expired(stored: StoredResponse): boolean {
    return this.clock() - stored.at > REQUEST_ID_TTL_MS;
  }
}
