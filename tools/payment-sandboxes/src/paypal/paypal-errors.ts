import { debugId } from '../ids';
import type { SandboxResponse } from '../sandbox-server';

/** The `name` and `message` PayPal's REST APIs put in an error body, by status. */
export const PAYPAL_ERROR_NAMES: Readonly<Record<number, { name: string; message: string }>> = {
  400: { name: 'INVALID_REQUEST', message: 'Request is not well-formed, syntactically incorrect, or violates schema.' },
  401: {
    name: 'AUTHENTICATION_FAILURE',
    message: 'Authentication failed due to invalid authentication credentials or a missing Authorization header.',
  },
  403: { name: 'NOT_AUTHORIZED', message: 'Authorization failed due to insufficient permissions.' },
  404: { name: 'RESOURCE_NOT_FOUND', message: 'The specified resource does not exist.' },
  409: { name: 'RESOURCE_CONFLICT', message: 'The server has detected a conflict while processing this request.' },
  422: {
    name: 'UNPROCESSABLE_ENTITY',
    message: 'The requested action could not be performed, semantically incorrect, or failed business validation.',
  },
  429: { name: 'RATE_LIMIT_REACHED', message: 'Too many requests. Blocked due to rate limiting.' },
  500: { name: 'INTERNAL_SERVER_ERROR', message: 'An internal server error has occurred.' },
  502: { name: 'BAD_GATEWAY', message: 'Bad Gateway.' },
  503: { name: 'SERVICE_UNAVAILABLE', message: 'Service Unavailable.' },
  504: { name: 'GATEWAY_TIMEOUT', message: 'Gateway Timeout.' },
};

/** Issues PayPal reports in `details[].issue`, with the status it answers them with. */
export const PAYPAL_ISSUES: Readonly<Record<string, { status: number; description: string }>> = {
  // Buyer or funding declines (negative testing can force each of these).
  INSTRUMENT_DECLINED: {
    status: 422,
    description: "The instrument presented  was either declined by the processor or bank, or it can't be used for this payment.",
  },
  TRANSACTION_REFUSED: { status: 422, description: 'The request was refused.' },
  PAYER_CANNOT_PAY: {
    status: 422,
    description: 'Combination of payer and payee settings mean that this buyer cannot pay this seller.',
  },
  PAYER_ACCOUNT_RESTRICTED: { status: 422, description: 'PAYER_ACCOUNT_RESTRICTED' },
  PAYER_ACCOUNT_LOCKED_OR_CLOSED: { status: 422, description: 'The payer account cannot be used for this transaction.' },
  PAYEE_ACCOUNT_RESTRICTED: { status: 422, description: 'The merchant account is restricted.' },
  CARD_EXPIRED: { status: 422, description: 'The card is expired.' },
  REDIRECT_PAYER_FOR_ALTERNATE_FUNDING: {
    status: 422,
    description: 'Transaction failed. Redirect the payer to select another funding source.',
  },
  // Order and payment state.
  ORDER_NOT_APPROVED: {
    status: 422,
    description:
      "Payer has not yet approved the Order for payment. Please redirect the payer to the 'rel':'approve' url returned as part of the HATEOAS links within the Create Order call or provide a valid payment_source in the request.",
  },
  ORDER_ALREADY_AUTHORIZED: {
    status: 422,
    description: "Order already authorized. If 'intent=AUTHORIZE' only one authorization per order is allowed.",
  },
  ORDER_ALREADY_CAPTURED: {
    status: 422,
    description: "Order already captured. If 'intent=CAPTURE' only one capture per order is allowed.",
  },
  ORDER_ALREADY_APPROVED: { status: 422, description: 'The order has already been approved.' },
  ACTION_DOES_NOT_MATCH_INTENT: {
    status: 422,
    description: 'The action does not match the intent the order was created with.',
  },
  MAX_AUTHORIZATION_COUNT_REACHED: {
    status: 422,
    description: 'The maximum number of authorizations allowed for the order has been reached.',
  },
  AUTHORIZATION_VOIDED: { status: 422, description: 'A voided authorization cannot be captured or reauthorized.' },
  AUTHORIZATION_EXPIRED: { status: 422, description: 'An expired authorization cannot be captured.' },
  AUTHORIZATION_ALREADY_CAPTURED: { status: 422, description: 'Authorization has previously been captured.' },
  PREVIOUSLY_CAPTURED: {
    status: 422,
    description: 'Authorization has been previously captured and hence cannot be voided.',
  },
  PREVIOUSLY_VOIDED: {
    status: 422,
    description: 'Authorization has been previously voided and hence cannot be voided again.',
  },
  MAX_CAPTURE_AMOUNT_EXCEEDED: { status: 422, description: 'Capture amount exceeds allowable limit.' },
  CAPTURE_FULLY_REFUNDED: { status: 422, description: 'The capture has already been fully refunded.' },
  REFUND_AMOUNT_EXCEEDED: {
    status: 422,
    description: 'The refund amount must be less than or equal to the capture amount that has not yet been refunded.',
  },
  REFUND_CAPTURE_CURRENCY_MISMATCH: { status: 422, description: 'Refund must be in the same currency as the capture.' },
  CURRENCY_MISMATCH: { status: 422, description: 'Currency of capture must be the same as currency of authorization.' },
  REFUND_NOT_ALLOWED: { status: 422, description: 'Full refund refused - partial refund has already been done on this payment.' },
  DUPLICATE_INVOICE_ID: {
    status: 422,
    description:
      'Duplicate Invoice ID detected. To avoid a potential duplicate transaction your account setting requires that Invoice Id be unique for each transaction.',
  },
  DECIMAL_PRECISION: {
    status: 422,
    description: 'If the currency supports decimals, only two decimal place precision is supported.',
  },
  // Request problems.
  MALFORMED_REQUEST_JSON: { status: 400, description: 'The request JSON is not well formed.' },
  MISSING_REQUIRED_PARAMETER: { status: 400, description: 'A required field / parameter is missing.' },
  INVALID_PARAMETER_VALUE: { status: 400, description: 'The value of a field is invalid.' },
  INVALID_STRING_LENGTH: { status: 400, description: 'The value of a field is either too short or too long.' },
  INVALID_RESOURCE_ID: {
    status: 404,
    description: 'Specified resource ID does not exist. Please check the resource ID and try again.',
  },
  PERMISSION_DENIED: { status: 403, description: 'You do not have permission to access or perform operations on this resource.' },
  // Provider faults (negative testing can force these too).
  INTERNAL_SERVER_ERROR: { status: 500, description: 'An internal server error has occurred.' },
  INTERNAL_SERVICE_ERROR: { status: 500, description: 'An internal service error has occurred.' },
  SERVICE_UNAVAILABLE: { status: 503, description: 'Service Unavailable.' },
  RATE_LIMIT_REACHED: { status: 429, description: 'Too many requests. Blocked due to rate limiting.' },
};

