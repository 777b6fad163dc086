import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type LocalUserPool, renderMappingTemplate, TokenRejectedError } from '@orderflow/local-aws';
import { buildCheckoutWorkflowInput, checkoutExecutionName, mapCheckoutExecutionResult } from '@orderflow/order-workflow';
import { invokeFunction } from '@orderflow/local-aws';
import type { LocalFunction } from '../lambda/local-functions';
import type { LocalLog } from '../log';
import { type ApiFromTemplate, type ApiRoute, gatewayResponseHeaders, renderGatewayResponse, responseHeaders } from '../template/api';
import type { LocalStateMachine } from '../workflow/checkout-workflow';
import { BodyValidators, mediaType } from './body-validator';
import { buildProxyEvent, headerPairs, type HttpAnswer, type IncomingRequest, proxyResultToAnswer } from './proxy-event';
import { findRoute } from './routes';

/**
 * The local API Gateway: the routes of the synthesized REST API, each answered as API
 * Gateway answers it — Lambda proxy integrations with REST proxy events, POST /orders
 * through StartSyncExecution with the same request and response mapping, request
 * validation with the template's models, and the template's gateway responses.
 */

/** API Gateway's integration timeout (REST APIs, default). */
export const INTEGRATION_TIMEOUT_MS = 29_000;
/** API Gateway's payload limit. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;
export const EXECUTION_HEADER = 'x-orderflow-execution';

export interface GatewayOptions {
  api: ApiFromTemplate;
  functions: Map<string, LocalFunction>;
  stateMachine: LocalStateMachine;
  log: LocalLog;
  region: string;
  accountId: string;
  /** Serves the stack's own routes, /_local/* and /openapi.json (true when it answered). */
  inspection?: (request: IncomingRequest, res: ServerResponse) => Promise<boolean>;
  integrationTimeoutMs?: number;
  /** The template's Cognito user pools by logical id: what the Cognito authorizers check tokens against. */
  userPools?: ReadonlyMap<string, LocalUserPool>;
  /** Storefront origins the stack allows (CORS on the checkout's answer, as its response template does). */
  allowedOrigins?: readonly string[];
}

/** A request as the routes see it: the Lambda proxy event's `authorizer` and the headers (repeated ones joined). */
interface RouteContext {
  /** The Cognito authorizer's claims, every value a string (undefined: no authorizer on the route). */
  claims: Record<string, string> | undefined;
  headers: Record<string, string>;
}

interface Outcome extends HttpAnswer {
  execution?: string | undefined;
  orderId?: string | undefined;
}

const JSON_TYPE: [string, string] = ['Content-Type', 'application/json'];

