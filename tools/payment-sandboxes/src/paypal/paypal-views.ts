import { formatDecimal } from '../currency';
import type { AuthorizationState, CaptureState, OrderState, PaypalState, RefundState } from './paypal-state';

/** PayPal's objects as its JSON shows them (with HATEOAS links), and the records the sandbox hands to tests. */

export interface PaypalAmountRecord {
  currency: string;
  value: string;
  /** The value in minor units. */
  minor: number;
}

export interface PaypalAuthorizationRecord {
  id: string;
  status: 'CREATED' | 'CAPTURED' | 'PARTIALLY_CAPTURED' | 'VOIDED';
  amount: PaypalAmountRecord;
  capturedMinor: number;
  requestId: string | null;
}

export interface PaypalCaptureRecord {
  id: string;
  authorizationId: string | null;
  status: 'COMPLETED' | 'PARTIALLY_REFUNDED' | 'REFUNDED';
  amount: PaypalAmountRecord;
  refundedMinor: number;
  invoiceId: string | null;
  requestId: string | null;
}

export interface PaypalRefundRecord {
  id: string;
  captureId: string;
  status: 'COMPLETED';
  amount: PaypalAmountRecord;
  requestId: string | null;
}

export interface PaypalOrderRecord {
  id: string;
  intent: 'AUTHORIZE' | 'CAPTURE';
  status: 'CREATED' | 'APPROVED' | 'COMPLETED' | 'VOIDED';
  amount: PaypalAmountRecord;
  customId: string | null;
  referenceId: string;
  payerId: string | null;
  /** Codes a sandbox buyer chose at approval, applied when the order is authorized or captured. */
  mockApplicationCodes: string | null;
  requestId: string | null;
  authorizations: PaypalAuthorizationRecord[];
  captures: PaypalCaptureRecord[];
  refunds: PaypalRefundRecord[];
}

const MERCHANT_ID = 'ORDERFLOWMERCH';
const MERCHANT_EMAIL = 'merchant@orderflow.example';

const feeOf = (minor: number) => Math.round(minor * 0.0349) + 49;

export class PaypalViews {
  constructor(
    private readonly state: PaypalState,
    private readonly baseUrl: () => string,
  ) {}

  link(href: string, rel: string, method: string) {
    return { href: `${this.baseUrl()}${href}`, rel, method };
  }

  authorizationJson(a: AuthorizationState, withRelated = false) {
    return {
      id: a.id,
      status: a.status,
      amount: a.amount,
      seller_protection: { status: 'ELIGIBLE', dispute_categories: ['ITEM_NOT_RECEIVED', 'UNAUTHORIZED_TRANSACTION'] },
      expiration_time: a.expirationTime,
      create_time: a.createTime,
      update_time: a.updateTime,
      ...(withRelated ? { supplementary_data: { related_ids: { order_id: a.orderId } } } : {}),
      links: [
        this.link(`/v2/payments/authorizations/${a.id}`, 'self', 'GET'),
        this.link(`/v2/payments/authorizations/${a.id}/capture`, 'capture', 'POST'),
        this.link(`/v2/payments/authorizations/${a.id}/void`, 'void', 'POST'),
        this.link(`/v2/payments/authorizations/${a.id}/reauthorize`, 'reauthorize', 'POST'),
        this.link(`/v2/checkout/orders/${a.orderId}`, 'up', 'GET'),
      ],
    };
  }

  captureJson(c: CaptureState, withRelated = false) {
    const fee = Math.min(feeOf(c.minor), c.minor);
    return {
      id: c.id,
      status: c.status,
      amount: c.amount,
      final_capture: c.finalCapture,
      ...(c.invoiceId ? { invoice_id: c.invoiceId } : {}),
      seller_protection: { status: 'ELIGIBLE', dispute_categories: ['ITEM_NOT_RECEIVED', 'UNAUTHORIZED_TRANSACTION'] },
      seller_receivable_breakdown: {
        gross_amount: c.amount,
        paypal_fee: { currency_code: c.amount.currency_code, value: formatDecimal(fee, c.amount.currency_code) },
        net_amount: { currency_code: c.amount.currency_code, value: formatDecimal(c.minor - fee, c.amount.currency_code) },
      },
      create_time: c.createTime,
      update_time: c.updateTime,
      ...(withRelated
        ? { supplementary_data: { related_ids: { order_id: c.orderId, ...(c.authorizationId ? { authorization_id: c.authorizationId } : {}) } } }
        : {}),
      links: [
        this.link(`/v2/payments/captures/${c.id}`, 'self', 'GET'),
        this.link(`/v2/payments/captures/${c.id}/refund`, 'refund', 'POST'),
        c.authorizationId
          ? this.link(`/v2/payments/authorizations/${c.authorizationId}`, 'up', 'GET')
          : this.link(`/v2/checkout/orders/${c.orderId}`, 'up', 'GET'),
      ],
    };
  }

