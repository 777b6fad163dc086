import { currencyExponent, formatDecimal, parseDecimal } from '../currency';
import { FaultController } from '../faults';
import { debugId, paypalId, randomSecret } from '../ids';
import {
  headerOf,
  parseJson,
  type RecordedRequest,
  type SandboxRequest,
  type SandboxResponse,
  startSandboxServer,
} from '../sandbox-server';
import { approvalPage, messagePage } from './approval-page';
import { type IssueDetail, issueError, PAYPAL_ISSUES, PaypalApiError, paypalErrorResponse } from './paypal-errors';

export interface PaypalSandboxOptions {
  /** Interface to listen on; 127.0.0.1 by default. */
  host?: string;
  /** 0 (the default) takes a free port. */
  port?: number;
  /** The REST app's credentials the sandbox accepts; fresh random ones by default. */
  clientId?: string;
  clientSecret?: string;
  /** Lifetime of issued access tokens (PayPal: 32400 s). */
  accessTokenTtlSeconds?: number;
  /** Random source of the fault switches. */
  random?: () => number;
}

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

export interface ApproveOptions {
  payerId?: string;
  email?: string;
  /** Negative testing chosen by the buyer: e.g. INSTRUMENT_DECLINED when the order is authorized. */
  mockApplicationCodes?: string;
}

export interface PaypalSandbox {
  /** The REST base URL (`http://127.0.0.1:<port>`), for PAYPAL_BASE_URL. */
  url: string;
  host: string;
  port: number;
  protocol: 'http';
  clientId: string;
  clientSecret: string;
  env: { PAYPAL_CLIENT_ID: string; PAYPAL_CLIENT_SECRET: string; PAYPAL_BASE_URL: string };
  faults: FaultController;
  /** The buyer approves the order, as in PayPal's popup. */
  approveOrder(orderId: string, options?: ApproveOptions): PaypalOrderRecord;
  orders(): PaypalOrderRecord[];
  order(orderId: string): PaypalOrderRecord | undefined;
  /** Access tokens handed out so far (tests check none of them leaks). */
  issuedAccessTokens(): string[];
  /** Makes every issued token invalid, as if it expired. */
  expireAccessTokens(): void;
  requests(): RecordedRequest[];
  reset(): void;
  stop(): Promise<void>;
}

interface Money {
  currency_code: string;
  value: string;
}

interface Unit {
  referenceId: string;
  amount: Money;
  minor: number;
  customId: string | null;
  invoiceId: string | null;
  description: string | null;
}

interface AuthorizationState {
  id: string;
  orderId: string;
  status: PaypalAuthorizationRecord['status'];
  amount: Money;
  minor: number;
  capturedMinor: number;
  createTime: string;
  updateTime: string;
  expirationTime: string;
  requestId: string | null;
}

interface CaptureState {
  id: string;
  orderId: string;
  authorizationId: string | null;
  status: PaypalCaptureRecord['status'];
  amount: Money;
  minor: number;
  refundedMinor: number;
  finalCapture: boolean;
  invoiceId: string | null;
  createTime: string;
  updateTime: string;
  requestId: string | null;
}