export class LocalGateway {
  private readonly validators = new BodyValidators();
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly options: GatewayOptions) {}

  /** The node:http request listener. */
  readonly listener = (req: IncomingMessage, res: ServerResponse): void => {
    const work = this.handle(req, res).catch((error: unknown) => {
      // Never a stack to the client: the gateway's own failure is a DEFAULT_5XX.
      this.options.log.error(`gateway failure: ${(error as Error).stack ?? String(error)}`);
      if (!res.headersSent) {
        const answer = this.gatewayResponse('DEFAULT_5XX', 'Internal server error');
        res.writeHead(answer.statusCode, Object.fromEntries(answer.headers));
        res.end(answer.body);
      } else res.destroy();
    });
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  };

  /** Waits for the requests being answered (shutdown). */
  async drain(timeoutMs: number): Promise<boolean> {
    const all = Promise.allSettled([...this.inFlight]).then(() => true);
    const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), timeoutMs).unref());
    return Promise.race([all, timeout]);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const requestId = randomUUID();
    const url = new URL(req.url ?? '/', 'http://localhost');
    const body = await readBody(req, MAX_BODY_BYTES);
    const request: IncomingRequest = {
      method: (req.method ?? 'GET').toUpperCase(),
      path: url.pathname,
      rawQuery: url.search.slice(1),
      rawHeaders: req.rawHeaders,
      body: body === 'too-large' ? Buffer.alloc(0) : body,
      sourceIp: req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
      requestId,
      receivedAt: new Date(),
    };
    if (request.path === '/_local' || request.path.startsWith('/_local/') || request.path === '/openapi.json') {
      if (this.options.inspection && (await this.options.inspection(request, res))) return;
    }
    let outcome: Outcome;
    if (body === 'too-large') outcome = this.gatewayResponse('REQUEST_TOO_LARGE', 'Request Too Long', joinedHeaders(request.rawHeaders));
    else outcome = await this.route(request);
    const headers: [string, string][] = [...outcome.headers, ['x-amzn-RequestId', requestId]];
    if (outcome.execution) headers.push([EXECUTION_HEADER, outcome.execution]);
    // Logged before the answer leaves, so a client that got it finds the line.
    this.options.log.request({
      method: request.method,
      path: request.path,
      status: outcome.statusCode,
      durationMs: performance.now() - started,
      requestId,
      orderId: outcome.orderId ?? orderIdInBody(outcome) ?? orderIdInPath(request.path),
      execution: outcome.execution,
      errorCode: errorCodeInBody(outcome),
    });
    res.writeHead(outcome.statusCode, headers.flat());
    res.end(outcome.body);
  }

  private async route(request: IncomingRequest): Promise<Outcome> {
    const headers = joinedHeaders(request.rawHeaders);
    const lookup = findRoute(this.options.api.routes, request.method, request.path);
    // API Gateway answers an unknown path or method alike (Missing Authentication Token).
    if (!lookup.found) return this.gatewayResponse('MISSING_AUTHENTICATION_TOKEN', 'Missing Authentication Token', headers);
    const { route, pathParameters } = lookup.found;
    // The authorizer runs before the request validator, as in API Gateway.
    let claims: Record<string, string> | undefined;
    if (route.authorization.type === 'COGNITO_USER_POOLS') {
      claims = await this.authorize(route.authorization, headers);
      if (!claims) return this.gatewayResponse('UNAUTHORIZED', 'Unauthorized', headers);
    }
    const context: RouteContext = { claims, headers };
    const contentType = headerPairs(request.rawHeaders).find(([name]) => name.toLowerCase() === 'content-type')?.[1];
    const media = mediaType(contentType);
    let validatedBody: unknown;
    const schema = route.bodyModels?.[media];
    if (schema) {
      const check = this.validators.check(schema, request.body.toString('utf8'));
      if (!check.ok) {
        this.options.log.info(`request body rejected by the validator: ${check.reasons.slice(0, 3).join('; ')}`, { request: request.requestId });
        return this.gatewayResponse('BAD_REQUEST_BODY', check.messageString, headers);
      }
      validatedBody = check.body;
    }
    if (route.integration.kind === 'start-sync-execution') return this.startSyncExecution(request, route, media, validatedBody, context);
    if (route.integration.kind === 'mock') return this.mock(request, route, media, context);
    return this.lambdaProxy(request, route, pathParameters, context);
  }

  /**
   * API Gateway's Cognito authorizer: the identity header holds an ID token (`Bearer ` or not)
   * that one of the authorizer's user pools signed, unexpired; its claims go on, every value a
   * string as API Gateway hands them. Undefined: 401.
   */
  private async authorize(authorization: Extract<ApiRoute['authorization'], { type: 'COGNITO_USER_POOLS' }>, headers: Record<string, string>): Promise<Record<string, string> | undefined> {
    const value = headerValue(headers, authorization.identityHeader);
    if (!value) return undefined;
    const token = value.replace(/^Bearer\s+/i, '').trim();
    for (const poolId of authorization.userPoolLogicalIds) {
      const pool = this.options.userPools?.get(poolId);
      if (!pool) continue;
      try {
        return stringClaims(await pool.verify(token));
      } catch (error) {
        if (!(error instanceof TokenRejectedError)) throw error;
        this.options.log.info(`token refused by the ${authorization.authorizerLogicalId} authorizer: ${error.message}`);
      }
    }
    return undefined;
  }

  /** A MOCK integration: the request template says the status; the integration response maps headers and body (VTL). */
  private mock(request: IncomingRequest, route: ApiRoute, media: string, context: RouteContext): Outcome {
    if (route.integration.kind !== 'mock') throw new Error('not a mock route');
    const template = route.integration.requestTemplates[media] ?? route.integration.requestTemplates['application/json'];
    if (template === undefined && route.integration.passthroughBehavior === 'NEVER') {
      return this.gatewayResponse('UNSUPPORTED_MEDIA_TYPE', 'Unsupported Media Type', context.headers);
    }
    const mapping = { body: request.body.toString('utf8'), headers: context.headers, context: { requestId: request.requestId, httpMethod: request.method } };
    const rendered = template === undefined ? mapping.body : renderMappingTemplate(template, mapping).output;
    let status = 200;
    try {
      status = Number((JSON.parse(rendered) as { statusCode?: unknown }).statusCode ?? 200);
    } catch {
      return this.gatewayResponse('DEFAULT_5XX', 'Internal server error', context.headers);
    }
    // For a MOCK, selection patterns match the status code; the one without a pattern is the default.
    const responses = route.integration.responses;
    const response =
      responses.find((r) => r.selectionPattern !== undefined && new RegExp(`^(?:${r.selectionPattern})$`).test(String(status))) ??
      responses.find((r) => r.selectionPattern === undefined || r.selectionPattern === '');
    if (!response) return this.gatewayResponse('DEFAULT_5XX', 'Internal server error', context.headers);
    const answer = response.template === undefined ? { output: '', status: undefined, headers: {} } : renderMappingTemplate(response.template, mapping);
    return {
      statusCode: answer.status ?? Number(response.statusCode),
      headers: [JSON_TYPE, ...responseHeaders(response.responseParameters, 'method.response.header.', context.headers), ...Object.entries(answer.headers)],
      body: Buffer.from(answer.output.trim(), 'utf8'),
    };
  }

  private async lambdaProxy(request: IncomingRequest, route: ApiRoute, pathParameters: Record<string, string> | null, context: RouteContext): Promise<Outcome> {
    if (route.integration.kind !== 'lambda-proxy') throw new Error('not a proxy route');
    const fn = this.options.functions.get(route.integration.functionLogicalId);
    if (!fn) return this.gatewayResponse('DEFAULT_5XX', 'Internal server error', context.headers);
    const event = buildProxyEvent(request, {
      resourcePath: route.resourcePath,
      pathParameters,
      stage: this.options.api.stageName,
      accountId: this.options.accountId,
      apiId: 'local',
      resourceId: route.methodLogicalId.slice(0, 6).toLowerCase(),
      host: 'localhost',
      ...(context.claims ? { authorizer: { claims: context.claims } } : {}),
    });
    const invocation = await withTimeout(
      invokeFunction(fn, event, { region: this.options.region, accountId: this.options.accountId }),
      this.options.integrationTimeoutMs ?? INTEGRATION_TIMEOUT_MS,
    );
    if (invocation === 'timeout') return this.gatewayResponse('INTEGRATION_TIMEOUT', 'Endpoint request timed out', context.headers);
    if (!invocation.ok) {
      this.options.log.error(`${fn.logicalId} failed: ${invocation.error?.errorType}: ${invocation.error?.errorMessage}`);
      return this.gatewayResponse('DEFAULT_5XX', 'Internal server error', context.headers);
    }
    const answer = proxyResultToAnswer(invocation.result);
    if (answer === 'malformed') {
      this.options.log.error(`${fn.logicalId} returned a malformed Lambda proxy response`);
      return this.gatewayResponse('DEFAULT_5XX', 'Internal server error', context.headers);
    }
    return answer;
  }

  private async startSyncExecution(request: IncomingRequest, route: ApiRoute, media: string, validated: unknown, context: RouteContext): Promise<Outcome> {
    if (route.integration.kind !== 'start-sync-execution') throw new Error('not a StartSyncExecution route');
    // PassthroughBehavior NEVER with a template for application/json only.
    if (media !== 'application/json' && route.integration.passthroughBehavior === 'NEVER') {
      return this.gatewayResponse('UNSUPPORTED_MEDIA_TYPE', 'Unsupported Media Type', context.headers);
    }
    let body = validated;
    if (body === undefined) {
      try {
        body = JSON.parse(request.body.toString('utf8') || '{}') as unknown;
      } catch {
        return this.gatewayResponse('BAD_REQUEST_BODY', 'Invalid request body', context.headers);
      }
    }
    const authorizedCustomerId = context.claims?.['sub'] ?? null;
    const input = buildCheckoutWorkflowInput({ body, headers: context.headers, requestId: request.requestId, authorizedCustomerId });
    const name = checkoutExecutionName(body, request.requestId, authorizedCustomerId);
    const execution = this.options.stateMachine.startSyncExecution(input, name);
    const result = await withTimeout(execution, this.options.integrationTimeoutMs ?? INTEGRATION_TIMEOUT_MS);
    if (result === 'timeout') {
      // The execution goes on (as in AWS); the client gets API Gateway's timeout.
      return { ...this.gatewayResponse('INTEGRATION_TIMEOUT', 'Endpoint request timed out', context.headers), execution: name };
    }
    const mapped = mapCheckoutExecutionResult(result, { origin: headerValue(context.headers, 'Origin'), allowedOrigins: this.options.allowedOrigins ?? [] });
    return {
      statusCode: mapped.statusCode,
      headers: Object.entries(mapped.headers),
      body: Buffer.from(mapped.body, 'utf8'),
      execution: name,
      orderId: result.record.orderId,
    };
  }

  private gatewayResponse(type: string, messageString: string, requestHeaders: Record<string, string> = {}): Outcome {
    const { statusCode, body } = renderGatewayResponse(this.options.api.gatewayResponses, type, messageString);
    const headers = gatewayResponseHeaders(this.options.api.gatewayResponses, type, requestHeaders);
    return { statusCode, headers: [JSON_TYPE, ['x-amzn-ErrorType', gatewayErrorType(type)], ...headers], body: Buffer.from(body, 'utf8') };
  }
}

