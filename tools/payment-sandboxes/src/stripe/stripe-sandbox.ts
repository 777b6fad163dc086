import { join } from 'node:path';
import { FaultController } from '../faults';
import { randomSecret, stripeId } from '../ids';
import { Ledger } from '../ledger';
import { type RecordedRequest, type SandboxRequest, type SandboxResponse, startSandboxServer } from '../sandbox-server';
import { createStripeApi } from './stripe-api';
import { docUrl } from './stripe-errors';
import { StripeState, type StripeRefundRecord } from './stripe-state';
import { API_VERSION, intentRecord, type StripePaymentIntentRecord } from './stripe-views';
import { TEST_PAYMENT_METHODS } from './test-payment-methods';

export type { PaymentIntentStatus, StripeRefundRecord } from './stripe-state';
export type { StripePaymentIntentRecord } from './stripe-views';

export interface StripeSandboxOptions {
  /** Interface to listen on; 127.0.0.1 by default. */
  host?: string;
  /** 0 (the default) takes a free port. */
  port?: number;
  /** The one secret key the sandbox accepts; a fresh `sk_test_...` by default. */
  secretKey?: string;
  /**
   * Where the sandbox keeps its ledger (`stripe.jsonl` in this folder), so a restart finds the
   * PaymentIntents, refunds and idempotency keys Stripe would still know. Default: in memory.
   */
  dataDir?: string;
  /** Random source of the fault switches (tests may make it deterministic). */
  random?: () => number;
}

export interface StripeSandbox {
  /** `http://127.0.0.1:<port>`: give it to the SDK as host/port/protocol, or as STRIPE_API_BASE. */
  url: string;
  host: string;
  port: number;
  protocol: 'http';
  secretKey: string;
  /** Environment variables that point the payments library at this sandbox. */
  env: { STRIPE_SECRET_KEY: string; STRIPE_API_BASE: string };
  faults: FaultController;
  paymentIntents(): StripePaymentIntentRecord[];
  paymentIntent(id: string): StripePaymentIntentRecord | undefined;
  refunds(): StripeRefundRecord[];
  /** Every API request the sandbox received, oldest first. */
  requests(): RecordedRequest[];
  /** Forgets payment intents, refunds, idempotency records, faults and the request log. */
  reset(): void;
  stop(): Promise<void>;
}

/** The sandbox's views for people and tests (not Stripe's API): the ledger as records. */
function handleOther(state: StripeState, request: SandboxRequest): SandboxResponse | undefined {
  if (request.method !== 'GET') return undefined;
  if (request.path === '/_sandbox/payment_intents') return { status: 200, json: { data: [...state.intents.values()].map(intentRecord) } };
  const one = /^\/_sandbox\/payment_intents\/([^/]+)$/.exec(request.path);
  if (one) {
    const pi = state.intents.get(one[1] as string);
    return pi ? { status: 200, json: intentRecord(pi) } : { status: 404, json: { error: `no payment intent ${one[1]}` } };
  }
  if (request.path === '/_sandbox/refunds') return { status: 200, json: { data: state.refunds() } };
  if (request.path === '/_sandbox' || request.path === '/') {
    return {
      status: 200,
      json: {
        sandbox: 'stripe',
        apiVersion: API_VERSION,
        ledger: state.ledger.file ?? null,
        testPaymentMethods: Object.fromEntries(
          Object.entries(TEST_PAYMENT_METHODS).map(([id, pm]) => [id, pm.outcome.kind === 'declines' ? `declines: ${pm.outcome.declineCode}` : pm.outcome.kind]),
        ),
      },
    };
  }
  return undefined;
}

/** Stripe's answer to an injected fault: 429 rate limit, or an api_error Stripe says to retry. */
function faultResponse(status: number): SandboxResponse {
  const requestId = stripeId('req').slice(0, 18);
  if (status === 429) {
    return {
      status,
      headers: { 'Request-Id': requestId },
      json: {
        error: {
          type: 'invalid_request_error',
          code: 'rate_limit',
          message: 'Too many requests hit the API too quickly. We recommend an exponential backoff of your requests.',
          doc_url: docUrl('rate_limit'),
        },
      },
    };
  }
  return {
    status,
    headers: { 'Request-Id': requestId, 'Stripe-Should-Retry': 'true' },
    json: { error: { type: 'api_error', message: 'An unknown error occurred', request_log_url: `https://dashboard.stripe.com/test/logs/${requestId}` } },
  };
}

/** Starts a local server that answers like Stripe's API in test mode. */
export async function startStripeSandbox(options: StripeSandboxOptions = {}): Promise<StripeSandbox> {
  const secretKey = options.secretKey ?? `sk_test_sandbox_${randomSecret(24)}`;
  const faults = new FaultController(options.random);
  const ledger = Ledger.open(options.dataDir === undefined ? {} : { file: join(options.dataDir, 'stripe.jsonl') });
  const state = new StripeState(ledger);
  const api = createStripeApi(state, secretKey);

  let server: Awaited<ReturnType<typeof startSandboxServer>>;
  try {
    server = await startSandboxServer({
      name: 'stripe',
      host: options.host ?? '127.0.0.1',
      port: options.port ?? 0,
      faults,
      idempotencyHeader: 'idempotency-key',
      isApiPath: (path) => path.startsWith('/v1/'),
      handleApi: api.handleApi,
      handleOther: (request) => handleOther(state, request),
      faultResponse,
      reset: () => ledger.clear(),
    });
  } catch (error) {
    ledger.close();
    throw error;
  }

  return {
    url: server.url,
    host: server.host,
    port: server.port,
    protocol: 'http',
    secretKey,
    env: { STRIPE_SECRET_KEY: secretKey, STRIPE_API_BASE: server.url },
    faults,
    paymentIntents: () => [...state.intents.values()].map(intentRecord),
    paymentIntent: (id) => {
      const pi = state.intents.get(id);
      return pi ? intentRecord(pi) : undefined;
    },
    refunds: () => state.refunds().map((r) => ({ ...r })),
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
