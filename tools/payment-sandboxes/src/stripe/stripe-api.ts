import { formatForHumans } from '../currency';
import { randomSecret, stripeId } from '../ids';
import { headerOf, type SandboxRequest, type SandboxResponse } from '../sandbox-server';
import { canonicalParams, type FormObject, FormEncodingError, parseStripeForm } from './form-encoding';
import { docUrl, invalidRequest, resourceMissing, StripeApiError } from './stripe-errors';
import { booleanParam, checkKnown, enumParam, integerParam, metadataParam, stringParam } from './stripe-params';
import { now, type PaymentIntentState, type PaymentIntentStatus, type StripeRefundRecord, type StripeState } from './stripe-state';
import { API_VERSION, intentJson, paymentMethodJson, refundJson } from './stripe-views';

/** The answer of an endpoint; `store: false` for errors Stripe raises before executing. */
interface HandlerResult {
  status: number;
  json: unknown;
  store: boolean;
}

const CANCELABLE: readonly PaymentIntentStatus[] = [
  'requires_payment_method',
  'requires_capture',
  'requires_confirmation',
  'requires_action',
  'processing',
];
const CANCELLATION_REASONS = ['duplicate', 'fraudulent', 'requested_by_customer', 'abandoned'];
const REFUND_REASONS = ['duplicate', 'fraudulent', 'requested_by_customer'];
const CREATE_PARAMS = new Set([
  'amount',
  'currency',
  'payment_method',
  'allowed_payment_method_types',
  'excluded_payment_method_types',
  'automatic_payment_methods',
  'confirm',
  'capture_method',
  'confirmation_method',
  'metadata',
  'description',
  'customer',
  'return_url',
  'receipt_email',
  'statement_descriptor',
  'statement_descriptor_suffix',
  'off_session',
  'error_on_requires_action',
  'setup_future_usage',
  'payment_method_options',
  'expand',
]);
const CAPTURE_PARAMS = new Set(['amount_to_capture', 'metadata', 'final_capture', 'expand']);
const CANCEL_PARAMS = new Set(['cancellation_reason', 'expand']);
const CONFIRM_PARAMS = new Set(['payment_method', 'return_url', 'off_session', 'error_on_requires_action', 'expand']);
const REFUND_PARAMS = new Set(['payment_intent', 'charge', 'amount', 'reason', 'metadata', 'expand']);
/** Stripe's minimum charge amounts for the common currencies (minor units). */
const MINIMUM_AMOUNT: Readonly<Record<string, number>> = { usd: 50, eur: 50, gbp: 30, cad: 50, aud: 50, chf: 50, jpy: 50 };

function unexpectedState(pi: PaymentIntentState, message: string): StripeApiError {
  return invalidRequest(
    message,
    { code: 'payment_intent_unexpected_state', doc_url: docUrl('payment_intent_unexpected_state'), payment_intent: intentJson(pi) },
    400,
    true,
  );
}

/**
 * Stripe's API (the endpoints @orderflow/payments calls) over a StripeState: authentication,
 * idempotency keys (replay of the first answer; 409 while in flight; 400 for other parameters)
 * and the PaymentIntent and Refund endpoints, where the test PaymentMethods decide outcomes.
 * Every change is saved to the state before the answer goes out.
 */
