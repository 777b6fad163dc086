import { randomUUID } from 'node:crypto';
import type { CreatePaypalOrderResponse, Money, PaymentMethod } from '@orderflow/contracts';
import { z } from 'zod';
import type { PaypalConnection } from '../config';
import {
  PaymentConfigurationError,
  PaymentDeclinedError,
  PaymentProviderUnavailableError,
  PaymentRequestRejectedError,
} from '../errors';
import { paymentIdempotencyKey } from '../idempotency-keys';
import { type PaymentLogger, SecretRedactor } from '../logging';
import { describeMoney, fromDecimalString, sameMoney, toDecimalString } from '../money-format';
import type {
  AuthorizePaymentInput,
  CapturePaymentInput,
  CreatePaypalOrderInput,
  PaymentAuthorization,
  PaymentCapture,
  PaymentGateway,
  PaymentRefund,
  PaymentVoid,
  PaypalOrderGateway,
  RefundPaymentInput,
  VoidPaymentInput,
} from '../payment-gateway';
import { callProvider, CredentialsRejected } from '../provider-call';
import type { RetryPolicy } from '../retry';
import type { PaymentSecretsSource } from '../secrets';
import { PaypalCustomEnvironment, PaypalHttpClient, paypalSdk } from './paypal-client';

export type PaypalOperation = 'create-order' | 'get-order' | 'authorize' | 'capture' | 'void' | 'refund';

export interface PaypalPaymentGatewayOptions {
  connection: PaypalConnection;
  secrets: PaymentSecretsSource;
  retry: RetryPolicy;
  logger: PaymentLogger;
  redactor?: SecretRedactor;
  /**
   * Extra headers for an operation's request. For PayPal's sandbox negative testing
   * (`PayPal-Mock-Response: {"mock_application_codes":"INSTRUMENT_DECLINED"}`); never
   * for credentials.
   */
  requestHeaders?: (operation: PaypalOperation) => Record<string, string> | undefined;
}

const PaypalMoneySchema = z.object({ currency_code: z.string(), value: z.string() });
const LinkSchema = z.object({ href: z.string(), rel: z.string() });
const AuthorizationSchema = z.looseObject({ id: z.string(), status: z.string(), amount: PaypalMoneySchema.optional() });
const CaptureSchema = z.looseObject({ id: z.string(), status: z.string(), amount: PaypalMoneySchema.optional() });
const RefundSchema = z.looseObject({ id: z.string(), status: z.string(), amount: PaypalMoneySchema.optional() });
const OrderSchema = z.looseObject({
  id: z.string(),
  status: z.string(),
  intent: z.string().optional(),
  purchase_units: z
    .array(
      z.looseObject({
        amount: PaypalMoneySchema.optional(),
        payments: z
          .looseObject({
            authorizations: z.array(AuthorizationSchema).optional(),
            captures: z.array(CaptureSchema).optional(),
          })
          .optional(),
      }),
    )
    .optional(),
  links: z.array(LinkSchema).optional(),
});

/** PayPal issues that mean the buyer's payment cannot go through (as opposed to our mistakes). */
const DECLINE_ISSUES = new Set([
  'INSTRUMENT_DECLINED',
  'TRANSACTION_REFUSED',
  'PAYER_CANNOT_PAY',
  'PAYER_ACCOUNT_RESTRICTED',
  'PAYER_ACCOUNT_LOCKED_OR_CLOSED',
  'PAYEE_ACCOUNT_RESTRICTED',
  'PAYEE_ACCOUNT_LOCKED_OR_CLOSED',
  'CARD_EXPIRED',
  'REDIRECT_PAYER_FOR_ALTERNATE_FUNDING',
  'PAYER_ACTION_REQUIRED',
  'COMPLIANCE_VIOLATION',
  'ORDER_NOT_APPROVED',
  'ORDER_ALREADY_AUTHORIZED',
  'ORDER_ALREADY_CAPTURED',
  'ORDER_EXPIRED',
  'MAX_AUTHORIZATION_COUNT_REACHED',
  'ACTION_DOES_NOT_MATCH_INTENT',
]);