interface RefundState {
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

interface OrderState {
  id: string;
  intent: 'AUTHORIZE' | 'CAPTURE';
  status: PaypalOrderRecord['status'];
  unit: Unit;
  applicationContext: { return_url?: string; cancel_url?: string; brand_name?: string };
  payer: { payerId: string; email: string } | null;
  mockApplicationCodes: string | null;
  createTime: string;
  updateTime: string;
  requestId: string | null;
  authorizations: AuthorizationState[];
  captures: CaptureState[];
}

interface StoredResponse {
  status: number;
  json: unknown;
}

const MERCHANT_ID = 'ORDERFLOWMERCH';
const MERCHANT_EMAIL = 'merchant@orderflow.example';
const APP_ID = 'APP-80W284485P519543T';

const iso = (date = new Date()) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Starts a local server that answers like PayPal's REST sandbox (OAuth2, Orders v2, Payments v2). */
export async function startPaypalSandbox(options: PaypalSandboxOptions = {}): Promise<PaypalSandbox> {
  const clientId = options.clientId ?? `sandbox-client-${randomSecret(16)}`;
  const clientSecret = options.clientSecret ?? `sandbox-secret-${randomSecret(32)}`;
  const ttl = options.accessTokenTtlSeconds ?? 32_400;
  const faults = new FaultController(options.random);
  const orders = new Map<string, OrderState>();
  const authorizations = new Map<string, AuthorizationState>();
  const captures = new Map<string, CaptureState>();
  const refunds = new Map<string, RefundState>();
  const tokens = new Map<string, number>();
  const issuedTokens: string[] = [];
  const requestIds = new Map<string, StoredResponse>();
  let baseUrl = '';

  const reset = () => {
    orders.clear();
    authorizations.clear();
    captures.clear();
    refunds.clear();
    requestIds.clear();
  };

  // --- objects as the API shows them -------------------------------------------------------

  const link = (href: string, rel: string, method: string) => ({ href: `${baseUrl}${href}`, rel, method });

  const authorizationJson = (a: AuthorizationState, withRelated = false) => ({
    id: a.id,
    status: a.status,
    amount: a.amount,
    seller_protection: { status: 'ELIGIBLE', dispute_categories: ['ITEM_NOT_RECEIVED', 'UNAUTHORIZED_TRANSACTION'] },
    expiration_time: a.expirationTime,
    create_time: a.createTime,
    update_time: a.updateTime,
    ...(withRelated ? { supplementary_data: { related_ids: { order_id: a.orderId } } } : {}),
    links: [
      link(`/v2/payments/authorizations/${a.id}`, 'self', 'GET'),
      link(`/v2/payments/authorizations/${a.id}/capture`, 'capture', 'POST'),
      link(`/v2/payments/authorizations/${a.id}/void`, 'void', 'POST'),
      link(`/v2/payments/authorizations/${a.id}/reauthorize`, 'reauthorize', 'POST'),
      link(`/v2/checkout/orders/${a.orderId}`, 'up', 'GET'),
    ],
  });

  const feeOf = (minor: number) => Math.round(minor * 0.0349) + 49;

  const captureJson = (c: CaptureState, withRelated = false) => {
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
        link(`/v2/payments/captures/${c.id}`, 'self', 'GET'),
        link(`/v2/payments/captures/${c.id}/refund`, 'refund', 'POST'),
        c.authorizationId
          ? link(`/v2/payments/authorizations/${c.authorizationId}`, 'up', 'GET')
          : link(`/v2/checkout/orders/${c.orderId}`, 'up', 'GET'),
      ],
    };
  };

  const refundJson = (r: RefundState) => ({
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
    links: [link(`/v2/payments/refunds/${r.id}`, 'self', 'GET'), link(`/v2/payments/captures/${r.captureId}`, 'up', 'GET')],
  });

  const orderLinks = (o: OrderState) => {
    const links = [link(`/v2/checkout/orders/${o.id}`, 'self', 'GET')];
    if (o.status === 'CREATED') links.push(link(`/checkoutnow?token=${o.id}`, 'approve', 'GET'));
    if (o.status === 'CREATED' || o.status === 'APPROVED') {
      links.push(link(`/v2/checkout/orders/${o.id}`, 'update', 'PATCH'));
      links.push(
        o.intent === 'AUTHORIZE'
          ? link(`/v2/checkout/orders/${o.id}/authorize`, 'authorize', 'POST')
          : link(`/v2/checkout/orders/${o.id}/capture`, 'capture', 'POST'),
      );
    }
    return links;
  };

  const paymentsJson = (o: OrderState) =>
    o.authorizations.length > 0 || o.captures.length > 0
      ? {
          payments: {
            ...(o.authorizations.length > 0 ? { authorizations: o.authorizations.map((a) => authorizationJson(a)) } : {}),
            ...(o.captures.length > 0 ? { captures: o.captures.map((c) => captureJson(c)) } : {}),
          },
        }
      : {};

  const payerJson = (o: OrderState) =>
    o.payer
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

  const orderJson = (o: OrderState) => ({
    id: o.id,
    intent: o.intent,
    status: o.status,
    ...payerJson(o),
    purchase_units: [
      {
        reference_id: o.unit.referenceId,
        amount: o.unit.amount,
        payee: { email_address: MERCHANT_EMAIL, merchant_id: MERCHANT_ID },
        ...(o.unit.description ? { description: o.unit.description } : {}),
        ...(o.unit.customId ? { custom_id: o.unit.customId } : {}),
        ...(o.unit.invoiceId ? { invoice_id: o.unit.invoiceId } : {}),
        ...paymentsJson(o),
      },
    ],
    create_time: o.createTime,
    update_time: o.updateTime,
    links: orderLinks(o),
  });

  /** PayPal's default (`Prefer: return=minimal`) answer: the id, the status and the links (and payments). */
  const minimalOrderJson = (o: OrderState) => ({
    id: o.id,
    status: o.status,
    ...payerJson(o),
    ...(o.authorizations.length > 0 || o.captures.length > 0
      ? { purchase_units: [{ reference_id: o.unit.referenceId, ...paymentsJson(o) }] }
      : {}),
    links: orderLinks(o),
  });

  const orderRecord = (o: OrderState): PaypalOrderRecord => ({
    id: o.id,
    intent: o.intent,
    status: o.status,
    amount: { currency: o.unit.amount.currency_code, value: o.unit.amount.value, minor: o.unit.minor },
    customId: o.unit.customId,
    referenceId: o.unit.referenceId,
    payerId: o.payer?.payerId ?? null,
    mockApplicationCodes: o.mockApplicationCodes,
    requestId: o.requestId,
    authorizations: o.authorizations.map((a) => ({
      id: a.id,
      status: a.status,
      amount: { currency: a.amount.currency_code, value: a.amount.value, minor: a.minor },
      capturedMinor: a.capturedMinor,
      requestId: a.requestId,
    })),
    captures: o.captures.map((c) => ({
      id: c.id,
      authorizationId: c.authorizationId,
      status: c.status,
      amount: { currency: c.amount.currency_code, value: c.amount.value, minor: c.minor },
      refundedMinor: c.refundedMinor,
      invoiceId: c.invoiceId,
      requestId: c.requestId,
    })),
    refunds: [...refunds.values()]
      .filter((r) => r.orderId === o.id)
      .map((r) => ({
        id: r.id,
        captureId: r.captureId,
        status: 'COMPLETED' as const,
        amount: { currency: r.amount.currency_code, value: r.amount.value, minor: r.minor },
        requestId: r.requestId,
      })),
  });

  // --- request checks ----------------------------------------------------------------------

  const bodyObject = (request: SandboxRequest, optional: boolean): Record<string, unknown> => {
    if (request.body.trim() === '') {
      if (optional) return {};
      throw issueError('MISSING_REQUIRED_PARAMETER', { field: '/', location: 'body' });
    }
    const parsed = parseJson(request.body);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw issueError('MALFORMED_REQUEST_JSON');
    return parsed as Record<string, unknown>;
  };

  const readMoney = (value: unknown, field: string): { money: Money; minor: number } => {
    if (typeof value !== 'object' || value === null) throw issueError('MISSING_REQUIRED_PARAMETER', { field, location: 'body' });
    const { currency_code, value: amount } = value as Record<string, unknown>;
    if (typeof currency_code !== 'string') {
      throw issueError('MISSING_REQUIRED_PARAMETER', { field: `${field}/currency_code`, location: 'body' });
    }
    if (!/^[A-Z]{3}$/.test(currency_code)) {
      throw issueError('INVALID_PARAMETER_VALUE', { field: `${field}/currency_code`, value: currency_code, location: 'body' });
    }
    if (typeof amount !== 'string') throw issueError('MISSING_REQUIRED_PARAMETER', { field: `${field}/value`, location: 'body' });
    if (!/^\d{1,10}(\.\d+)?$/.test(amount)) {
      throw issueError('INVALID_PARAMETER_VALUE', { field: `${field}/value`, value: amount, location: 'body' });
    }
    const minor = parseDecimal(amount, currency_code);
    if (minor === undefined) {
      throw issueError('DECIMAL_PRECISION', {
        field: `${field}/value`,
        value: amount,
        location: 'body',
        description:
          currencyExponent(currency_code) === 0
            ? `Currency ${currency_code} does not support decimals.`
            : PAYPAL_ISSUES.DECIMAL_PRECISION?.description,
      });
    }
    if (minor <= 0) throw issueError('INVALID_PARAMETER_VALUE', { field: `${field}/value`, value: amount, location: 'body' });
    return { money: { currency_code, value: formatDecimal(minor, currency_code) }, minor };
  };

  const optionalString = (body: Record<string, unknown>, name: string, max: number, field = `/${name}`): string | null => {
    const value = body[name];
    if (value === undefined || value === null) return null;
    if (typeof value !== 'string') throw issueError('INVALID_PARAMETER_VALUE', { field, location: 'body' });
    if (value.length === 0 || value.length > max) throw issueError('INVALID_STRING_LENGTH', { field, value, location: 'body' });
    return value;
  };

  const prefersRepresentation = (request: SandboxRequest) =>
    (headerOf(request.headers, 'prefer') ?? '').includes('return=representation');

  const mockCodesOf = (request: SandboxRequest): string | null => {
    const header = headerOf(request.headers, 'paypal-mock-response');
    if (header === undefined) return null;
    const parsed = parseJson(header);
    const code = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>).mock_application_codes : undefined;
    if (typeof code !== 'string' || code === '') {
      throw issueError('INVALID_PARAMETER_VALUE', { field: 'PayPal-Mock-Response', value: header, location: 'header' });
    }
    return code;
  };

  /** Negative testing: the mocked issue replaces the API's answer. */
  const applyMock = (code: string | null) => {
    if (code === null) return;
    if (!PAYPAL_ISSUES[code]) {
      throw issueError('INVALID_PARAMETER_VALUE', {
        field: 'PayPal-Mock-Response',
        value: code,
        location: 'header',
        description: `Unknown mock_application_codes value ${code}.`,
      });
    }
    throw issueError(code);
  };

  const findOrder = (id: string): OrderState => {
    const order = orders.get(id);
    if (!order) throw issueError('INVALID_RESOURCE_ID', { field: 'order_id', value: id, location: 'path' });
    return order;
  };
  const findAuthorization = (id: string): AuthorizationState => {
    const found = authorizations.get(id);
    if (!found) throw issueError('INVALID_RESOURCE_ID', { field: 'authorization_id', value: id, location: 'path' });
    return found;
  };
  const findCapture = (id: string): CaptureState => {
    const found = captures.get(id);
    if (!found) throw issueError('INVALID_RESOURCE_ID', { field: 'capture_id', value: id, location: 'path' });
    return found;
  };

  // --- endpoints ---------------------------------------------------------------------------

  const createOrder = (request: SandboxRequest, requestId: string | null): SandboxResponse => {
    const body = bodyObject(request, false);
    const intent = body.intent;
    if (intent === undefined) throw issueError('MISSING_REQUIRED_PARAMETER', { field: '/intent', location: 'body' });
    if (intent !== 'AUTHORIZE' && intent !== 'CAPTURE') {
      throw issueError('INVALID_PARAMETER_VALUE', { field: '/intent', value: String(intent), location: 'body' });
    }
    const units = body.purchase_units;
    if (!Array.isArray(units) || units.length === 0) {
      throw issueError('MISSING_REQUIRED_PARAMETER', { field: '/purchase_units', location: 'body' });
    }
    if (units.length > 1) {
      throw issueError('INVALID_PARAMETER_VALUE', {
        field: '/purchase_units',
        location: 'body',
        description: 'The sandbox supports one purchase unit per order.',
      });
    }
    const raw = units[0] as Record<string, unknown>;
    const { money, minor } = readMoney(raw.amount, '/purchase_units/@reference_id==\'default\'/amount');
    const context = (typeof body.application_context === 'object' && body.application_context !== null
      ? body.application_context
      : {}) as Record<string, unknown>;
    const now = iso();
    const order: OrderState = {
      id: paypalId(),
      intent,
      status: 'CREATED',
      unit: {
        referenceId: optionalString(raw, 'reference_id', 256, '/purchase_units/0/reference_id') ?? 'default',
        amount: money,
        minor,
        customId: optionalString(raw, 'custom_id', 127, '/purchase_units/0/custom_id'),
        invoiceId: optionalString(raw, 'invoice_id', 127, '/purchase_units/0/invoice_id'),
        description: optionalString(raw, 'description', 127, '/purchase_units/0/description'),
      },
      applicationContext: {
        ...(typeof context.return_url === 'string' ? { return_url: context.return_url } : {}),
        ...(typeof context.cancel_url === 'string' ? { cancel_url: context.cancel_url } : {}),
        ...(typeof context.brand_name === 'string' ? { brand_name: context.brand_name } : {}),
      },
      payer: null,
      mockApplicationCodes: null,
      createTime: now,
      updateTime: now,
      requestId,
      authorizations: [],
      captures: [],
    };
    orders.set(order.id, order);
    return { status: 201, json: prefersRepresentation(request) ? orderJson(order) : minimalOrderJson(order) };
  };

  const checkOrderReady = (order: OrderState, action: 'AUTHORIZE' | 'CAPTURE') => {
    if (order.intent !== action) {
      throw issueError('ACTION_DOES_NOT_MATCH_INTENT', {
        description: `Order was created with an intent to '${order.intent}'. Please use the ${order.intent === 'AUTHORIZE' ? 'authorize' : 'capture'} API to process this order.`,
      });
    }
    if (order.status === 'CREATED') {
      throw issueError('ORDER_NOT_APPROVED', {}, [
        { href: `${baseUrl}/checkoutnow?token=${order.id}`, rel: 'approve', method: 'GET' },
      ]);
    }
    if (order.status === 'COMPLETED') throw issueError(action === 'AUTHORIZE' ? 'ORDER_ALREADY_AUTHORIZED' : 'ORDER_ALREADY_CAPTURED');
    if (order.status === 'VOIDED') throw issueError('ORDER_NOT_APPROVED');
    // The buyer's funding, chosen at approval, declines now; the buyer may pick another.
    if (order.mockApplicationCodes) {
      throw issueError(order.mockApplicationCodes, {}, [
        { href: `${baseUrl}/checkoutnow?token=${order.id}`, rel: 'redirect', method: 'GET' },
      ]);
    }
  };

  const authorizeOrder = (request: SandboxRequest, order: OrderState, requestId: string | null): SandboxResponse => {
    bodyObject(request, true);
    checkOrderReady(order, 'AUTHORIZE');
    const now = new Date();
    const auth: AuthorizationState = {
      id: paypalId(),
      orderId: order.id,
      status: 'CREATED',
      amount: order.unit.amount,
      minor: order.unit.minor,
      capturedMinor: 0,
      createTime: iso(now),
      updateTime: iso(now),
      expirationTime: iso(new Date(now.getTime() + 29 * 24 * 3600 * 1000)),
      requestId,
    };
    authorizations.set(auth.id, auth);
    order.authorizations.push(auth);
    order.status = 'COMPLETED';
    order.updateTime = iso(now);
    return { status: 201, json: prefersRepresentation(request) ? orderJson(order) : minimalOrderJson(order) };
  };

  const newCapture = (
    order: OrderState,
    authorizationId: string | null,
    money: Money,
    minor: number,
    finalCapture: boolean,
    invoiceId: string | null,
    requestId: string | null,
  ): CaptureState => {
    if (invoiceId !== null && [...captures.values()].some((c) => c.invoiceId === invoiceId)) {
      throw issueError('DUPLICATE_INVOICE_ID');
    }
    const now = iso();
    const capture: CaptureState = {
      id: paypalId(),
      orderId: order.id,
      authorizationId,
      status: 'COMPLETED',
      amount: money,
      minor,
      refundedMinor: 0,
      finalCapture,
      invoiceId,
      createTime: now,
      updateTime: now,
      requestId,
    };
    captures.set(capture.id, capture);
    order.captures.push(capture);
    return capture;
  };

  const captureOrder = (request: SandboxRequest, order: OrderState, requestId: string | null): SandboxResponse => {
    bodyObject(request, true);
    checkOrderReady(order, 'CAPTURE');
    newCapture(order, null, order.unit.amount, order.unit.minor, true, order.unit.invoiceId, requestId);
    order.status = 'COMPLETED';
    order.updateTime = iso();
    return { status: 201, json: prefersRepresentation(request) ? orderJson(order) : minimalOrderJson(order) };
  };

  const captureAuthorization = (request: SandboxRequest, auth: AuthorizationState, requestId: string | null): SandboxResponse => {
    const body = bodyObject(request, true);
    if (auth.status === 'VOIDED') throw issueError('AUTHORIZATION_VOIDED');
    if (auth.status === 'CAPTURED') throw issueError('AUTHORIZATION_ALREADY_CAPTURED');
    const remaining = auth.minor - auth.capturedMinor;
    let money: Money = { currency_code: auth.amount.currency_code, value: formatDecimal(remaining, auth.amount.currency_code) };
    let minor = remaining;
    if (body.amount !== undefined) {
      ({ money, minor } = readMoney(body.amount, '/amount'));
      if (money.currency_code !== auth.amount.currency_code) throw issueError('CURRENCY_MISMATCH', { field: '/amount/currency_code' });
      if (minor > remaining) throw issueError('MAX_CAPTURE_AMOUNT_EXCEEDED', { field: '/amount/value', value: money.value });
    }
    const finalCapture = body.final_capture === true;
    const order = findOrder(auth.orderId);
    const capture = newCapture(order, auth.id, money, minor, finalCapture, optionalString(body, 'invoice_id', 127), requestId);
    auth.capturedMinor += minor;
    auth.status = finalCapture || auth.capturedMinor >= auth.minor ? 'CAPTURED' : 'PARTIALLY_CAPTURED';
    auth.updateTime = iso();
    return {
      status: 201,
      json: prefersRepresentation(request)
        ? captureJson(capture, true)
        : { id: capture.id, status: capture.status, links: captureJson(capture).links },
    };
  };

  const voidAuthorization = (request: SandboxRequest, auth: AuthorizationState): SandboxResponse => {
    if (auth.status === 'CAPTURED' || auth.status === 'PARTIALLY_CAPTURED') throw issueError('PREVIOUSLY_CAPTURED');
    if (auth.status === 'VOIDED') throw issueError('PREVIOUSLY_VOIDED');
    auth.status = 'VOIDED';
    auth.updateTime = iso();
    const order = findOrder(auth.orderId);
    if (order.authorizations.every((a) => a.status === 'VOIDED')) order.status = 'VOIDED';
    return prefersRepresentation(request) ? { status: 200, json: authorizationJson(auth, true) } : { status: 204 };
  };

  const refundCapture = (request: SandboxRequest, capture: CaptureState, requestId: string | null): SandboxResponse => {
    const body = bodyObject(request, true);
    if (capture.status === 'REFUNDED') throw issueError('CAPTURE_FULLY_REFUNDED');
    const remaining = capture.minor - capture.refundedMinor;
    let money: Money = { currency_code: capture.amount.currency_code, value: formatDecimal(remaining, capture.amount.currency_code) };
    let minor = remaining;
    if (body.amount !== undefined) {
      ({ money, minor } = readMoney(body.amount, '/amount'));
      if (money.currency_code !== capture.amount.currency_code) {
        throw issueError('REFUND_CAPTURE_CURRENCY_MISMATCH', { field: '/amount/currency_code' });
      }
      if (minor > remaining) throw issueError('REFUND_AMOUNT_EXCEEDED', { field: '/amount/value', value: money.value });
    }
    const refund: RefundState = {
      id: paypalId(),
      captureId: capture.id,
      orderId: capture.orderId,
      amount: money,
      minor,
      invoiceId: optionalString(body, 'invoice_id', 127),
      noteToPayer: optionalString(body, 'note_to_payer', 255),
      createTime: iso(),
      requestId,
    };
    refunds.set(refund.id, refund);
    capture.refundedMinor += minor;
    capture.status = capture.refundedMinor >= capture.minor ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
    capture.updateTime = iso();
    return {
      status: 201,
      json: prefersRepresentation(request) ? refundJson(refund) : { id: refund.id, status: 'COMPLETED', links: refundJson(refund).links },
    };
  };

  const route = (request: SandboxRequest, requestId: string | null): SandboxResponse => {
    const { method, path } = request;
    if (path === '/v2/checkout/orders' && method === 'POST') return createOrder(request, requestId);
    let m = /^\/v2\/checkout\/orders\/([^/]+)(?:\/(authorize|capture))?$/.exec(path);
    if (m) {
      const order = findOrder(m[1] as string);
      if (!m[2] && method === 'GET') return { status: 200, json: orderJson(order) };
      if (m[2] === 'authorize' && method === 'POST') return authorizeOrder(request, order, requestId);
      if (m[2] === 'capture' && method === 'POST') return captureOrder(request, order, requestId);
    }
    m = /^\/v2\/payments\/authorizations\/([^/]+)(?:\/(capture|void))?$/.exec(path);
    if (m) {
      const auth = findAuthorization(m[1] as string);
      if (!m[2] && method === 'GET') return { status: 200, json: authorizationJson(auth, true) };
      if (m[2] === 'capture' && method === 'POST') return captureAuthorization(request, auth, requestId);
      if (m[2] === 'void' && method === 'POST') return voidAuthorization(request, auth);
    }
    m = /^\/v2\/payments\/captures\/([^/]+)(?:\/(refund))?$/.exec(path);
    if (m) {
      const capture = findCapture(m[1] as string);
      if (!m[2] && method === 'GET') return { status: 200, json: captureJson(capture, true) };
      if (m[2] === 'refund' && method === 'POST') return refundCapture(request, capture, requestId);
    }
    m = /^\/v2\/payments\/refunds\/([^/]+)$/.exec(path);
    if (m && method === 'GET') {
      const refund = refunds.get(m[1] as string);
      if (!refund) throw issueError('INVALID_RESOURCE_ID', { field: 'refund_id', value: m[1] as string, location: 'path' });
      return { status: 200, json: refundJson(refund) };
    }
    throw new PaypalApiError(404, []);
  };

  // --- OAuth2 --------------------------------------------------------------------------

  const tokenEndpoint = (request: SandboxRequest): SandboxResponse => {
    const header = headerOf(request.headers, 'authorization') ?? '';
    const decoded = header.startsWith('Basic ') ? Buffer.from(header.slice(6), 'base64').toString('utf8') : '';
    const separator = decoded.indexOf(':');
    const id = separator === -1 ? '' : decoded.slice(0, separator);
    const secret = separator === -1 ? '' : decoded.slice(separator + 1);
    if (id !== clientId || secret !== clientSecret) {
      return { status: 401, json: { error: 'invalid_client', error_description: 'Client Authentication failed' } };
    }
    const grant = new URLSearchParams(request.body).get('grant_type');
    if (grant !== 'client_credentials') {
      return {
        status: 400,
        json: { error: 'unsupported_grant_type', error_description: grant ? `Grant Type ${grant} is not supported` : 'Grant Type is NULL' },
      };
    }
    const token = `A21AA${randomSecret(60)}`;
    tokens.set(token, Date.now() + ttl * 1000);
    issuedTokens.push(token);
    return {
      status: 200,
      json: {
        scope: 'https://uri.paypal.com/services/payments/payment/authcapture https://uri.paypal.com/services/payments/refund openid',
        access_token: token,
        token_type: 'Bearer',
        app_id: APP_ID,
        expires_in: ttl,
        nonce: `${iso()}${randomSecret(20)}`,
      },
    };
  };

  const authenticated = (request: SandboxRequest): boolean => {
    const header = headerOf(request.headers, 'authorization') ?? '';
    if (!header.startsWith('Bearer ')) return false;
    const expires = tokens.get(header.slice(7).trim());
    return expires !== undefined && expires > Date.now();
  };

  const handleApi = (request: SandboxRequest): SandboxResponse => {
    if (request.path === '/v1/oauth2/token') {
      return request.method === 'POST' ? tokenEndpoint(request) : paypalErrorResponse(new PaypalApiError(404, []));
    }
    if (!authenticated(request)) return paypalErrorResponse(new PaypalApiError(401, []));
    const apiDoc = request.path.startsWith('/v2/payments') ? 'payments/v2' : 'orders/v2';
    const requestIdHeader = request.method === 'POST' ? headerOf(request.headers, 'paypal-request-id') : undefined;
    const requestId = requestIdHeader ?? null;
    const storeKey = requestId === null ? null : `${request.method} ${request.path} ${requestId}`;
    if (requestId !== null && storeKey !== null) {
      if (requestId.length > 108) {
        return paypalErrorResponse(issueError('INVALID_STRING_LENGTH', { field: 'PayPal-Request-Id', location: 'header' }), apiDoc);
      }
      const stored = requestIds.get(storeKey);
      // PayPal answers a repeated PayPal-Request-Id with the first request's answer.
      if (stored) return { status: stored.status, json: stored.json, headers: { 'Paypal-Debug-Id': debugId() }, replayed: true };
    }
    let answer: SandboxResponse;
    try {
      applyMock(mockCodesOf(request));
      answer = route(request, requestId);
    } catch (error) {
      if (!(error instanceof PaypalApiError)) throw error;
      answer = paypalErrorResponse(error, apiDoc);
      // Malformed requests are rejected before PayPal records the request id.
      if (error.status === 400 || error.status === 404) return answer;
    }
    if (storeKey !== null) requestIds.set(storeKey, { status: answer.status, json: answer.json });
    return answer;
  };

  const approveOrder = (orderId: string, approve: ApproveOptions = {}): OrderState => {
    const order = findOrder(orderId);
    if (order.status !== 'CREATED') throw issueError('ORDER_ALREADY_APPROVED');
    if (approve.mockApplicationCodes && !PAYPAL_ISSUES[approve.mockApplicationCodes]) {
      throw issueError('INVALID_PARAMETER_VALUE', { field: 'mock_application_codes', value: approve.mockApplicationCodes });
    }
    order.payer = {
      payerId: approve.payerId ?? paypalId().slice(0, 13),
      email: approve.email ?? 'sb-buyer@personal.example.com',
    };
    order.mockApplicationCodes = approve.mockApplicationCodes || null;
    order.status = 'APPROVED';
    order.updateTime = iso();
    return order;
  };

  const redirectTo = (target: string, params: Record<string, string>): SandboxResponse => {
    const url = new URL(target);
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    return { status: 303, headers: { Location: url.toString() } };
  };

  const handleOther = (request: SandboxRequest): SandboxResponse | undefined => {
    const { method, path } = request;
    try {
      let m = /^\/_sandbox\/orders\/([^/]+)\/approve$/.exec(path);
      if (m && method === 'POST') {
        const body = bodyObject(request, true);
        const order = approveOrder(m[1] as string, {
          ...(typeof body.payer_id === 'string' ? { payerId: body.payer_id } : {}),
          ...(typeof body.email === 'string' ? { email: body.email } : {}),
          ...(typeof body.mock_application_codes === 'string' ? { mockApplicationCodes: body.mock_application_codes } : {}),
        });
        return { status: 200, json: orderJson(order) };
      }
      if (path === '/_sandbox/orders' && method === 'GET') return { status: 200, json: { data: [...orders.values()].map(orderRecord) } };
      m = /^\/_sandbox\/orders\/([^/]+)$/.exec(path);
      if (m && method === 'GET') return { status: 200, json: orderRecord(findOrder(m[1] as string)) };
      if (path === '/_sandbox/access_tokens/expire' && method === 'POST') {
        tokens.clear();
        return { status: 200, json: { expired: true } };
      }
      if ((path === '/_sandbox' || path === '/') && method === 'GET') {
        return { status: 200, json: { sandbox: 'paypal', mockApplicationCodes: Object.keys(PAYPAL_ISSUES) } };
      }
    } catch (error) {
      if (error instanceof PaypalApiError) return paypalErrorResponse(error);
      throw error;
    }

    // The buyer's side: the approve link's page and its buttons.
    if (path === '/checkoutnow' && method === 'GET') {
      const order = orders.get(request.query.get('token') ?? '');
      if (!order) return { status: 404, contentType: 'text/html; charset=utf-8', text: messagePage('PayPal sandbox', 'No such order.') };
      return {
        status: 200,
        contentType: 'text/html; charset=utf-8',
        text: approvalPage({ id: order.id, status: order.status, amount: order.unit.amount, brandName: order.applicationContext.brand_name ?? null }),
      };
    }
    if ((path === '/checkoutnow/approve' || path === '/checkoutnow/cancel') && method === 'POST') {
      const form = new URLSearchParams(request.body);
      const order = orders.get(form.get('token') ?? '');
      if (!order) return { status: 404, contentType: 'text/html; charset=utf-8', text: messagePage('PayPal sandbox', 'No such order.') };
      if (path === '/checkoutnow/cancel') {
        const target = order.applicationContext.cancel_url;
        return target
          ? redirectTo(target, { token: order.id })
          : { status: 200, contentType: 'text/html; charset=utf-8', text: messagePage('Payment cancelled', `Order ${order.id} was not approved.`) };
      }
      try {
        const mock = form.get('mock_application_codes');
        approveOrder(order.id, mock ? { mockApplicationCodes: mock } : {});
      } catch (error) {
        if (error instanceof PaypalApiError) {
          return { status: 422, contentType: 'text/html; charset=utf-8', text: messagePage('PayPal sandbox', error.details[0]?.description ?? 'Not approved.') };
        }
        throw error;
      }
      const target = order.applicationContext.return_url;
      return target
        ? redirectTo(target, { token: order.id, PayerID: order.payer?.payerId ?? '' })
        : { status: 200, contentType: 'text/html; charset=utf-8', text: messagePage('Payment approved', `Order ${order.id} is approved. You may close this window.`) };
    }
    return undefined;
  };

  const faultResponse = (status: number): SandboxResponse => {
    const detail: IssueDetail[] =
      status === 429 ? [{ issue: 'RATE_LIMIT_REACHED', description: PAYPAL_ISSUES.RATE_LIMIT_REACHED?.description ?? '' }] : [];
    return paypalErrorResponse(new PaypalApiError(status, detail));
  };

  const server = await startSandboxServer({
    name: 'paypal',
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    faults,
    idempotencyHeader: 'paypal-request-id',
    isApiPath: (path) => path.startsWith('/v1/') || path.startsWith('/v2/'),
    handleApi,
    handleOther,
    faultResponse,
    reset,
  });
  baseUrl = server.url;

  return {
    url: server.url,
    host: server.host,
    port: server.port,
    protocol: 'http',
    clientId,
    clientSecret,
    env: { PAYPAL_CLIENT_ID: clientId, PAYPAL_CLIENT_SECRET: clientSecret, PAYPAL_BASE_URL: server.url },
    faults,
    approveOrder: (orderId, approve) => {
      try {
        return orderRecord(approveOrder(orderId, approve));
      } catch (error) {
        if (error instanceof PaypalApiError) {
          throw new Error(`cannot approve PayPal order ${orderId}: ${error.details[0]?.issue ?? error.status}`);
        }
        throw error;
      }
    },
    orders: () => [...orders.values()].map(orderRecord),
    order: (orderId) => {
      const order = orders.get(orderId);
      return order ? orderRecord(order) : undefined;
    },
    issuedAccessTokens: () => [...issuedTokens],
    expireAccessTokens: () => tokens.clear(),
    requests: server.requests,
    reset: () => {
      reset();
      faults.clear();
      server.clearRequests();
    },
    stop: server.stop,
  };
}