export interface IssueDetail {
  issue: string;
  description?: string;
  field?: string;
  value?: string;
  location?: 'body' | 'path' | 'query' | 'header';
}

export class PaypalApiError {
  constructor(
    readonly status: number,
    readonly details: IssueDetail[],
    readonly extraLinks: { href: string; rel: string; method: string }[] = [],
  ) {}
}

/** An error for one issue of the table above. */
export function issueError(issue: string, extra: Omit<IssueDetail, 'issue'> = {}, extraLinks: PaypalApiError['extraLinks'] = []): PaypalApiError {
  const known = PAYPAL_ISSUES[issue];
  return new PaypalApiError(
    known?.status ?? 422,
    [{ issue, description: known?.description ?? issue, ...extra }],
    extraLinks,
  );
}

/** PayPal's error body: `name`, `message`, `debug_id`, `details[{issue, description}]`, `links`. */
export function paypalErrorResponse(error: PaypalApiError, apiDoc = 'orders/v2'): SandboxResponse {
  const id = debugId();
  const head = PAYPAL_ERROR_NAMES[error.status] ?? { name: 'INTERNAL_SERVER_ERROR', message: 'An internal server error has occurred.' };
  const firstIssue = error.details[0]?.issue;
  return {
    status: error.status,
    headers: { 'Paypal-Debug-Id': id },
    json: {
      name: head.name,
      ...(error.details.length > 0 ? { details: error.details } : {}),
      message: head.message,
      debug_id: id,
      links: [
        {
          href: firstIssue
            ? `https://developer.paypal.com/docs/api/${apiDoc}/#error-${firstIssue}`
            : 'https://developer.paypal.com/api/rest/reference/orders/v2/errors/',
          rel: 'information_link',
          method: 'GET',
        },
        ...error.extraLinks,
      ],
    },
  };
}
