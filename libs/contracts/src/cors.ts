/**
 * Which browsers' pages may call the API: the storefront origins a stage allows (its config).
 * The same rule answers the preflight (API Gateway), the Lambda routes, the checkout's response
 * template and the gateway's own errors.
 */

/** Request headers a storefront sends. */
export const CORS_ALLOWED_HEADERS = ['Authorization', 'Content-Type', 'Idempotency-Key'] as const;
/** Response headers a storefront may read. */
export const CORS_EXPOSED_HEADERS = ['Location', 'Idempotent-Replayed'] as const;
/** How long a browser may keep a preflight's answer (s). */
export const CORS_MAX_AGE_SECONDS = 600;

/** An origin as browsers send it: scheme://host[:port], no path. */
export function isOrigin(value: string): boolean {
  return /^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/.test(value);
}

/** The CORS headers of an answer to `origin` (none when it is not allowed). */
export function corsResponseHeaders(origin: string | undefined, allowedOrigins: readonly string[]): Record<string, string> {
  if (origin === undefined || !allowedOrigins.includes(origin)) return {};
  return {
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Expose-Headers': CORS_EXPOSED_HEADERS.join(','),
    Vary: 'Origin',
  };
}