const PREFER = 'return=representation';

/**
 * The PaymentGateway on PayPal Orders v2 and Payments v2, through
 * @paypal/checkout-server-sdk (frozen upstream: it stays behind this adapter). The
 * storefront gets an order (intent AUTHORIZE) for the server's total and the buyer
 * approves it; `authorize` checks the approved amount against the server's total, then
 * authorizes; capture, void and refund act on the authorization and its capture.
 */
export class PaypalPaymentGateway implements PaymentGateway, PaypalOrderGateway {
  private readonly redactor: SecretRedactor;
  private client: { id: string; secret: string; http: PaypalHttpClient } | undefined;

  constructor(private readonly options: PaypalPaymentGatewayOptions) {
    this.redactor = options.redactor ?? new SecretRedactor();
  }

  async createPaypalOrder(input: CreatePaypalOrderInput): Promise<CreatePaypalOrderResponse> {
    const { connection } = this.options;
    const requestId = input.requestKey ? `paypal-order:${input.requestKey}` : `paypal-order:${randomUUID()}`;
    const order = await this.execute('create-order', undefined, requestId, OrderSchema, () => {
      const request = new paypalSdk.orders.OrdersCreateRequest();
      request.prefer(PREFER);
      request.headers['PayPal-Request-Id'] = requestId;
      request.requestBody({
        intent: 'AUTHORIZE',
        purchase_units: [
          {
            reference_id: 'default',
            amount: paypalAmount(input.amount),
            ...(input.customerId ? { custom_id: input.customerId } : {}),
            ...(input.description ? { description: input.description } : {}),
          },
        ],
        application_context: {
          user_action: 'CONTINUE',
          shipping_preference: 'NO_SHIPPING',
          ...(connection.brandName ? { brand_name: connection.brandName } : {}),
          ...(connection.returnUrl ? { return_url: connection.returnUrl } : {}),
          ...(connection.cancelUrl ? { cancel_url: connection.cancelUrl } : {}),
        },
      });
      return request;
    });
    const approve = order.links?.find((l) => l.rel === 'approve' || l.rel === 'payer-action');
    this.options.logger.info('paypal order created', {
      provider: 'paypal',
      paypalOrderId: order.id,
      amount: input.amount.amount,
      currency: input.amount.currency,
    });
    return { paypalOrderId: order.id, status: order.status, total: input.amount, approveUrl: approve?.href ?? null };
  }

  async authorize(input: AuthorizePaymentInput): Promise<PaymentAuthorization> {
    const { payment, orderId, amount } = input;
    if (payment.method !== 'paypal') {
      throw new PaymentRequestRejectedError('paypal', 'unsupported_method', `The PayPal gateway does not take ${payment.method} payments.`);
    }
    const paypalOrderId = payment.paypalOrderId;
    // The buyer approved an order made from a cart; the server's total decides what is taken.
    const approved = await this.execute('get-order', orderId, undefined, OrderSchema, () => new paypalSdk.orders.OrdersGetRequest(paypalOrderId));
    const units = approved.purchase_units ?? [];
    const unitAmount = units.length === 1 && units[0]?.amount ? fromPaypalAmount(units[0].amount) : undefined;
    if (!unitAmount || !sameMoney(unitAmount, amount)) {
      throw new PaymentDeclinedError(
        'paypal',
        'AMOUNT_MISMATCH',
        `The approved PayPal order is for ${unitAmount ? describeMoney(unitAmount) : 'another amount'}, but the order total is ${describeMoney(amount)}.`,
      );
    }
    if (approved.intent !== undefined && approved.intent !== 'AUTHORIZE') {
      throw new PaymentDeclinedError('paypal', 'ACTION_DOES_NOT_MATCH_INTENT', 'The PayPal order was not created for authorization.');
    }

    const idempotencyKey = paymentIdempotencyKey(orderId, 'authorize');
    const order = await this.execute('authorize', orderId, idempotencyKey, OrderSchema, () => {
      const request = new paypalSdk.orders.OrdersAuthorizeRequest(paypalOrderId);
      request.payPalRequestId(idempotencyKey);
      request.prefer(PREFER);
      request.requestBody({});
      return request;
    });
    const authorization = order.purchase_units?.[0]?.payments?.authorizations?.[0];
    if (!authorization) {
      throw new PaymentRequestRejectedError('paypal', 'unexpected_response', `PayPal authorized order ${paypalOrderId} without an authorization.`);
    }
    if (authorization.status !== 'CREATED' && authorization.status !== 'PENDING') {
      throw new PaymentDeclinedError('paypal', authorization.status, `PayPal did not authorize the payment (${authorization.status}).`);
    }
    this.options.logger.info('payment authorized', {
      provider: 'paypal',
      method: 'paypal',
      orderId,
      paypalOrderId,
      authorizationId: authorization.id,
      amount: amount.amount,
      currency: amount.currency,
    });
    return {
      provider: 'paypal',
      method: 'paypal',
      orderId,
      authorizationId: authorization.id,
      providerOrderId: paypalOrderId,
      amount: authorization.amount ? (fromPaypalAmount(authorization.amount) ?? amount) : amount,
      status: 'AUTHORIZED',
      providerStatus: authorization.status,
    };
  }

