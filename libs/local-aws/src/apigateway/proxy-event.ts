import type { APIGatewayProxyEvent } from 'aws-lambda';

/**
 * API Gateway REST API Lambda proxy events and results: the event a proxy integration
 * sends (single- and multi-value headers and query strings, path parameters, the request
 * context), and the checks API Gateway applies to what the function returns.
 */

export interface IncomingRequest {
  method: string;
  /** The path as requested, without the query string. */
  path: string;
  rawQuery: string;
  /** Raw header pairs (name, value), as received. */
  rawHeaders: string[];
  body: Buffer;
  sourceIp: string;
  requestId: string;
  receivedAt: Date;
}

export interface ProxyEventOptions {
  resourcePath: string;
  pathParameters: Record<string, string> | null;
  stage: string;
  accountId: string;
  apiId: string;
  resourceId: string;
  host: string;
  /** What the method's authorizer handed on (a Cognito authorizer: `{claims}`). */
  authorizer?: Record<string, unknown>;
}

const TEXT_TYPES = /^(text\/|application\/(json|xml|x-www-form-urlencoded|javascript)|[^;]*\+json)/i;

function requestTime(date: Date): string {
  // 09/Apr/2015:12:34:56 +0000, as API Gateway writes it.
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(date.getUTCDate())}/${months[date.getUTCMonth()]}/${date.getUTCFullYear()}:${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} +0000`;
}

/** Single-value maps keep the last value of a repeated header or parameter, as API Gateway does. */
function toMaps(pairs: [string, string][]): {
  single: Record<string, string> | null;
  multi: Record<string, string[]> | null;
} {
  if (pairs.length === 0) return { single: null, multi: null };
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const [name, value] of pairs) {
    single[name] = value;
    (multi[name] ??= []).push(value);
  }
  return { single, multi };
}

export function headerPairs(rawHeaders: string[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) pairs.push([rawHeaders[i] as string, rawHeaders[i + 1] as string]);
  return pairs;
}

export function queryPairs(rawQuery: string): [string, string][] {
  if (rawQuery === '') return [];
  return [...new URLSearchParams(rawQuery).entries()];
}

export function buildProxyEvent(request: IncomingRequest, options: ProxyEventOptions): APIGatewayProxyEvent {
  const headers = toMaps(headerPairs(request.rawHeaders));
  const query = toMaps(queryPairs(request.rawQuery));
  const contentType = headerPairs(request.rawHeaders).find(([name]) => name.toLowerCase() === 'content-type')?.[1] ?? '';
  const hasBody = request.body.length > 0;
  const binary = hasBody && contentType !== '' && !TEXT_TYPES.test(contentType);
  const userAgent = headerPairs(request.rawHeaders).find(([name]) => name.toLowerCase() === 'user-agent')?.[1] ?? null;
  return {
    resource: options.resourcePath,
    path: request.path,
    httpMethod: request.method,
    headers: (headers.single ?? {}) as APIGatewayProxyEvent['headers'],
    multiValueHeaders: (headers.multi ?? {}) as APIGatewayProxyEvent['multiValueHeaders'],
    queryStringParameters: query.single,
    multiValueQueryStringParameters: query.multi,
    pathParameters: options.pathParameters,
    stageVariables: null,
    requestContext: {
      accountId: options.accountId,
      apiId: options.apiId,
      authorizer: (options.authorizer ?? null) as unknown as APIGatewayProxyEvent['requestContext']['authorizer'],
      domainName: options.host,
      domainPrefix: options.host.split('.')[0] ?? options.host,
      extendedRequestId: request.requestId.replaceAll('-', '').slice(0, 16),
      httpMethod: request.method,
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: request.sourceIp,
        user: null,
        userAgent,
        userArn: null,
      },
      path: `/${options.stage}${request.path}`,
      protocol: 'HTTP/1.1',
      requestId: request.requestId,
      requestTime: requestTime(request.receivedAt),
      requestTimeEpoch: request.receivedAt.getTime(),
      resourceId: options.resourceId,
      resourcePath: options.resourcePath,
      stage: options.stage,
    },
    body: hasBody ? (binary ? request.body.toString('base64') : request.body.toString('utf8')) : null,
    isBase64Encoded: binary,
  };
}

export interface HttpAnswer {
  statusCode: number;
  headers: [string, string][];
  body: Buffer;
}

/**
 * What API Gateway makes of a proxy function's result: a malformed one (no numeric
 * statusCode, non-string body, unknown fields) is a 502 "Malformed Lambda proxy response".
 */
export function proxyResultToAnswer(result: unknown): HttpAnswer | 'malformed' {
  if (result === null || typeof result !== 'object' || Array.isArray(result)) return 'malformed';
  const r = result as Record<string, unknown>;
  const allowed = new Set(['statusCode', 'headers', 'multiValueHeaders', 'body', 'isBase64Encoded', 'cookies']);
  if (Object.keys(r).some((key) => !allowed.has(key))) return 'malformed';
  const statusCode = typeof r['statusCode'] === 'string' ? Number(r['statusCode']) : r['statusCode'];
  if (typeof statusCode !== 'number' || !Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599) return 'malformed';
  if (r['body'] !== undefined && r['body'] !== null && typeof r['body'] !== 'string') return 'malformed';
  const headers: [string, string][] = [];
  const single = (r['headers'] ?? {}) as Record<string, unknown>;
  const multi = (r['multiValueHeaders'] ?? {}) as Record<string, unknown>;
  if (typeof single !== 'object' || typeof multi !== 'object') return 'malformed';
  for (const [name, value] of Object.entries(single)) {
    if (!(name.toLowerCase() in lowerKeys(multi))) headers.push([name, String(value)]);
  }
  for (const [name, values] of Object.entries(multi)) {
    if (!Array.isArray(values)) return 'malformed';
    for (const value of values) headers.push([name, String(value)]);
  }
  const text = (r['body'] as string | undefined | null) ?? '';
  const body = r['isBase64Encoded'] === true ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8');
  return { statusCode, headers, body };
}

function lowerKeys(object: Record<string, unknown>): Record<string, true> {
  return Object.fromEntries(Object.keys(object).map((k) => [k.toLowerCase(), true]));
}