/** Request headers by name; a repeated header's values joined with ", " (as HTTP folds them). */
function joinedHeaders(rawHeaders: string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  const seen = new Map<string, string>();
  for (const [name, value] of headerPairs(rawHeaders)) {
    const existing = seen.get(name.toLowerCase());
    if (existing === undefined) {
      seen.set(name.toLowerCase(), name);
      headers[name] = value;
    } else headers[existing] = `${headers[existing]}, ${value}`;
  }
  return headers;
}

function headerValue(headers: Record<string, string>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  return Object.entries(headers).find(([key]) => key.toLowerCase() === wanted)?.[1];
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * Claims as API Gateway's Cognito authorizer hands them on: every value a string — times as
 * `Tue Dec 02 05:50:00 UTC 2026`, lists as `[a b]`.
 */
function stringClaims(claims: Record<string, unknown>): Record<string, string> {
  const two = (n: number) => String(n).padStart(2, '0');
  const time = (seconds: number) => {
    const d = new Date(seconds * 1000);
    return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
  };
  return Object.fromEntries(
    Object.entries(claims).map(([name, value]) => [
      name,
      typeof value === 'number' && ['exp', 'iat', 'auth_time'].includes(name)
        ? time(value)
        : Array.isArray(value)
          ? `[${value.join(' ')}]`
          : typeof value === 'string'
            ? value
            : JSON.stringify(value),
    ]),
  );
}

function gatewayErrorType(type: string): string {
  switch (type) {
    case 'MISSING_AUTHENTICATION_TOKEN':
      return 'MissingAuthenticationTokenException';
    case 'BAD_REQUEST_BODY':
      return 'BadRequestException';
    case 'UNSUPPORTED_MEDIA_TYPE':
      return 'UnsupportedMediaTypeException';
    default:
      return 'InternalServerErrorException';
  }
}

async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([work, new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), ms)))]);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? 'too-large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function jsonBody(outcome: HttpAnswer): Record<string, unknown> | undefined {
  const type = outcome.headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1] ?? '';
  if (!type.includes('json') || outcome.body.length === 0 || outcome.body.length > 100_000) return undefined;
  try {
    const parsed = JSON.parse(outcome.body.toString('utf8')) as unknown;
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function orderIdInBody(outcome: HttpAnswer): string | undefined {
  const id = jsonBody(outcome)?.['orderId'];
  return typeof id === 'string' ? id : undefined;
}

function orderIdInPath(path: string): string | undefined {
  return /^\/orders\/(ord_[0-9A-Za-z]+)$/.exec(path)?.[1];
}

function errorCodeInBody(outcome: HttpAnswer): string | undefined {
  if (outcome.statusCode < 400) return undefined;
  const error = jsonBody(outcome)?.['error'] as { code?: unknown } | undefined;
  return typeof error?.code === 'string' ? error.code : undefined;
}
