/**
 * The error catalogue of DESIGN.md: one table, code -> HTTP status. Every part of the
 * service (handlers, the workflow's final output, the API Gateway response templates,
 * the local gateway) takes its statuses from here.
 */
export const ERROR_CATALOGUE = {
  VALIDATION_FAILED: { status: 400, message: 'The request is not valid.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'The request body must be application/json.' },
  UNAUTHORIZED: { status: 401, message: 'Authentication is required.' },
  FORBIDDEN: { status: 403, message: 'You may not access this resource.' },
  UNKNOWN_PRODUCT: { status: 422, message: 'The cart names a product that does not exist.' },
  OUT_OF_STOCK: { status: 409, message: 'Not enough stock for a product in the cart.' },
  PAYMENT_DECLINED: { status: 402, message: 'The payment was declined.' },
  IDEMPOTENCY_KEY_REUSED: {
    status: 422,
    message: 'This Idempotency-Key was already used with a different request.',
  },
  IDEMPOTENCY_IN_PROGRESS: {
    status: 409,
    message: 'A request with this Idempotency-Key is still being processed.',
  },
  PAYMENT_PROVIDER_UNAVAILABLE: {
    status: 503,
    message: 'The payment provider is unavailable. Try again later.',
  },
  ORDER_NOT_FOUND: { status: 404, message: 'No such order.' },
  PRODUCT_NOT_FOUND: { status: 404, message: 'No such product.' },
  ROUTE_NOT_FOUND: { status: 404, message: 'No such route.' },
  METHOD_NOT_ALLOWED: { status: 405, message: 'This method is not allowed on this route.' },
  BAD_REQUEST: { status: 400, message: 'The request could not be understood.' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'The request body is too large.' },
  REQUEST_HEADERS_TOO_LARGE: { status: 431, message: 'The request headers are too large.' },
  TOO_MANY_REQUESTS: { status: 429, message: 'Too many requests. Slow down and try again.' },
  TIMEOUT: { status: 504, message: 'The order could not be completed in time.' },
  INTERNAL: { status: 500, message: 'Something went wrong on our side.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export const ERROR_CODES = Object.keys(ERROR_CATALOGUE) as ErrorCode[];

export function httpStatusOf(code: ErrorCode): number {
  return ERROR_CATALOGUE[code].status;
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CATALOGUE, value);
}