export function createStripeApi(state: StripeState, secretKey: string): { handleApi(request: SandboxRequest): SandboxResponse } {
  const inFlight = new Set<string>();

  // --- confirmation: where the test PaymentMethods decide the outcome -------------------

  const confirm = (pi: PaymentIntentState): HandlerResult => {
    const pm = pi.paymentMethod;
    if (!pm) {
      throw unexpectedState(
        pi,
        "You cannot confirm this PaymentIntent because it's missing a payment method. To confirm the PaymentIntent with a payment method, pass `payment_method`.",
      );
    }
    const outcome = pm.test.outcome;
    const chargeId = stripeId('ch');
    pi.latestCharge = chargeId;
    if (outcome.kind === 'succeeds') {
      if (pi.captureMethod === 'manual') {
        pi.status = 'requires_capture';
        pi.amountCapturable = pi.amount;
      } else {
        pi.status = 'succeeded';
        pi.amountReceived = pi.amount;
      }
      state.saveIntent(pi);
      return { status: 200, json: intentJson(pi), store: true };
    }
    if (outcome.kind === 'requires_action') {
      pi.status = 'requires_action';
      pi.latestCharge = null;
      pi.nextAction = { type: 'use_stripe_sdk', use_stripe_sdk: { type: 'three_d_secure_redirect', stripe_js: '' } };
      state.saveIntent(pi);
      return { status: 200, json: intentJson(pi), store: true };
    }
    // A decline: the PaymentIntent goes back to requires_payment_method and the error tells why.
    const error = {
      type: 'card_error',
      code: outcome.code,
      decline_code: outcome.declineCode,
      message: outcome.message,
      charge: chargeId,
      doc_url: docUrl(outcome.code),
      ...(outcome.param ? { param: outcome.param } : {}),
      payment_method: paymentMethodJson(pm),
    };
    pi.status = 'requires_payment_method';
    pi.lastFailedPaymentMethod = pm;
    pi.paymentMethod = null;
    pi.lastPaymentError = error;
    pi.lastPaymentErrorCodes = { code: outcome.code, declineCode: outcome.declineCode };
    state.saveIntent(pi);
    return { status: 402, json: { error: { ...error, payment_intent: intentJson(pi) } }, store: true };
  };

  // --- endpoints -------------------------------------------------------------------------

  const createIntent = (params: FormObject, idempotencyKey: string | null): HandlerResult => {
    checkKnown(params, CREATE_PARAMS);
    const amount = integerParam(params, 'amount');
    if (amount === undefined) {
      throw invalidRequest('Missing required param: amount.', { code: 'parameter_missing', param: 'amount', doc_url: docUrl('parameter_missing') });
    }
    const currencyRaw = stringParam(params, 'currency');
    if (currencyRaw === undefined) {
      throw invalidRequest('Missing required param: currency.', { code: 'parameter_missing', param: 'currency', doc_url: docUrl('parameter_missing') });
    }
    if (!/^[A-Za-z]{3}$/.test(currencyRaw)) {
      throw invalidRequest(`Invalid currency: ${currencyRaw.toLowerCase()}. Stripe currently supports these currencies: usd, eur, gbp, ...`, {
        param: 'currency',
      });
    }
    const currency = currencyRaw.toLowerCase();
    const minimum = MINIMUM_AMOUNT[currency] ?? 1;
    if (amount < minimum) {
      throw invalidRequest(`Amount must be at least ${formatForHumans(minimum, currency)} ${currency}`, {
        code: 'amount_too_small',
        param: 'amount',
        doc_url: docUrl('amount_too_small'),
      });
    }
    if (amount > 99_999_999) {
      throw invalidRequest('Amount must be no more than $999,999.99', { code: 'amount_too_large', param: 'amount', doc_url: docUrl('amount_too_large') });
    }
    const captureMethod = enumParam(params, 'capture_method', ['automatic', 'automatic_async', 'manual']) ?? 'automatic_async';
    const shouldConfirm = booleanParam(params, 'confirm') ?? false;
    const metadata = metadataParam(params) ?? {};
    // API 2026-10-28.endive: `allowed_payment_method_types` replaced `payment_method_types`.
    const typesRaw = params.allowed_payment_method_types;
    let paymentMethodTypes: string[] = ['card'];
    if (typesRaw !== undefined) {
      if (!Array.isArray(typesRaw) || !typesRaw.every((t) => typeof t === 'string')) {
        throw invalidRequest('Invalid array', { param: 'allowed_payment_method_types' });
      }
      for (const t of typesRaw as string[]) {
        if (t !== 'card') {
          throw invalidRequest(
            `The payment method type "${t}" is invalid. Please ensure the provided type is activated in your dashboard (https://dashboard.stripe.com/account/payments/settings) and your account is enabled for any preview features that you are trying to use.`,
            { param: 'allowed_payment_method_types' },
          );
        }
      }
      paymentMethodTypes = typesRaw as string[];
    }
    const apmRaw = params.automatic_payment_methods;
    let automaticPaymentMethods: PaymentIntentState['automaticPaymentMethods'] = null;
    if (typesRaw === undefined) {
      // A PaymentIntent without allowed_payment_method_types takes the Dashboard's methods.
      automaticPaymentMethods = { enabled: true };
      if (apmRaw !== undefined && typeof apmRaw === 'object' && !Array.isArray(apmRaw)) {
        automaticPaymentMethods = {
          enabled: apmRaw.enabled !== 'false',
          ...(typeof apmRaw.allow_redirects === 'string' ? { allow_redirects: apmRaw.allow_redirects } : {}),
        };
      }
    }
    const pmId = stringParam(params, 'payment_method');
    const paymentMethod = pmId === undefined ? null : state.findPaymentMethod(pmId);
    const returnUrl = stringParam(params, 'return_url');
    if (shouldConfirm && automaticPaymentMethods?.enabled && automaticPaymentMethods.allow_redirects !== 'never' && returnUrl === undefined) {
      throw invalidRequest(
        "This PaymentIntent is configured to accept payment methods enabled in your Dashboard. Because some of these payment methods might redirect your customer off of your page, you must provide a `return_url`. If you don't want to accept redirect-based payment methods, set `automatic_payment_methods[enabled]` to `true` and `automatic_payment_methods[allow_redirects]` to `never` when creating Setup Intents and Payment Intents.",
      );
    }
    const id = stripeId('pi');
    const pi: PaymentIntentState = {
      id,
      amount,
      currency,
      status: paymentMethod ? 'requires_confirmation' : 'requires_payment_method',
      captureMethod,
      paymentMethod,
      lastFailedPaymentMethod: null,
      paymentMethodTypes,
      allowedPaymentMethodTypes: typesRaw === undefined ? null : paymentMethodTypes,
      automaticPaymentMethods,
      metadata,
      description: stringParam(params, 'description') ?? null,
      amountCapturable: 0,
      amountReceived: 0,
      amountRefunded: 0,
      latestCharge: null,
      lastPaymentError: null,
      lastPaymentErrorCodes: null,
      nextAction: null,
      canceledAt: null,
      cancellationReason: null,
      clientSecret: `${id}_secret_${randomSecret(25)}`,
      created: now(),
      idempotencyKey,
      refunds: [],
    };
    state.saveIntent(pi);
    if (shouldConfirm) return confirm(pi);
    return { status: 200, json: intentJson(pi), store: true };
  };

  const confirmIntent = (pi: PaymentIntentState, params: FormObject): HandlerResult => {
    checkKnown(params, CONFIRM_PARAMS);
    if (pi.status !== 'requires_payment_method' && pi.status !== 'requires_confirmation') {
      throw unexpectedState(
        pi,
        `You cannot confirm this PaymentIntent because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be confirmed: requires_confirmation, requires_payment_method, requires_action.`,
      );
    }
    const pmId = stringParam(params, 'payment_method');
    if (pmId !== undefined) pi.paymentMethod = state.findPaymentMethod(pmId);
    pi.lastPaymentError = null;
    return confirm(pi);
  };

  const captureIntent = (pi: PaymentIntentState, params: FormObject): HandlerResult => {
    checkKnown(params, CAPTURE_PARAMS);
    if (pi.status !== 'requires_capture') {
      throw unexpectedState(
        pi,
        `This PaymentIntent could not be captured because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be captured: requires_capture.`,
      );
    }
    const amountToCapture = integerParam(params, 'amount_to_capture') ?? pi.amountCapturable;
    if (amountToCapture <= 0 || amountToCapture > pi.amountCapturable) {
      throw invalidRequest(
        `The amount_to_capture (${amountToCapture}) must be a positive integer less than or equal to the amount_capturable (${pi.amountCapturable}).`,
        { code: 'amount_too_large', param: 'amount_to_capture', doc_url: docUrl('amount_too_large') },
      );
    }
    const metadata = metadataParam(params);
    if (metadata) pi.metadata = { ...pi.metadata, ...metadata };
    pi.amountReceived = amountToCapture;
    pi.amountCapturable = 0;
    pi.status = 'succeeded';
    state.saveIntent(pi);
    return { status: 200, json: intentJson(pi), store: true };
  };

  const cancelIntent = (pi: PaymentIntentState, params: FormObject): HandlerResult => {
    checkKnown(params, CANCEL_PARAMS);
    const reason = enumParam(params, 'cancellation_reason', CANCELLATION_REASONS);
    if (!CANCELABLE.includes(pi.status)) {
      throw unexpectedState(
        pi,
        `You cannot cancel this PaymentIntent because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be canceled: ${CANCELABLE.join(', ')}.`,
      );
    }
    pi.status = 'canceled';
    pi.canceledAt = now();
    pi.cancellationReason = reason ?? null;
    pi.amountCapturable = 0;
    pi.nextAction = null;
    state.saveIntent(pi);
    return { status: 200, json: intentJson(pi), store: true };
  };

  const createRefund = (params: FormObject, idempotencyKey: string | null): HandlerResult => {
    checkKnown(params, REFUND_PARAMS);
    const piId = stringParam(params, 'payment_intent');
    const chargeId = stringParam(params, 'charge');
    let pi: PaymentIntentState | undefined;
    if (piId !== undefined) {
      pi = state.intents.get(piId);
      if (!pi) throw resourceMissing(`No such payment_intent: '${piId}'`, 'payment_intent');
    } else if (chargeId !== undefined) {
      pi = [...state.intents.values()].find((candidate) => candidate.latestCharge === chargeId);
      if (!pi) throw resourceMissing(`No such charge: '${chargeId}'`, 'charge');
    } else {
      throw invalidRequest('One of the following params should be provided for this request: payment_intent or charge.', {
        code: 'parameter_missing',
      });
    }
    const reason = enumParam(params, 'reason', REFUND_REASONS) ?? null;
    if (pi.amountReceived === 0) {
      throw unexpectedState(pi, `This PaymentIntent (${pi.id}) does not have a successful charge to refund.`);
    }
    const refundable = pi.amountReceived - pi.amountRefunded;
    if (refundable <= 0) {
      throw invalidRequest(
        `Charge ${pi.latestCharge} has already been refunded.`,
        { code: 'charge_already_refunded', charge: pi.latestCharge, doc_url: docUrl('charge_already_refunded') },
        400,
        true,
      );
    }
    const amount = integerParam(params, 'amount') ?? refundable;
    if (amount <= 0) throw invalidRequest('Invalid positive integer', { code: 'parameter_invalid_integer', param: 'amount' });
    if (amount > refundable) {
      throw invalidRequest(
        `Refund amount (${formatForHumans(amount, pi.currency)}) is greater than unrefunded amount on charge (${formatForHumans(refundable, pi.currency)})`,
        { code: 'amount_too_large', param: 'amount', doc_url: docUrl('amount_too_large') },
        400,
        true,
      );
    }
    const refund: StripeRefundRecord = {
      id: stripeId('re'),
      paymentIntent: pi.id,
      amount,
      currency: pi.currency,
      status: 'succeeded',
      reason,
      idempotencyKey,
    };
    pi.amountRefunded += amount;
    pi.refunds.push(refund);
    state.saveIntent(pi);
    return { status: 200, json: refundJson(refund, pi), store: true };
  };

  const route = (method: string, path: string, params: FormObject, idempotencyKey: string | null): HandlerResult => {
    if (path === '/v1/payment_intents' && method === 'POST') return createIntent(params, idempotencyKey);
    if (path === '/v1/refunds' && method === 'POST') return createRefund(params, idempotencyKey);
    const refundMatch = /^\/v1\/refunds\/([^/]+)$/.exec(path);
    if (refundMatch && method === 'GET') {
      for (const pi of state.intents.values()) {
        const refund = pi.refunds.find((r) => r.id === refundMatch[1]);
        if (refund) return { status: 200, json: refundJson(refund, pi), store: false };
      }
      throw invalidRequest(`No such refund: '${refundMatch[1]}'`, { code: 'resource_missing', param: 'id' }, 404);
    }
    const pmMatch = /^\/v1\/payment_methods\/([^/]+)$/.exec(path);
    if (pmMatch && method === 'GET') {
      const pm = state.findPaymentMethod(pmMatch[1] as string);
      return { status: 200, json: paymentMethodJson(pm), store: false };
    }
    const match = /^\/v1\/payment_intents\/([^/]+)(?:\/(capture|cancel|confirm))?$/.exec(path);
    if (match) {
      const action = match[2];
      if (!action && method === 'GET') return { status: 200, json: intentJson(state.findIntent(match[1] as string)), store: false };
      if (action && method === 'POST') {
        const pi = state.findIntent(match[1] as string);
        if (action === 'capture') return captureIntent(pi, params);
        if (action === 'cancel') return cancelIntent(pi, params);
        return confirmIntent(pi, params);
      }
    }
    throw invalidRequest(`Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`, {}, 404);
  };

  const authenticate = (request: SandboxRequest): StripeApiError | undefined => {
    const header = headerOf(request.headers, 'authorization');
    if (!header) {
      return invalidRequest(
        "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.",
        {},
        401,
      );
    }
    let key = '';
    if (header.startsWith('Bearer ')) key = header.slice('Bearer '.length).trim();
    else if (header.startsWith('Basic ')) key = Buffer.from(header.slice('Basic '.length), 'base64').toString('utf8').split(':')[0] ?? '';
    if (key !== secretKey) {
      // Stripe shows only the end of a wrong key.
      const masked = key.length > 4 ? `${key.slice(0, Math.min(8, key.length - 4))}${'*'.repeat(Math.max(0, key.length - 12))}${key.slice(-4)}` : '****';
      return invalidRequest(`Invalid API Key provided: ${masked}`, {}, 401);
    }
    return undefined;
  };

  const handleApi = (request: SandboxRequest): SandboxResponse => {
    const requestId = stripeId('req').slice(0, 18);
    const version = headerOf(request.headers, 'stripe-version') ?? API_VERSION;
    const baseHeaders: Record<string, string> = { 'Request-Id': requestId, 'Stripe-Version': version };
    const errorResponse = (e: StripeApiError): SandboxResponse => ({
      status: e.status,
      headers: baseHeaders,
      json: { error: { ...e.error, request_log_url: `https://dashboard.stripe.com/test/logs/${requestId}` } },
    });

    const authError = authenticate(request);
    if (authError) return errorResponse(authError);

    let params: FormObject;
    try {
      params = request.method === 'GET' ? parseStripeForm(request.query.toString()) : parseStripeForm(request.body);
    } catch (error) {
      if (error instanceof FormEncodingError) return errorResponse(invalidRequest(error.message));
      throw error;
    }

    const key = request.method === 'POST' ? (headerOf(request.headers, 'idempotency-key') ?? null) : null;
    if (key !== null) {
      baseHeaders['Idempotency-Key'] = key;
      if (key.length > 255) {
        return errorResponse(invalidRequest('Idempotency-Key must be at most 255 characters long.', { type: 'idempotency_error' }));
      }
      if (inFlight.has(key)) {
        return errorResponse(
          new StripeApiError(
            409,
            {
              type: 'idempotency_error',
              message: `There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): ${key}. Please try again later.`,
            },
            false,
          ),
        );
      }
      const stored = state.storedResponse(key);
      if (stored) {
        if (stored.method !== request.method || stored.path !== request.path) {
          return errorResponse(
            new StripeApiError(
              400,
              {
                type: 'idempotency_error',
                message: `Keys for idempotent requests can only be used for the same endpoint they were first used for ('${stored.method} ${stored.path}' vs '${request.method} ${request.path}'). Try using a key other than '${key}' if you meant to execute a different request.`,
              },
              false,
            ),
          );
        }
        if (stored.params !== canonicalParams(params)) {
          return errorResponse(
            new StripeApiError(
              400,
              {
                type: 'idempotency_error',
                message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
              },
              false,
            ),
          );
        }
        return {
          status: stored.status,
          headers: { ...baseHeaders, 'Idempotent-Replayed': 'true', 'Original-Request': stored.requestId },
          json: stored.json,
          replayed: true,
        };
      }
    }

    let result: HandlerResult;
    if (key !== null) inFlight.add(key);
    try {
      result = route(request.method, request.path, params, key);
    } catch (error) {
      if (!(error instanceof StripeApiError)) throw error;
      result = { status: error.status, json: errorResponse(error).json, store: error.store };
    } finally {
      if (key !== null) inFlight.delete(key);
    }
    if (result.status === 402 && typeof result.json === 'object' && result.json !== null) {
      const error = (result.json as { error: Record<string, unknown> }).error;
      error.request_log_url = `https://dashboard.stripe.com/test/logs/${requestId}`;
    }
    if (key !== null && result.store) {
      state.storeResponse(key, { method: request.method, path: request.path, params: canonicalParams(params), status: result.status, json: result.json, requestId });
    }
    return { status: result.status, headers: baseHeaders, json: result.json };
  };

  return { handleApi };
}
