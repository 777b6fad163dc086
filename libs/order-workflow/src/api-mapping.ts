import {
  type CheckoutWorkflowInput,
  type CheckoutWorkflowOutput,
  CheckoutWorkflowOutputSchema,
  corsResponseHeaders,
  ERROR_CATALOGUE,
  type ErrorCode,
  errorBody,
} from '@orderflow/contracts';

/**
 * The HTTP edge of `POST /orders`, written once for both places it runs:
 *  - in AWS, API Gateway's mapping templates (VTL) around the StartSyncExecution integration;
 *  - on one machine, the TypeScript functions below, which apply the very same rules.
 * `api-mapping.test.ts` renders the VTL with a Velocity engine and checks both agree.
 */

/** Step Functions execution names: 1-80 characters of letters, digits, '-' and '_'. */
export const MAX_EXECUTION_NAME_LENGTH = 80;
/** API Gateway request ids are UUIDs (36 characters), so 43 are left for the customer id. */
export const EXECUTION_NAME_CUSTOMER_CHARS = MAX_EXECUTION_NAME_LENGTH - 1 - 36;

/** The state machine's ARN in the request template: CDK substitutes it when synthesizing. */
export const STATE_MACHINE_ARN_TOKEN = '@@STATE_MACHINE_ARN@@';

const catalogueBody = (code: ErrorCode) => JSON.stringify(errorBody(code));

/**
 * Request template of `POST /orders`: StartSyncExecution's request, with the
 * CheckoutWorkflowInput as `input`. The customer is the caller the Cognito authorizer vouched
 * for (its ID token's `sub`, as `authorizedCustomerId`); the workflow refuses a body naming
 * someone else. The execution name starts with the customer id (so executions are easy to find)
 * and ends with the request id (so it is unique). The body was validated by the request
 * validator before this runs, so a body customerId is plain.
 */
export const CHECKOUT_REQUEST_TEMPLATE = `## POST /orders -> StartSyncExecution (CheckoutWorkflowInput)
#set($principal = "$!context.authorizer.claims.sub")
#if($principal != "")
#set($customerId = $principal)
#else
#set($customerId = "$!input.path('$.customerId')")
#end
#if($customerId.length() > ${EXECUTION_NAME_CUSTOMER_CHARS})
#set($customerId = $customerId.substring(0, ${EXECUTION_NAME_CUSTOMER_CHARS}))
#end
#set($key = "$!input.params('Idempotency-Key')")
#if($key == "")
#set($key = "$!input.params('idempotency-key')")
#end
#set($body = $util.escapeJavaScript($input.json('$')).replaceAll("\\\\'", "'"))
#set($keyText = $util.escapeJavaScript($util.escapeJavaScript($key).replaceAll("\\\\'", "'")).replaceAll("\\\\'", "'"))
#set($principalText = $util.escapeJavaScript($util.escapeJavaScript($principal).replaceAll("\\\\'", "'")).replaceAll("\\\\'", "'"))
#if("$!context.xrayTraceId" != "")
#set($trace = "Root=$context.xrayTraceId")
#else
#set($trace = "$!input.params('X-Amzn-Trace-Id')")
#end
{
  "stateMachineArn": "${STATE_MACHINE_ARN_TOKEN}",
  "name": "\${customerId}-$context.requestId",
  "traceHeader": "$util.escapeJavaScript($trace).replaceAll("\\\\'", "'")",
  "input": "{\\"body\\":$body,\\"idempotencyKey\\":#if($key != "")\\"$keyText\\"#{else}null#end,\\"authorizedCustomerId\\":#if($principal != "")\\"$principalText\\"#{else}null#end,\\"requestId\\":\\"$context.requestId\\"}"
}`;

/** Marks the answer to a repeated request (same Idempotency-Key and body) as a replay, as Stripe's API does. */
export const IDEMPOTENT_REPLAYED_HEADER = 'Idempotent-Replayed';

/**
 * The workflow output's headers a client receives (method response headers of the API):
 * `Location` of a placed order, and `Idempotent-Replayed: true` on a replayed answer.
 */
export const CHECKOUT_RESPONSE_HEADERS = ['Location', IDEMPOTENT_REPLAYED_HEADER] as const;

/**
 * Response template of a StartSyncExecution answer (HTTP 200 whatever the execution's
 * outcome): SUCCEEDED -> the workflow's own {statusCode, headers, body}; TIMED_OUT -> 504
 * TIMEOUT; FAILED or ABORTED -> 500 INTERNAL. Only CHECKOUT_RESPONSE_HEADERS are copied
 * (`$util.parseJson` gives a Java Map: `get` reads names with a dash).
 */
