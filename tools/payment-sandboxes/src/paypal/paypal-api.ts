import { currencyExponent, formatDecimal, parseDecimal } from '../currency';
import { debugId, paypalId, randomSecret } from '../ids';
import { headerOf, parseJson, type SandboxRequest, type SandboxResponse } from '../sandbox-server';
import { issueError, PAYPAL_ISSUES, PaypalApiError, paypalErrorResponse } from './paypal-errors';
import { type AuthorizationState, type CaptureState, iso, type Money, type OrderState, type PaypalState, type RefundState } from './paypal-state';
import type { PaypalViews } from './paypal-views';

export interface ApproveOptions {
  payerId?: string;
  email?: string;
  /** Negative testing chosen by the buyer: e.g. INSTRUMENT_DECLINED when the order is authorized. */
  mockApplicationCodes?: string;
}

export interface PaypalApiOptions {
  state: PaypalState;
  views: PaypalViews;
  clientId: string;
  clientSecret: string;
  /** Lifetime of issued access tokens, seconds. */
  accessTokenTtlSeconds: number;
  baseUrl: () => string;
}

export interface PaypalApi {
  handleApi(request: SandboxRequest): SandboxResponse;
  /** The buyer approves the order (PayPal's popup, or the sandbox's control route). */
  approveOrder(orderId: string, approve?: ApproveOptions): OrderState;
  /** The request's JSON body as an object (a PaypalApiError when it is not one). */
  bodyObject(request: SandboxRequest, optional: boolean): Record<string, unknown>;
  /** Access tokens handed out by this process (tests check none of them leaks). */
  issuedAccessTokens(): string[];
}

const APP_ID = 'APP-80W284485P519543T';

/**
 * PayPal's REST API (OAuth2, Orders v2, Payments v2 — what @orderflow/payments calls) over a
 * PaypalState: PayPal-Request-Id replay, negative testing (PayPal-Mock-Response), and the
 * order, authorization, capture and refund endpoints. Every change is saved to the state
 * before the answer goes out.
 */
