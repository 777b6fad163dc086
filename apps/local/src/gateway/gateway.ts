import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { buildCheckoutWorkflowInput, checkoutExecutionName, mapCheckoutExecutionResult } from '@orderflow/order-workflow';
import { invokeFunction, type LocalFunction } from '../lambda/local-functions';
import type { LocalLog } from '../log';
import { type ApiFromTemplate, type ApiRoute, renderGatewayResponse } from '../template/api';
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
  /** Serves /_local/* (true when it answered). */
  inspection?: (request: IncomingRequest, res: ServerResponse) => Promise<boolean>;
  integrationTimeoutMs?: number;
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
    if (request.path === '/_local' || request.path.startsWith('/_local/')) {
      if (this.options.inspection && (await this.options.inspection(request, res))) return;
    }
    let outcome: Outcome;
    if (body === 'too-large') outcome = this.gatewayResponse('REQUEST_TOO_LARGE', 'Request Too Long');
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
    const lookup = findRoute(this.options.api.routes, request.method, request.path);
    // API Gateway answers an unknown path or method alike (Missing Authentication Token).
    if (!lookup.found) return this.gatewayResponse('MISSING_AUTHENTICATION_TOKEN', 'Missing Authentication Token');
    const { route, pathParameters } = lookup.found;
    const contentType = headerPairs(request.rawHeaders).find(([name]) => name.toLowerCase() === 'content-type')?.[1];
    const media = mediaType(contentType);
    let validatedBody: unknown;
    const schema = route.bodyModels?.[media];
    if (schema) {
      const check = this.validators.check(schema, request.body.toString('utf8'));
      if (!check.ok) {
        this.options.log.info(`request body rejected by the validator: ${check.reasons.slice(0, 3).join('; ')}`, { request: request.requestId });
        return this.gatewayResponse('BAD_REQUEST_BODY', check.messageString);
      }
      validatedBody = check.body;
    }
    if (route.integration.kind === 'start-sync-execution') return this.startSyncExecution(request, route, media, validatedBody);
    return this.lambdaProxy(request, route, pathParameters);
  }

  private async lambdaProxy(request: IncomingRequest, route: ApiRoute, pathParameters: Record<string, string> | null): Promise<Outcome> {
    if (route.integration.kind !== 'lambda-proxy') throw new Error('not a proxy route');
    const fn = this.options.functions.get(route.integration.functionLogicalId);
    if (!fn) return this.gatewayResponse('DEFAULT_5XX', 'Internal server error');
    const event = buildProxyEvent(request, {
      resourcePath: route.resourcePath,
      pathParameters,
      stage: this.options.api.stageName,
      accountId: this.options.accountId,
      apiId: 'local',
      resourceId: route.methodLogicalId.slice(0, 6).toLowerCase(),
      host: 'localhost',
    });
    const invocation = await withTimeout(
      invokeFunction(fn, event, { region: this.options.region, accountId: this.options.accountId }),
      this.options.integrationTimeoutMs ?? INTEGRATION_TIMEOUT_MS,
    );
    if (invocation === 'timeout') return this.gatewayResponse('INTEGRATION_TIMEOUT', 'Endpoint request timed out');
    if (!invocation.ok) {
      this.options.log.error(`${fn.logicalId} failed: ${invocation.error?.errorType}: ${invocation.error?.errorMessage}`);
      return this.gatewayResponse('DEFAULT_5XX', 'Internal server error');
    }
    const answer = proxyResultToAnswer(invocation.result);
    if (answer === 'malformed') {
      this.options.log.error(`${fn.logicalId} returned a malformed Lambda proxy response`);
      return this.gatewayResponse('DEFAULT_5XX', 'Internal server error');
    }
    return answer;
  }

  private async startSyncExecution(request: IncomingRequest, route: ApiRoute, media: string, validated: unknown): Promise<Outcome> {
    if (route.integration.kind !== 'start-sync-execution') throw new Error('not a StartSyncExecution route');
    // PassthroughBehavior NEVER with a template for application/json only.
    if (media !== 'application/json' && route.integration.passthroughBehavior === 'NEVER') {
      return this.gatewayResponse('UNSUPPORTED_MEDIA_TYPE', 'Unsupported Media Type');
    }
    let body = validated;
    if (body === undefined) {
      try {
        body = JSON.parse(request.body.toString('utf8') || '{}') as unknown;
      } catch {
        return this.gatewayResponse('BAD_REQUEST_BODY', 'Invalid request body');
      }
    }
    const headers = Object.fromEntries(headerPairs(request.rawHeaders));
    const input = buildCheckoutWorkflowInput({ body, headers, requestId: request.requestId });
    const name = checkoutExecutionName(body, request.requestId);
    const execution = this.options.stateMachine.startSyncExecution(input, name);
    const result = await withTimeout(execution, this.options.integrationTimeoutMs ?? INTEGRATION_TIMEOUT_MS);
    if (result === 'timeout') {
      // The execution goes on (as in AWS); the client gets API Gateway's timeout.
      return { ...this.gatewayResponse('INTEGRATION_TIMEOUT', 'Endpoint request timed out'), execution: name };
    }
    const mapped = mapCheckoutExecutionResult(result);
    return {
      statusCode: mapped.statusCode,
      headers: Object.entries(mapped.headers),
      body: Buffer.from(mapped.body, 'utf8'),
      execution: name,
      orderId: result.record.orderId,
    };
  }

  private gatewayResponse(type: string, messageString: string): Outcome {
    const { statusCode, body } = renderGatewayResponse(this.options.api.gatewayResponses, type, messageString);
    return { statusCode, headers: [JSON_TYPE, ['x-amzn-ErrorType', gatewayErrorType(type)]], body: Buffer.from(body, 'utf8') };
  }
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