  async capture(input: CapturePaymentInput): Promise<PaymentCapture> {
    this.checkMethod(input.method);
    const idempotencyKey = paymentIdempotencyKey(input.orderId, 'capture');
    const capture = await this.execute('capture', input.orderId, idempotencyKey, CaptureSchema, () => {
      const request = new paypalSdk.payments.AuthorizationsCaptureRequest(input.authorizationId);
      request.payPalRequestId(idempotencyKey);
      request.prefer(PREFER);
      request.requestBody({
        ...(input.amount ? { amount: paypalAmount(input.amount) } : {}),
        final_capture: true,
        // Unique per merchant at PayPal: one more guard against a second capture for an order.
        invoice_id: input.orderId,
      });
      return request;
    });
    if (capture.status === 'DECLINED' || capture.status === 'FAILED') {
      throw new PaymentDeclinedError('paypal', capture.status, `PayPal declined the capture (${capture.status}).`);
    }
    const amount = capture.amount ? fromPaypalAmount(capture.amount) : input.amount;
    if (!amount) {
      throw new PaymentRequestRejectedError('paypal', 'unexpected_response', `PayPal's capture ${capture.id} has no readable amount.`);
    }
    this.options.logger.info('payment captured', {
      provider: 'paypal',
      orderId: input.orderId,
      authorizationId: input.authorizationId,
      captureId: capture.id,
      amount: amount.amount,
      currency: amount.currency,
    });
    return {
      provider: 'paypal',
      method: 'paypal',
      orderId: input.orderId,
      authorizationId: input.authorizationId,
      captureId: capture.id,
      amount,
      status: 'CAPTURED',
      providerStatus: capture.status,
    };
  }

  async void(input: VoidPaymentInput): Promise<PaymentVoid> {
    this.checkMethod(input.method);
    const idempotencyKey = paymentIdempotencyKey(input.orderId, 'void');
    let providerStatus = 'VOIDED';
    try {
      const result = await this.execute('void', input.orderId, idempotencyKey, AuthorizationSchema.optional(), () => {
        const request = new paypalSdk.payments.AuthorizationsVoidRequest(input.authorizationId);
        request.headers['PayPal-Request-Id'] = idempotencyKey;
        request.headers.Prefer = PREFER;
        return request;
      });
      providerStatus = result?.status ?? 'VOIDED';
    } catch (error) {
      // Voided already: the authorization is released, which is what was asked.
      if (!(error instanceof PaymentRequestRejectedError && error.providerCode === 'PREVIOUSLY_VOIDED')) throw error;
    }
    this.options.logger.info('payment voided', { provider: 'paypal', orderId: input.orderId, authorizationId: input.authorizationId });
    return {
      provider: 'paypal',
      method: 'paypal',
      orderId: input.orderId,
      authorizationId: input.authorizationId,
      status: 'VOIDED',
      providerStatus,
    };
  }

