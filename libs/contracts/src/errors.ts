import type { z } from 'zod';
import { ERROR_CATALOGUE, type ErrorCode, isErrorCode } from './error-catalogue';
import type { ErrorBody, ErrorDetail } from './http';

/**
 * Base of every error the service reports to a client. `name` is stable (set by each
 * class, never derived from the constructor, which bundlers rename): Step Functions
 * matches Catch and Retry on it, so it is part of the contract.
 */
export class OrderflowError extends Error {
  override name = 'OrderflowError';
  readonly code: ErrorCode;
  readonly details: ErrorDetail[] | undefined;

  constructor(code: ErrorCode, message?: string, details?: ErrorDetail[], options?: ErrorOptions) {
    super(message ?? ERROR_CATALOGUE[code].message, options);
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return ERROR_CATALOGUE[this.code].status;
  }

  /** Extra fields of the error body (e.g. `declineCode`). */
  protected extraBody(): Record<string, unknown> {
    return {};
  }

  toBody(): ErrorBody {
    return errorBody(this.code, this.message, this.details, this.extraBody());
  }
}

export class ValidationError extends OrderflowError {
  override name = 'ValidationError';
  constructor(message: string, details: ErrorDetail[] = []) {
    super('VALIDATION_FAILED', message, details);
  }

  static fromZod(error: z.ZodError, message = 'The request is not valid.'): ValidationError {
    return new ValidationError(message, zodIssuesToDetails(error.issues));
  }
}

/** A product the cart names, with its line in the cart when the caller knows it. */
export type UnknownProductRef = string | { productId: string; index: number };

export class UnknownProductError extends OrderflowError {
  override name = 'UnknownProductError';
  readonly productIds: string[];
  constructor(products: readonly UnknownProductRef[]) {
    const refs = products.map((p) => (typeof p === 'string' ? { productId: p, index: undefined } : p));
    const productIds = refs.map((r) => r.productId);
    super(
      'UNKNOWN_PRODUCT',
      `Unknown product${productIds.length > 1 ? 's' : ''}: ${productIds.join(', ')}.`,
      // The path points at the cart line when known, so a client can mark the right line.
      refs.map((r) => ({ path: r.index === undefined ? 'items' : `items[${r.index}].productId`, message: `no product ${r.productId}` })),
    );
    this.productIds = productIds;
  }
}

export class ProductNotFoundError extends OrderflowError {
  override name = 'ProductNotFoundError';
  constructor(readonly productId: string) {
    super('PRODUCT_NOT_FOUND', `No product ${productId}.`);
  }
}

export class OrderNotFoundError extends OrderflowError {
  override name = 'OrderNotFoundError';
  constructor(readonly orderId: string) {
    super('ORDER_NOT_FOUND', `No order ${orderId}.`);
  }
}

export class IdempotencyKeyReusedError extends OrderflowError {
  override name = 'IdempotencyKeyReusedError';
  constructor() {
    super('IDEMPOTENCY_KEY_REUSED');
  }
}

export class IdempotencyInProgressError extends OrderflowError {
  override name = 'IdempotencyInProgressError';
  constructor() {
    super('IDEMPOTENCY_IN_PROGRESS');
  }
}

export function errorBody(
  code: ErrorCode,
  message: string = ERROR_CATALOGUE[code].message,
  details?: ErrorDetail[],
  extra: Record<string, unknown> = {},
): ErrorBody {
  return {
    error: {
      code,
      message,
      ...(details && details.length > 0 ? { details } : {}),
      ...extra,
    },
  };
}

/** Turns zod issues into the `details` of a VALIDATION_FAILED body: `items[0].quantity`. */
export function zodIssuesToDetails(issues: readonly z.core.$ZodIssue[]): ErrorDetail[] {
  return issues.map((issue) => ({
    path: formatPath(issue.path),
    message: issue.message,
  }));
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out === '' ? '(root)' : out;
}

export interface ErrorResponse {
  statusCode: number;
  body: ErrorBody;
}

/**
 * The one place errors become HTTP. Known errors keep their code and message; anything
 * else is INTERNAL with the catalogue's generic message, so no stack or internal
 * message ever reaches a client.
 */
export function toErrorResponse(error: unknown): ErrorResponse {
  if (error instanceof OrderflowError) {
    return { statusCode: error.status, body: error.toBody() };
  }
  return { statusCode: ERROR_CATALOGUE.INTERNAL.status, body: errorBody('INTERNAL') };
}

/** Builds a catalogue body from a code found in data (e.g. a workflow output). */
export function errorResponseFor(code: unknown, message?: string, extra?: Record<string, unknown>): ErrorResponse {
  const known: ErrorCode = isErrorCode(code) ? code : 'INTERNAL';
  return {
    statusCode: ERROR_CATALOGUE[known].status,
    body: errorBody(known, known === 'INTERNAL' ? undefined : message, undefined, extra),
  };
}