export function checkoutResponseTemplate(allowedOrigins: readonly string[]): string {
  return `## StartSyncExecution result -> the catalogue's status and body
${corsVtl(allowedOrigins)}#set($result = $input.path('$'))
#if($result.status == "SUCCEEDED")
#set($output = $util.parseJson($result.output))
#set($context.responseOverride.status = $output.statusCode)
${CHECKOUT_RESPONSE_HEADERS.map(
  (name) => `#if("$!output.headers.get('${name}')" != "")
#set($context.responseOverride.header.${name} = $output.headers.get('${name}'))
#end`,
).join('\n')}
$!output.body
#elseif($result.status == "TIMED_OUT")
#set($context.responseOverride.status = ${ERROR_CATALOGUE.TIMEOUT.status})
${catalogueBody('TIMEOUT')}
#else
#set($context.responseOverride.status = ${ERROR_CATALOGUE.INTERNAL.status})
${catalogueBody('INTERNAL')}
#end`;
}

/** The response template of a stack that allows no storefront origin (CORS) — the default. */
export const CHECKOUT_RESPONSE_TEMPLATE = checkoutResponseTemplate([]);

/**
 * CORS in a response template: the request's Origin, when the stage allows it, is answered with
 * the headers `corsResponseHeaders` gives (the same rule as the Lambda routes). Nothing when the
 * stage allows no origin.
 */
function corsVtl(allowedOrigins: readonly string[]): string {
  if (allowedOrigins.length === 0) return '';
  const headers = corsResponseHeaders(allowedOrigins[0], allowedOrigins);
  return `#set($origin = "$!input.params('Origin')")
#if(${allowedOrigins.map((o) => `$origin == ${JSON.stringify(o)}`).join(' || ')})
${Object.entries(headers)
  .map(([name, value]) => `#set($context.responseOverride.header.${name} = ${name === 'Access-Control-Allow-Origin' ? '$origin' : JSON.stringify(value)})`)
  .join('\n')}