  refundJson(r: RefundState) {
    return {
      id: r.id,
      status: 'COMPLETED',
      amount: r.amount,
      ...(r.invoiceId ? { invoice_id: r.invoiceId } : {}),
      ...(r.noteToPayer ? { note_to_payer: r.noteToPayer } : {}),
      seller_payable_breakdown: {
        gross_amount: r.amount,
        paypal_fee: { currency_code: r.amount.currency_code, value: formatDecimal(0, r.amount.currency_code) },
        net_amount: r.amount,
        total_refunded_amount: r.amount,
      },
      create_time: r.createTime,
      update_time: r.createTime,
      links: [this.link(`/v2/payments/refunds/${r.id}`, 'self', 'GET'), this.link(`/v2/payments/captures/${r.captureId}`, 'up', 'GET')],
    };
  }

  orderLinks(o: OrderState) {
    const links = [this.link(`/v2/checkout/orders/${o.id}`, 'self', 'GET')];
    if (o.status === 'CREATED') links.push(this.link(`/checkoutnow?token=${o.id}`, 'approve', 'GET'));
    if (o.status === 'CREATED' || o.status === 'APPROVED') {
      links.push(this.link(`/v2/checkout/orders/${o.id}`, 'update', 'PATCH'));
      links.push(
        o.intent === 'AUTHORIZE'
          ? this.link(`/v2/checkout/orders/${o.id}/authorize`, 'authorize', 'POST')
          : this.link(`/v2/checkout/orders/${o.id}/capture`, 'capture', 'POST'),
      );
    }
    return links;
  }

  private paymentsJson(o: OrderState) {
    const authorizations = this.state.authorizationsOf(o);
    const captures = this.state.capturesOf(o);
    return authorizations.length > 0 || captures.length > 0
      ? {
          payments: {
            ...(authorizations.length > 0 ? { authorizations: authorizations.map((a) => this.authorizationJson(a)) } : {}),
            ...(captures.length > 0 ? { captures: captures.map((c) => this.captureJson(c)) } : {}),
          },
        }
      : {};
  }

  private payerJson(o: OrderState) {
    return o.payer
      ? {
          payment_source: {
            paypal: {
              email_address: o.payer.email,
              account_id: o.payer.payerId,
              account_status: 'VERIFIED',
              name: { given_name: 'Sandbox', surname: 'Buyer' },
              address: { country_code: 'US' },
            },
          },
          payer: {
            name: { given_name: 'Sandbox', surname: 'Buyer' },
            email_address: o.payer.email,
            payer_id: o.payer.payerId,
            address: { country_code: 'US' },
          },
        }
      : {};
  }

  orderJson(o: OrderState) {
    return {
      id: o.id,
      intent: o.intent,
      status: o.status,
      ...this.payerJson(o),
      purchase_units: [
        {
          reference_id: o.unit.referenceId,
          amount: o.unit.amount,
          payee: { email_address: MERCHANT_EMAIL, merchant_id: MERCHANT_ID },
          ...(o.unit.description ? { description: o.unit.description } : {}),
          ...(o.unit.customId ? { custom_id: o.unit.customId } : {}),
          ...(o.unit.invoiceId ? { invoice_id: o.unit.invoiceId } : {}),
          ...this.paymentsJson(o),
        },
      ],
      create_time: o.createTime,
      update_time: o.updateTime,
      links: this.orderLinks(o),
    };
  }

  /** PayPal's default (`Prefer: return=minimal`) answer: the id, the status and the links (and payments). */
  minimalOrderJson(o: OrderState) {
    return {
      id: o.id,
      status: o.status,
      ...this.payerJson(o),
      ...(o.authorizationIds.length > 0 || o.captureIds.length > 0 ? { purchase_units: [{ reference_id: o.unit.referenceId, ...this.paymentsJson(o) }] } : {}),
      links: this.orderLinks(o),
    };
  }

  orderRecord(o: OrderState): PaypalOrderRecord {
    return {
      id: o.id,
      intent: o.intent,
      status: o.status,
      amount: { currency: o.unit.amount.currency_code, value: o.unit.amount.value, minor: o.unit.minor },
      customId: o.unit.customId,
      referenceId: o.unit.referenceId,
      payerId: o.payer?.payerId ?? null,
      mockApplicationCodes: o.mockApplicationCodes,
      requestId: o.requestId,
      authorizations: this.state.authorizationsOf(o).map((a) => ({
        id: a.id,
        status: a.status,
        amount: { currency: a.amount.currency_code, value: a.amount.value, minor: a.minor },
        capturedMinor: a.capturedMinor,
        requestId: a.requestId,
      })),
      captures: this.state.capturesOf(o).map((c) => ({
        id: c.id,
        authorizationId: c.authorizationId,
        status: c.status,
        amount: { currency: c.amount.currency_code, value: c.amount.value, minor: c.minor },
        refundedMinor: c.refundedMinor,
        invoiceId: c.invoiceId,
        requestId: c.requestId,
      })),
      refunds: this.state.refundsOf(o).map((r) => ({
        id: r.id,
        captureId: r.captureId,
        status: 'COMPLETED' as const,
        amount: { currency: r.amount.currency_code, value: r.amount.value, minor: r.minor },
        requestId: r.requestId,
      })),
    };
  }
}
