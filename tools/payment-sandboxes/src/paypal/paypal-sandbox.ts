import { join } from 'node:path';
import { FaultController } from '../faults';
import { randomSecret } from '../ids';
import { Ledger } from '../ledger';
import { type RecordedRequest, type SandboxRequest, type SandboxResponse, startSandboxServer } from '../sandbox-server';
import { approvalPage, messagePage } from './approval-page';
import { createPaypalApi, type ApproveOptions, type PaypalApi } from './paypal-api';
import { type IssueDetail, PAYPAL_ISSUES, PaypalApiError, paypalErrorResponse } from './paypal-errors';
import { PaypalState } from './paypal-state';
import { type PaypalOrderRecord, PaypalViews } from './paypal-views';

export type { ApproveOptions } from './paypal-api';
export type {
  PaypalAmountRecord,
  PaypalAuthorizationRecord,
  PaypalCaptureRecord,
  PaypalOrderRecord,
  PaypalRefundRecord,
} from './paypal-views';

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
  /**
   * Where the sandbox keeps its ledger (`paypal.jsonl` in this folder), so a restart finds the
   * orders, authorizations, captures, refunds, tokens and request ids PayPal would still know.
   * Default: in memory.
   */
  dataDir?: string;
  /** Random source of the fault switches. */
  random?: () => number;
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

function redirectTo(target: string, params: Record<string, string>): SandboxResponse {
  const url = new URL(target);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return { status: 303, headers: { Location: url.toString() } };
}

/** The sandbox's own routes: the buyer's approval page and its buttons, and the control views of the ledger. */
function handleOther(state: PaypalState, views: PaypalViews, api: PaypalApi, request: SandboxRequest): SandboxResponse | undefined {
  const { method, path } = request;
  try {
    let m = /^\/_sandbox\/orders\/([^/]+)\/approve$/.exec(path);
    if (m && method === 'POST') {
      const body = api.bodyObject(request, true);
      const order = api.approveOrder(m[1] as string, {
        ...(typeof body.payer_id === 'string' ? { payerId: body.payer_id } : {}),
        ...(typeof body.email === 'string' ? { email: body.email } : {}),
        ...(typeof body.mock_application_codes === 'string' ? { mockApplicationCodes: body.mock_application_codes } : {}),
      });
      return { status: 200, json: views.orderJson(order) };
    }
    if (path === '/_sandbox/orders' && method === 'GET') return { status: 200, json: { data: [...state.orders.values()].map((o) => views.orderRecord(o)) } };
    m = /^\/_sandbox\/orders\/([^/]+)$/.exec(path);
    if (m && method === 'GET') return { status: 200, json: views.orderRecord(state.findOrder(m[1] as string)) };
    if (path === '/_sandbox/access_tokens/expire' && method === 'POST') {
      state.expireTokens();
      return { status: 200, json: { expired: true } };
    }
    if ((path === '/_sandbox' || path === '/') && method === 'GET') {
      return { status: 200, json: { sandbox: 'paypal', ledger: state.ledger.file ?? null, mockApplicationCodes: Object.keys(PAYPAL_ISSUES) } };
    }
  } catch (error) {
    if (error instanceof PaypalApiError) return paypalErrorResponse(error);
    throw error;
  }

  // The buyer's side: the approve link's page and its buttons.
  if (path === '/checkoutnow' && method === 'GET') {
    const order = state.orders.get(request.query.get('token') ?? '');
    if (!order) return { status: 404, contentType: 'text/html; charset=utf-8', text: messagePage('PayPal sandbox', 'No such order.') };
    return {
      status: 200,
      contentType: 'text/html; charset=utf-8',
      text: approvalPage({ id: order.id, status: order.status, amount: order.unit.amount, brandName: order.applicationContext.brand_name ?? null }),
    };
  }
  if ((path === '/checkoutnow/approve' || path === '/checkoutnow/cancel') && method === 'POST') {
    const form = new URLSearchParams(request.body);
    const order = state.orders.get(form.get('token') ?? '');
    if (!order) return { status: 404, contentType: 'text/html; charset=utf-8', text: messagePage('PayPal sandbox', 'No such order.') };
    if (path === '/checkoutnow/cancel') {
      const target = order.applicationContext.cancel_url;
      return target
        ? redirectTo(target, { token: order.id })
        : { status: 200, contentType: 'text/html; charset=utf-8', text: messagePage('Payment cancelled', `Order ${order.id} was not approved.`) };
    }
    try {
      const mock = form.get('mock_application_codes');
      api.approveOrder(order.id, mock ? { mockApplicationCodes: mock } : {});
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
}

function faultResponse(status: number): SandboxResponse {
  const detail: IssueDetail[] =
    status === 429 ? [{ issue: 'RATE_LIMIT_REACHED', description: PAYPAL_ISSUES.RATE_LIMIT_REACHED?.description ?? '' }] : [];
  return paypalErrorResponse(new PaypalApiError(status, detail));
}

/** Starts a local server that answers like PayPal's REST sandbox (OAuth2, Orders v2, Payments v2). */
export async function startPaypalSandbox(options: PaypalSandboxOptions = {}): Promise<PaypalSandbox> {
  const clientId = options.clientId ?? `sandbox-client-${randomSecret(16)}`;
  const clientSecret = options.clientSecret ?? `sandbox-secret-${randomSecret(32)}`;
  const faults = new FaultController(options.random);
  const ledger = Ledger.open(options.dataDir === undefined ? {} : { file: join(options.dataDir, 'paypal.jsonl') });
  const state = new PaypalState(ledger);
  let baseUrl = '';
  const views = new PaypalViews(state, () => baseUrl);
  const api = createPaypalApi({ state, views, clientId, clientSecret, accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 32_400, baseUrl: () => baseUrl });

  let server: Awaited<ReturnType<typeof startSandboxServer>>;
  try {
    server = await startSandboxServer({
      name: 'paypal',
      host: options.host ?? '127.0.0.1',
      port: options.port ?? 0,
      faults,
      idempotencyHeader: 'paypal-request-id',
      isApiPath: (path) => path.startsWith('/v1/') || path.startsWith('/v2/'),
      handleApi: api.handleApi,
      handleOther: (request) => handleOther(state, views, api, request),
      faultResponse,
      reset: () => ledger.clear(),
    });
  } catch (error) {
    ledger.close();
    throw error;
  }
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
        return views.orderRecord(api.approveOrder(orderId, approve));
      } catch (error) {
        if (error instanceof PaypalApiError) {
          throw new Error(`cannot approve PayPal order ${orderId}: ${error.details[0]?.issue ?? error.status}`);
        }
        throw error;
      }
    },
    orders: () => [...state.orders.values()].map((o) => views.orderRecord(o)),
    order: (orderId) => {
      const order = state.orders.get(orderId);
      return order ? views.orderRecord(order) : undefined;
    },
    issuedAccessTokens: api.issuedAccessTokens,
    expireAccessTokens: () => state.expireTokens(),
    requests: server.requests,
    reset: () => {
      ledger.clear();
      faults.clear();
      server.clearRequests();
    },
    stop: async () => {
      await server.stop();
      ledger.close();
    },
  };
}
