import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LocalUserPool } from '../cognito/local-user-pool';
import { TokenRejectedError } from '../cognito/local-user-pool';
import { type InProcessFunction, invokeFunction } from '../lambda/invoke-function';
import { BodyValidators, mediaType } from './body-validator';
import { type ApiFromTemplate, type ApiRoute, gatewayResponseHeaders, renderGatewayResponse, responseHeaders } from './rest-api-from-template';
import { renderMappingTemplate } from './vtl';
import { buildProxyEvent, headerPairs, type HttpAnswer, type IncomingRequest, proxyResultToAnswer } from './proxy-event';
import { findRoute } from './routes';

/**
 * A REST API of a synthesized template, served on one machine as API Gateway serves it: route
 * selection, the Cognito authorizer, request validation with the template's models, Lambda
 * proxy integrations with REST proxy events, MOCK integrations rendered from their VTL, the
 * template's gateway responses, the payload and integration time limits, folded headers.
 * What a StartSyncExecution integration does (its mapping templates, the state machine) the
 * host passes in (`startSyncExecution`), as it knows them.
 */

/** API Gateway's integration timeout (REST APIs, default). */
export const INTEGRATION_TIMEOUT_MS = 29_000;
/** API Gateway's payload limit. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** A StartSyncExecution route's request, once authorized and validated: what the host maps to an execution. */
export interface SyncExecutionCall {
  route: ApiRoute;
  /** The JSON body (validated by the route's model when it has one). */
  body: unknown;
  /** Request headers, a repeated one folded into one comma-joined value. */
  headers: Record<string, string>;
  requestId: string;
  /** The Cognito authorizer's claims as API Gateway hands them on (strings), when the route has one. */
  claims: Record<string, string> | undefined;
}

/** The execution the host started: its name, and the HTTP answer once its response mapping ran. */
export interface SyncExecutionStarted {
  executionName: string;
  answer: Promise<{ statusCode: number; headers: Record<string, string>; body: string }>;
}

/** What the API logs of each request (the host adds what it knows: `annotate`). */
export interface RestApiRequestLog {
  method: string;
  path: string;
  status: number;
  durationMs: number;
  requestId: string;
  execution?: string | undefined;
  [field: string]: unknown;
}

export interface RestApiLog {
  request(entry: RestApiRequestLog): void;
  info(message: string, fields?: Record<string, unknown>): void;
  error(message: string): void;
}

export interface LocalRestApiOptions {
  api: ApiFromTemplate;
  /** The template's functions by logical id, loaded in this process. */
  functions: ReadonlyMap<string, InProcessFunction>;
  /** Runs a StartSyncExecution integration (the host's mapping and state machine). */
  startSyncExecution?: (call: SyncExecutionCall) => SyncExecutionStarted;
  log: RestApiLog;
  /** Fields the host adds to a request's log line (an id it finds in the answer or the path). */
  annotate?: (request: IncomingRequest, answer: HttpAnswer) => Record<string, unknown>;
  /** A header naming the execution a StartSyncExecution route started (none by default). */
  executionHeader?: string;
  region: string;
  accountId: string;
  /** Paths the host serves itself beside the API (pages, documents): true when it answered. */
  hostRoutes?: (request: IncomingRequest, res: ServerResponse) => Promise<boolean>;
  integrationTimeoutMs?: number;
  /** The template's Cognito user pools by logical id: what the Cognito authorizers check tokens against. */
  userPools?: ReadonlyMap<string, LocalUserPool>;
}

/** A request as the routes see it: the Lambda proxy event's `authorizer` and the headers (repeated ones joined). */
interface RouteContext {
  /** The Cognito authorizer's claims, every value a string (undefined: no authorizer on the route). */
  claims: Record<string, string> | undefined;
  headers: Record<string, string>;
}

interface Outcome extends HttpAnswer {
  execution?: string | undefined;
}

const JSON_TYPE: [string, string] = ['Content-Type', 'application/json'];

export class LocalRestApi {
  private readonly validators = new BodyValidators();
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly options: LocalRestApiOptions) {}

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
    // What the host serves itself beside the API (its own pages) is tried first.
    if (this.options.hostRoutes && (await this.options.hostRoutes(request, res))) return;
    let outcome: Outcome;
    if (body === 'too-large') outcome = this.gatewayResponse('REQUEST_TOO_LARGE', 'Request Too Long', joinedHeaders(request.rawHeaders));
    else outcome = await this.route(request);
    const headers: [string, string][] = [...outcome.headers, ['x-amzn-RequestId', requestId]];
    if (outcome.execution && this.options.executionHeader) headers.push([this.options.executionHeader, outcome.execution]);
    // Logged before the answer leaves, so a client that got it finds the line.
    this.options.log.request({
      method: request.method,
      path: request.path,
      status: outcome.statusCode,
      durationMs: performance.now() - started,
      requestId,
      execution: outcome.execution,
      ...this.options.annotate?.(request, outcome),
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
      this.options.log.error(`${fn.name} failed: ${invocation.error?.errorType}: ${invocation.error?.errorMessage}`);
      return this.gatewayResponse('DEFAULT_5XX', 'Internal server error', context.headers);
    }
    const answer = proxyResultToAnswer(invocation.result);
    if (answer === 'malformed') {
      this.options.log.error(`${fn.name} returned a malformed Lambda proxy response`);
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
    const start = this.options.startSyncExecution;
    if (!start) return this.gatewayResponse('DEFAULT_5XX', 'Internal server error', context.headers);
    const { executionName, answer } = start({ route, body, headers: context.headers, requestId: request.requestId, claims: context.claims });
    const result = await withTimeout(answer, this.options.integrationTimeoutMs ?? INTEGRATION_TIMEOUT_MS);
    if (result === 'timeout') {
      // The execution goes on (as in AWS); the client gets API Gateway's timeout.
      return { ...this.gatewayResponse('INTEGRATION_TIMEOUT', 'Endpoint request timed out', context.headers), execution: executionName };
    }
    return { statusCode: result.statusCode, headers: Object.entries(result.headers), body: Buffer.from(result.body, 'utf8'), execution: executionName };
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

/** A header's value whatever its case. */
export function headerValue(headers: Record<string, string>, name: string): string | undefined {
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
