/** An error answer of Stripe's API; `store: false` for errors Stripe raises before executing (not kept under the idempotency key). */
export class StripeApiError {
  constructor(
    readonly status: number,
    readonly error: Record<string, unknown>,
    readonly store: boolean,
  ) {}
}

export function invalidRequest(message: string, extra: Record<string, unknown> = {}, status = 400, store = false): StripeApiError {
  return new StripeApiError(status, { type: 'invalid_request_error', message, ...extra }, store);
}

export function docUrl(code: string): string {
  return `https://docs.stripe.com/error-codes/${code.replace(/_/g, '-')}`;
}

export function resourceMissing(message: string, param: string, status = 400): StripeApiError {
  return invalidRequest(message, { code: 'resource_missing', param, doc_url: docUrl('resource_missing') }, status);
}