export function createPaypalApi(options: PaypalApiOptions): PaypalApi {
  const { state, views, clientId, clientSecret, baseUrl } = options;
  const ttl = options.accessTokenTtlSeconds;
  const issuedTokens: string[] = [];

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
      authorizationIds: [],
      captureIds: [],
    };
    state.saveOrder(order);
    return { status: 201, json: prefersRepresentation(request) ? views.orderJson(order) : views.minimalOrderJson(order) };
  };

  const checkOrderReady = (order: OrderState, action: 'AUTHORIZE' | 'CAPTURE') => {
    if (order.intent !== action) {
      throw issueError('ACTION_DOES_NOT_MATCH_INTENT', {
        description: `Order was created with an intent to '${order.intent}'. Please use the ${order.intent === 'AUTHORIZE' ? 'authorize' : 'capture'} API to process this order.`,
      });
    }
    if (order.status === 'CREATED') {
      throw issueError('ORDER_NOT_APPROVED', {}, [
        { href: `${baseUrl()}/checkoutnow?token=${order.id}`, rel: 'approve', method: 'GET' },
      ]);
    }
    if (order.status === 'COMPLETED') throw issueError(action === 'AUTHORIZE' ? 'ORDER_ALREADY_AUTHORIZED' : 'ORDER_ALREADY_CAPTURED');
    if (order.status === 'VOIDED') throw issueError('ORDER_NOT_APPROVED');
    // The buyer's funding, chosen at approval, declines now; the buyer may pick another.
    if (order.mockApplicationCodes) {
      throw issueError(order.mockApplicationCodes, {}, [
        { href: `${baseUrl()}/checkoutnow?token=${order.id}`, rel: 'redirect', method: 'GET' },
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
    state.saveAuthorization(auth);
    order.authorizationIds.push(auth.id);
    order.status = 'COMPLETED';
    order.updateTime = iso(now);
    state.saveOrder(order);
    return { status: 201, json: prefersRepresentation(request) ? views.orderJson(order) : views.minimalOrderJson(order) };
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
    if (invoiceId !== null && [...state.captures.values()].some((c) => c.invoiceId === invoiceId)) {
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
    state.saveCapture(capture);
    order.captureIds.push(capture.id);
    state.saveOrder(order);
    return capture;
  };

  const captureOrder = (request: SandboxRequest, order: OrderState, requestId: string | null): SandboxResponse => {
    bodyObject(request, true);
    checkOrderReady(order, 'CAPTURE');
    newCapture(order, null, order.unit.amount, order.unit.minor, true, order.unit.invoiceId, requestId);
    order.status = 'COMPLETED';
    order.updateTime = iso();
    state.saveOrder(order);
    return { status: 201, json: prefersRepresentation(request) ? views.orderJson(order) : views.minimalOrderJson(order) };
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
    const order = state.findOrder(auth.orderId);
    const capture = newCapture(order, auth.id, money, minor, finalCapture, optionalString(body, 'invoice_id', 127), requestId);
    auth.capturedMinor += minor;
    auth.status = finalCapture || auth.capturedMinor >= auth.minor ? 'CAPTURED' : 'PARTIALLY_CAPTURED';
    auth.updateTime = iso();
    state.saveAuthorization(auth);
    return {
      status: 201,
      json: prefersRepresentation(request)
        ? views.captureJson(capture, true)
        : { id: capture.id, status: capture.status, links: views.captureJson(capture).links },
    };
  };

  const voidAuthorization = (request: SandboxRequest, auth: AuthorizationState): SandboxResponse => {
    if (auth.status === 'CAPTURED' || auth.status === 'PARTIALLY_CAPTURED') throw issueError('PREVIOUSLY_CAPTURED');
    if (auth.status === 'VOIDED') throw issueError('PREVIOUSLY_VOIDED');
    auth.status = 'VOIDED';
    auth.updateTime = iso();
    state.saveAuthorization(auth);
    const order = state.findOrder(auth.orderId);
    if (state.authorizationsOf(order).every((a) => a.status === 'VOIDED')) {
      order.status = 'VOIDED';
      state.saveOrder(order);
    }
    return prefersRepresentation(request) ? { status: 200, json: views.authorizationJson(auth, true) } : { status: 204 };
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
    state.refunds.put(refund.id, refund);
    capture.refundedMinor += minor;
    capture.status = capture.refundedMinor >= capture.minor ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
    capture.updateTime = iso();
    state.saveCapture(capture);
    return {
      status: 201,
      json: prefersRepresentation(request) ? views.refundJson(refund) : { id: refund.id, status: 'COMPLETED', links: views.refundJson(refund).links },
    };
  };

  const route = (request: SandboxRequest, requestId: string | null): SandboxResponse => {
    const { method, path } = request;
    if (path === '/v2/checkout/orders' && method === 'POST') return createOrder(request, requestId);
    let m = /^\/v2\/checkout\/orders\/([^/]+)(?:\/(authorize|capture))?$/.exec(path);
    if (m) {
      const order = state.findOrder(m[1] as string);
      if (!m[2] && method === 'GET') return { status: 200, json: views.orderJson(order) };
      if (m[2] === 'authorize' && method === 'POST') return authorizeOrder(request, order, requestId);
      if (m[2] === 'capture' && method === 'POST') return captureOrder(request, order, requestId);
    }
    m = /^\/v2\/payments\/authorizations\/([^/]+)(?:\/(capture|void))?$/.exec(path);
    if (m) {
      const auth = state.findAuthorization(m[1] as string);
      if (!m[2] && method === 'GET') return { status: 200, json: views.authorizationJson(auth, true) };
      if (m[2] === 'capture' && method === 'POST') return captureAuthorization(request, auth, requestId);
      if (m[2] === 'void' && method === 'POST') return voidAuthorization(request, auth);
    }
    m = /^\/v2\/payments\/captures\/([^/]+)(?:\/(refund))?$/.exec(path);
    if (m) {
      const capture = state.findCapture(m[1] as string);
      if (!m[2] && method === 'GET') return { status: 200, json: views.captureJson(capture, true) };
      if (m[2] === 'refund' && method === 'POST') return refundCapture(request, capture, requestId);
    }
    m = /^\/v2\/payments\/refunds\/([^/]+)$/.exec(path);
    if (m && method === 'GET') {
      const refund = state.refunds.get(m[1] as string);
      if (!refund) throw issueError('INVALID_RESOURCE_ID', { field: 'refund_id', value: m[1] as string, location: 'path' });
      return { status: 200, json: views.refundJson(refund) };
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
    state.tokens.put(token, Date.now() + ttl * 1000);
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
    return state.tokenValid(header.slice(7).trim());
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
      const stored = state.storedResponse(storeKey);
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
    if (storeKey !== null) state.storeResponse(storeKey, { status: answer.status, json: answer.json });
    return answer;
  };

  const approveOrder = (orderId: string, approve: ApproveOptions = {}): OrderState => {
    const order = state.findOrder(orderId);
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
    state.saveOrder(order);
    return order;
  };


  return { handleApi, approveOrder, bodyObject, issuedAccessTokens: () => [...issuedTokens] };
}