  async refund(input: RefundPaymentInput): Promise<PaymentRefund> {
    this.checkMethod(input.method);
    const idempotencyKey = paymentIdempotencyKey(input.orderId, 'refund', input.refundKey);
    const refund = await this.execute('refund', input.orderId, idempotencyKey, RefundSchema, () => {
      const request = new paypalSdk.payments.CapturesRefundRequest(input.captureId);
      request.payPalRequestId(idempotencyKey);
      request.prefer(PREFER);
      request.requestBody({
        ...(input.amount ? { amount: paypalAmount(input.amount) } : {}),
        ...(input.reason ? { note_to_payer: refundNote(input.reason) } : {}),
      });
      return request;
    });
    const amount = refund.amount ? fromPaypalAmount(refund.amount) : input.amount;
    if (!amount) {
      throw new PaymentRequestRejectedError('paypal', 'unexpected_response', `PayPal's refund ${refund.id} has no readable amount.`);
    }
    this.options.logger.info('payment refunded', {
      provider: 'paypal',
      orderId: input.orderId,
      captureId: input.captureId,
      refundId: refund.id,
      amount: amount.amount,
      currency: amount.currency,
    });
    return {
      provider: 'paypal',
      method: 'paypal',
      orderId: input.orderId,
      authorizationId: input.authorizationId,
      captureId: input.captureId,
      refundId: refund.id,
      amount,
      status: 'REFUNDED',
      providerStatus: refund.status,
    };
  }

  private checkMethod(method: PaymentMethod): void {
    if (method !== 'paypal') {
      throw new PaymentRequestRejectedError('paypal', 'unsupported_method', `The PayPal gateway does not take ${method} payments.`);
    }
  }

  private async httpClient(): Promise<PaypalHttpClient> {
    const secrets = await this.options.secrets.get({ provider: 'paypal' });
    const { paypalClientId: id, paypalClientSecret: secret } = secrets;
    if (!id || !secret) {
      const missing = !id ? 'PAYPAL_CLIENT_ID' : 'PAYPAL_CLIENT_SECRET';
      throw new PaymentConfigurationError(`PayPal is not configured: ${missing} is missing from ${this.options.secrets.origin}.`, missing);
    }
    this.redactor.remember(secret, Buffer.from(`${id}:${secret}`).toString('base64'));
    if (this.client?.id !== id || this.client.secret !== secret) {
      const { baseUrl, timeoutMs } = this.options.connection;
      this.client = { id, secret, http: new PaypalHttpClient(new PaypalCustomEnvironment(id, secret, baseUrl), timeoutMs) };
    }
    return this.client.http;
  }

  private execute<T>(
    operation: PaypalOperation,
    orderId: string | undefined,
    idempotencyKey: string | undefined,
    schema: z.ZodType<T>,
    build: () => paypalSdk.HttpRequest,
  ): Promise<T> {
    const { retry, logger, connection } = this.options;
    return callProvider(
      { provider: 'paypal', timeoutMs: connection.timeoutMs, retry, logger },
      {
        operation,
        ...(orderId ? { orderId } : {}),
        ...(idempotencyKey ? { idempotencyKey } : {}),
        attempt: async () => {
          const http = await this.httpClient();
          // A new request each attempt: the SDK writes the access token into its headers.
          const request = build();
          const extra = this.options.requestHeaders?.(operation);
          if (extra) Object.assign(request.headers, extra);
          const response = await http.execute<unknown>(request);
          const parsed = schema.safeParse(response.result);
          if (!parsed.success) {
            throw new PaymentRequestRejectedError('paypal', 'unexpected_response', `PayPal's answer to ${operation} is not what Orders v2 documents.`);
          }
          return parsed.data;
        },
        mapError: (error) => mapPaypalError(error, operation, this.redactor),
        reloadCredentials: async () => {
          const before = this.client;
          const secrets = await this.options.secrets.get({ forceRefresh: true, provider: 'paypal' });
          return secrets.paypalClientId !== before?.id || secrets.paypalClientSecret !== before?.secret;
        },
      },
    );
  }
}

