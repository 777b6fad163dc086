import { corsResponseHeaders, OrderflowError, type Principal, principalFromClaims, toErrorResponse, ValidationError } from '@orderflow/contracts';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type { z } from 'zod';
import { logger, tracer, withInvocationLogger } from './observability';
import { allowedOrigins } from './wiring/environment';

/** The request's body is not JSON, or not sent as JSON. */
export class UnsupportedMediaTypeError extends OrderflowError {
  override name = 'UnsupportedMediaTypeError';
  constructor() {
    super('UNSUPPORTED_MEDIA_TYPE');
  }
}

export interface RouteResult {
  statusCode: number;
  body: unknown;
  headers?: Record<string, string>;
}

const JSON_HEADERS = { 'Content-Type': 'application/json' };

/**
 * Wraps an API Gateway Lambda proxy route: correlation ids from the request, the one
 * error -> HTTP mapping (`toErrorResponse`), and never a stack in a response.
 */
export function httpRoute(
  route: string,
  run: (event: APIGatewayProxyEvent) => Promise<RouteResult>,
): (event: APIGatewayProxyEvent, context?: Context) => Promise<APIGatewayProxyResult> {
  return (event, context) => {
    const requestId = event.requestContext?.requestId;
    // API Gateway sends `X-Amzn-Trace-Id` as written; header names are case-insensitive.
    const correlationId = header(event, 'X-Amzn-Trace-Id') ?? requestId;
    return withInvocationLogger({ route, requestId, correlationId }, context, async () => {
      tracer.putAnnotation('route', route);
      // A storefront page of an allowed origin may read the answer, error or not.
      const cors = corsResponseHeaders(header(event, 'Origin'), allowedOrigins());
      try {
        const result = await run(event);
        logger.info('request handled', { status: result.statusCode });
        return {
          statusCode: result.statusCode,
          headers: { ...JSON_HEADERS, ...cors, ...result.headers },
          body: JSON.stringify(result.body),
        };
      } catch (error) {
        const response = toErrorResponse(error);
        if (response.statusCode >= 500) logger.error('request failed', { error });
        else logger.info('request rejected', { status: response.statusCode, code: response.body.error.code });
        return { statusCode: response.statusCode, headers: { ...JSON_HEADERS, ...cors }, body: JSON.stringify(response.body) };
      }
    });
  };
}

export function ok(body: unknown, statusCode = 200, headers?: Record<string, string>): RouteResult {
  return { statusCode, body, ...(headers ? { headers } : {}) };
}

/** A path parameter the route defines (API Gateway always supplies it). */
export function pathParameter(event: APIGatewayProxyEvent, name: string): string {
  const value = event.pathParameters?.[name];
  if (value === undefined || value === null) throw new ValidationError(`Missing path parameter ${name}.`);
  try {
    return decodeURIComponent(value);
  } catch {
    // Not URL encoding ('%' alone, or already decoded): as given, so the lookup answers 404, never 500.
    return value;
  }
}

/** Parses the query string with a zod schema (ValidationError with details when it does not fit). */
export function parseQuery<S extends z.ZodType>(event: APIGatewayProxyEvent, schema: S): z.infer<S> {
  const parsed = schema.safeParse(event.queryStringParameters ?? {});
  if (!parsed.success) throw ValidationError.fromZod(parsed.error, 'The query string is not valid.');
  return parsed.data;
}

function header(event: APIGatewayProxyEvent, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted && value !== undefined) return value;
  }
  return undefined;
}

export { header as requestHeader };

/** Parses a JSON body with a zod schema: 415 for another media type, 400 for bad JSON or a bad shape. */
export function parseJsonBody<S extends z.ZodType>(event: APIGatewayProxyEvent, schema: S): z.infer<S> {
  const contentType = header(event, 'content-type');
  if (contentType !== undefined && !/^application\/json\b/i.test(contentType)) throw new UnsupportedMediaTypeError();
  const text = event.body === null || event.body === undefined ? '' : event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ValidationError('The request body is not valid JSON.', [{ path: '(root)', message: 'malformed JSON' }]);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw ValidationError.fromZod(parsed.error);
  return parsed.data;
}

/** The route needs a signed-in caller, and there is none (API Gateway's authorizer answers this first). */
export class UnauthorizedError extends OrderflowError {
  override name = 'UnauthorizedError';
  constructor() {
    super('UNAUTHORIZED');
  }
}

/**
 * Who calls: the customer an authorizer vouched for — the Cognito authorizer's ID token claims
 * (`sub`, `cognito:groups`, every value a string), an HTTP API JWT authorizer's claims, or a
 * Lambda authorizer's principalId. Undefined when the event comes with no authorizer at all: an
 * internal caller (a test, a tool) invoking the function directly, not through the API, which
 * puts an authorizer on every order route. An authorizer context without a usable customer is
 * refused (401).
 */
export function caller(event: APIGatewayProxyEvent): Principal | undefined {
  const authorizer = event.requestContext?.authorizer as
    | { principalId?: unknown; claims?: unknown; jwt?: { claims?: unknown } }
    | null
    | undefined;
  if (!authorizer || Object.keys(authorizer).length === 0) return undefined;
  const claims = authorizer.claims ?? authorizer.jwt?.claims;
  const principal =
    claims !== undefined
      ? principalFromClaims(claims)
      : typeof authorizer.principalId === 'string' && authorizer.principalId !== ''
        ? principalFromClaims({ sub: authorizer.principalId })
        : undefined;
  if (!principal) throw new UnauthorizedError();
  return principal;
}

/** The customer an authorizer vouched for, or undefined for an internal caller (see `caller`). */
export function authorizedCustomer(event: APIGatewayProxyEvent): string | undefined {
  return caller(event)?.customerId;
}

/** The signed-in caller a route cannot do without (`GET /me/orders`): 401 without one. */
export function signedInCaller(event: APIGatewayProxyEvent): Principal {
  const principal = caller(event);
  if (!principal) throw new UnauthorizedError();
  return principal;
}