#end
`;
}

/** The CORS headers a checkout answer may carry (method response headers), when origins are allowed. */
export function checkoutCorsHeaders(allowedOrigins: readonly string[]): string[] {
  return allowedOrigins.length === 0 ? [] : Object.keys(corsResponseHeaders(allowedOrigins[0], allowedOrigins));
}

/** StartSyncExecution itself refused (throttled, invalid input...): never the workflow's fault to explain. */
export const CHECKOUT_INTEGRATION_ERROR_TEMPLATE = `#set($context.responseOverride.status = ${ERROR_CATALOGUE.INTERNAL.status})
${catalogueBody('INTERNAL')}`;

/** The status codes `POST /orders` can answer with (method responses of the API). */
export const CHECKOUT_STATUS_CODES = [
  201,
  ...new Set(
    (
      [
        'VALIDATION_FAILED',
        'UNSUPPORTED_MEDIA_TYPE',
        'FORBIDDEN',
        'PAYMENT_DECLINED',
        'OUT_OF_STOCK',
        'UNKNOWN_PRODUCT',
        'PAYMENT_PROVIDER_UNAVAILABLE',
        'TIMEOUT',
        'INTERNAL',
      ] as const
    ).map((code) => ERROR_CATALOGUE[code].status),
  ),
].sort((a, b) => a - b);

export interface HttpResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

export interface CheckoutRequest {
  /** The parsed JSON body. */
  body: unknown;
  /** Request headers (any case). */
  headers: Record<string, string | undefined>;
  requestId: string;
  /** The customer an authorizer vouched for, if any. */
  authorizedCustomerId?: string | null;
}

function header(headers: Record<string, string | undefined>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted && value !== undefined) return value;
  }
  return undefined;
}

/** What the request template builds: the workflow input. */
export function buildCheckoutWorkflowInput(request: CheckoutRequest): CheckoutWorkflowInput {
  const key = header(request.headers, 'Idempotency-Key');
  return {
    body: request.body,
    idempotencyKey: key !== undefined && key !== '' ? key : null,
    authorizedCustomerId: request.authorizedCustomerId ? request.authorizedCustomerId : null,
    requestId: request.requestId,
  };
}

/**
 * What the request template names the execution: `<customer, at most 43 chars>-<requestId>`,
 * the customer being the authorized caller, else the body's customerId.
 */
export function checkoutExecutionName(body: unknown, requestId: string, authorizedCustomerId?: string | null): string {
  const raw = authorizedCustomerId
    ? authorizedCustomerId
    : typeof body === 'object' && body !== null && typeof (body as { customerId?: unknown }).customerId === 'string'
      ? (body as { customerId: string }).customerId
      : '';
  // The API's validator guarantees a plain id; locally, be as strict as Step Functions is.
  const customer = raw.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, EXECUTION_NAME_CUSTOMER_CHARS);
  return `${customer}-${requestId}`.slice(0, MAX_EXECUTION_NAME_LENGTH);
}

export type SyncExecutionStatus = 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'PENDING_REDRIVE';

export interface SyncExecutionResult {
  status: SyncExecutionStatus | string;
  /** JSON text of the execution's output (SUCCEEDED only). */
  output?: string | undefined;
  error?: string | undefined;
  cause?: string | undefined;
}

const JSON_CONTENT = { 'Content-Type': 'application/json' };

/** The response template, in TypeScript: the answer a client gets for an execution's result (with CORS for an allowed origin). */
export function mapCheckoutExecutionResult(result: SyncExecutionResult, cors: { origin?: string | undefined; allowedOrigins: readonly string[] } = { allowedOrigins: [] }): HttpResponse {
  const answer = mapExecution(result);
  return { ...answer, headers: { ...answer.headers, ...corsResponseHeaders(cors.origin, cors.allowedOrigins) } };
}

function mapExecution(result: SyncExecutionResult): HttpResponse {
  if (result.status === 'SUCCEEDED') {
    const parsed = CheckoutWorkflowOutputSchema.safeParse(safeJson(result.output));
    if (parsed.success) return fromWorkflowOutput(parsed.data);
    return { statusCode: ERROR_CATALOGUE.INTERNAL.status, headers: JSON_CONTENT, body: catalogueBody('INTERNAL') };
  }
  if (result.status === 'TIMED_OUT') {
    return { statusCode: ERROR_CATALOGUE.TIMEOUT.status, headers: JSON_CONTENT, body: catalogueBody('TIMEOUT') };
  }
  return { statusCode: ERROR_CATALOGUE.INTERNAL.status, headers: JSON_CONTENT, body: catalogueBody('INTERNAL') };
}

function fromWorkflowOutput(output: CheckoutWorkflowOutput): HttpResponse {
  const copied = CHECKOUT_RESPONSE_HEADERS.flatMap((name) => {
    const value = output.headers[name];
    return value ? [[name, value] as const] : [];
  });
  return { statusCode: output.statusCode, headers: { ...JSON_CONTENT, ...Object.fromEntries(copied) }, body: output.body };
}

function safeJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Responses API Gateway generates itself (before any integration), in the catalogue's
 * format. Gateway response templates allow only simple substitution (no VTL), so the
 * request validator's explanation is carried by `$context.error.messageString`, which
 * API Gateway supplies already quoted.
 */
export const GATEWAY_RESPONSES = [
  { type: 'BAD_REQUEST_BODY', code: 'VALIDATION_FAILED', withDetails: true },
  { type: 'BAD_REQUEST_PARAMETERS', code: 'VALIDATION_FAILED', withDetails: true },
  { type: 'UNSUPPORTED_MEDIA_TYPE', code: 'UNSUPPORTED_MEDIA_TYPE', withDetails: false },
  { type: 'MISSING_AUTHENTICATION_TOKEN', code: 'ROUTE_NOT_FOUND', withDetails: false },
  { type: 'RESOURCE_NOT_FOUND', code: 'ROUTE_NOT_FOUND', withDetails: false },
  { type: 'UNAUTHORIZED', code: 'UNAUTHORIZED', withDetails: false },
  { type: 'ACCESS_DENIED', code: 'FORBIDDEN', withDetails: false },
  { type: 'INTEGRATION_TIMEOUT', code: 'TIMEOUT', withDetails: false },
  { type: 'REQUEST_TOO_LARGE', code: 'PAYLOAD_TOO_LARGE', withDetails: false },
  { type: 'THROTTLED', code: 'TOO_MANY_REQUESTS', withDetails: false },
  { type: 'QUOTA_EXCEEDED', code: 'TOO_MANY_REQUESTS', withDetails: false },
  { type: 'DEFAULT_4XX', code: 'BAD_REQUEST', withDetails: false },
  { type: 'DEFAULT_5XX', code: 'INTERNAL', withDetails: false },
] as const satisfies readonly { type: string; code: ErrorCode; withDetails: boolean }[];

export type GatewayResponseType = (typeof GATEWAY_RESPONSES)[number]['type'];

/** The gateway response template (simple substitution) of one response type. */
export function gatewayResponseTemplate(type: GatewayResponseType): string {
  const spec = GATEWAY_RESPONSES.find((r) => r.type === type);
  if (!spec) throw new Error(`no gateway response ${type}`);
  const { message } = ERROR_CATALOGUE[spec.code];
  const details = spec.withDetails ? `,"details":[{"path":"(root)","message":$context.error.messageString}]` : '';
  return `{"error":{"code":"${spec.code}","message":${JSON.stringify(message)}${details}}}`;
}

/** The status of one gateway response type. */
export function gatewayResponseStatus(type: GatewayResponseType): number {
  const spec = GATEWAY_RESPONSES.find((r) => r.type === type);
  if (!spec) throw new Error(`no gateway response ${type}`);
  return ERROR_CATALOGUE[spec.code].status;
}

/** A gateway response in TypeScript, with the message API Gateway would substitute. */
export function gatewayErrorResponse(type: GatewayResponseType, messageString = 'Invalid request body'): HttpResponse {
  return {
    statusCode: gatewayResponseStatus(type),
    headers: JSON_CONTENT,
    body: gatewayResponseTemplate(type).replace('$context.error.messageString', JSON.stringify(messageString)),
  };
}