function paypalAmount(money: Money): { currency_code: string; value: string } {
  return { currency_code: money.currency, value: toDecimalString(money) };
}

function fromPaypalAmount(amount: { currency_code: string; value: string }): Money | undefined {
  return fromDecimalString(amount.value, amount.currency_code);
}

function refundNote(reason: string): string {
  return reason === 'requested_by_customer' ? 'Refund requested by the customer.' : 'Refund of your order.';
}

const PaypalErrorBodySchema = z.looseObject({
  name: z.string().optional(),
  message: z.string().optional(),
  debug_id: z.string().optional(),
  details: z.array(z.looseObject({ issue: z.string(), description: z.string().optional() })).optional(),
  error: z.string().optional(),
  error_description: z.string().optional(),
});

/**
 * PayPal's failures in the library's terms. @paypal/paypalhttp rejects with an Error
 * whose `statusCode` is the HTTP status and whose `message` is the body; network
 * failures and its timeout have no status.
 */
export function mapPaypalError(error: unknown, operation: PaypalOperation, redactor: SecretRedactor): Error {
  if (
    error instanceof PaymentDeclinedError ||
    error instanceof PaymentProviderUnavailableError ||
    error instanceof PaymentConfigurationError ||
    error instanceof PaymentRequestRejectedError ||
    error instanceof CredentialsRejected
  ) {
    return error;
  }
  const status = (error as { statusCode?: unknown })?.statusCode;
  const text = String((error as Error)?.message ?? error);
  if (typeof status !== 'number') {
    const timedOut = /timed out/i.test(text);
    return new PaymentProviderUnavailableError(
      'paypal',
      timedOut ? 'timeout' : 'network',
      timedOut ? `PayPal did not answer ${operation} in time.` : `Could not reach PayPal: ${redactor.redact(text)}`,
    );
  }
  let body: z.infer<typeof PaypalErrorBodySchema> = {};
  try {
    body = PaypalErrorBodySchema.parse(JSON.parse(text));
  } catch {
    body = {};
  }
  const detail = body.details?.[0];
  const issue = detail?.issue ?? body.name ?? body.error ?? `HTTP_${status}`;
  const description = redactor.redact(detail?.description ?? body.message ?? body.error_description ?? `PayPal answered ${status}.`);
  const debug = body.debug_id ? ` (debug_id ${body.debug_id})` : '';

  if (status === 401) {
    return new CredentialsRejected(
      new PaymentConfigurationError(
        'PayPal rejected the client credentials (PAYPAL_CLIENT_ID, PAYPAL_CLIENT_SECRET).',
        'PAYPAL_CLIENT_SECRET',
      ),
    );
  }
  if (status === 403) {
    return new PaymentConfigurationError(`PayPal refused ${operation} for lack of permissions: ${issue}${debug}.`, 'PAYPAL_CLIENT_ID');
  }
  if (status >= 500 || status === 429 || status === 409) {
    const reason = status === 429 ? 'rate_limited' : status === 409 ? 'conflict' : 'server_error';
    return new PaymentProviderUnavailableError('paypal', reason, `PayPal answered ${operation} with ${status} ${issue}${debug}.`, status);
  }
  const buyersOrder = operation === 'authorize' || operation === 'get-order';
  if ((buyersOrder && (status === 404 || status === 422)) || (operation === 'capture' && DECLINE_ISSUES.has(issue))) {
    return new PaymentDeclinedError('paypal', issue, description);
  }
  return new PaymentRequestRejectedError('paypal', issue, `PayPal refused ${operation} (${status} ${issue}): ${description}${debug}`, status);
}
