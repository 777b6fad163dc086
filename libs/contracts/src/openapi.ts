import { z } from 'zod';
import { API_ROUTES, type ApiRouteSpec, routeErrors } from './api-routes';
import { ERROR_CATALOGUE, type ErrorCode } from './error-catalogue';
import { ErrorBodySchema, IdempotencyKeySchema } from './http';

/**
 * The OpenAPI 3.1 description of the API, generated from the route table and the zod schemas
 * (JSON Schema 2020-12, OpenAPI 3.1's dialect) — one source for the types, the API Gateway
 * models and this. `npm run synth` writes it beside the template; `npm start` serves it at
 * `GET /openapi.json`.
 */

export interface OpenApiOptions {
  /** The API's base URL (a server entry); none: relative. */
  serverUrl?: string;
  /** The Cognito user pool's issuer (https://cognito-idp.<region>.amazonaws.com/<pool id>), for the security scheme's description. */
  issuer?: string;
  version?: string;
}

type Json = Record<string, unknown>;

function schemaOf(schema: z.ZodType, io: 'input' | 'output'): Json {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Json;
  return json;
}

const errorName = (code: ErrorCode) =>
  code
    .toLowerCase()
    .split('_')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');

/** One component per schema an operation names, by a stable name. */
function componentName(route: ApiRouteSpec, part: 'Request' | 'Response' | 'Query'): string {
  return `${route.operationId.charAt(0).toUpperCase()}${route.operationId.slice(1)}${part}`;
}

function pathParameters(path: string): Json[] {
  return [...path.matchAll(/\{([^}]+)\}/g)].map(([, name]) => ({ name, in: 'path', required: true, schema: { type: 'string', minLength: 1 } }));
}

function queryParameters(route: ApiRouteSpec): Json[] {
  if (!route.query) return [];
  const schema = schemaOf(route.query, 'input') as { properties?: Record<string, Json>; required?: string[] };
  return Object.entries(schema.properties ?? {}).map(([name, property]) => ({
    name,
    in: 'query',
    required: (schema.required ?? []).includes(name),
    schema: property,
  }));
}

function errorResponses(route: ApiRouteSpec): Record<string, Json> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of routeErrors(route)) {
    const status = ERROR_CATALOGUE[code].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return Object.fromEntries(
    [...byStatus]
      .sort(([a], [b]) => a - b)
      .map(([status, codes]) => [
        String(status),
        {
          description: codes.map((code) => `${code}: ${ERROR_CATALOGUE[code].message}`).join(' / '),
          content: {
            'application/json': {
              schema: {
                allOf: [{ $ref: '#/components/schemas/ErrorBody' }],
                properties: { error: { properties: { code: { enum: codes } } } },
              },
              examples: Object.fromEntries(codes.map((code) => [errorName(code), { value: { error: { code, message: ERROR_CATALOGUE[code].message } } }])),
            },
          },
        },
      ]),
  );
}

export function openApiDocument(options: OpenApiOptions = {}): Json {
  const schemas: Record<string, Json> = { ErrorBody: schemaOf(ErrorBodySchema, 'output') };
  const paths: Record<string, Record<string, Json>> = {};
  for (const route of API_ROUTES as readonly ApiRouteSpec[]) {
    const responseName = componentName(route, 'Response');
    schemas[responseName] = schemaOf(route.success.schema, 'output');
    const operation: Json = {
      operationId: route.operationId,
      summary: route.summary,
      tags: [route.path.split('/')[1] ?? 'api'],
      security: route.access === 'customer' ? [{ cognito: [] }] : [],
      parameters: [
        ...pathParameters(route.path),
        ...queryParameters(route),
        ...(route.idempotencyKey
          ? [
              {
                name: 'Idempotency-Key',
                in: 'header',
                required: false,
                description:
                  "Makes a retry safe: the same key and body answer the first response (Idempotent-Replayed: true) and charge nothing again; keys are the caller's own.",
                schema: schemaOf(IdempotencyKeySchema, 'input'),
              },
            ]
          : []),
      ],
      responses: {
        [String(route.success.status)]: {
          description: route.success.description,
          ...(route.success.location || route.idempotencyKey
            ? {
                headers: {
                  ...(route.success.location ? { Location: { description: 'The placed order.', schema: { type: 'string' } } } : {}),
                  ...(route.idempotencyKey ? { 'Idempotent-Replayed': { description: 'true when this is the stored answer to a repeated request.', schema: { type: 'string', enum: ['true'] } } } : {}),
                },
              }
            : {}),
          content: { 'application/json': { schema: { $ref: `#/components/schemas/${responseName}` } } },
        },
        ...errorResponses(route),
      },
    };
    if (route.body) {
      const requestName = componentName(route, 'Request');
      schemas[requestName] = schemaOf(route.body, 'input');
      operation['requestBody'] = { required: true, content: { 'application/json': { schema: { $ref: `#/components/schemas/${requestName}` } } } };
    }
    (paths[route.path] ??= {})[route.method.toLowerCase()] = operation;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'orderflow',
      version: options.version ?? '1.0.0',
      description:
        'Orders for a storefront: browse products, check out a cart (stock reserved, payment taken, order placed in one synchronous call), read your orders. Every error body is `{"error": {"code", "message", ...}}` with a code from the catalogue.',
    },
    ...(options.serverUrl ? { servers: [{ url: options.serverUrl }] } : {}),
    paths,
    components: {
      schemas,
      securitySchemes: {
        cognito: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: `An ID token of the orderflow user pool${options.issuer ? ` (${options.issuer})` : ''}; locally, one from POST /_local/auth/token. The customer is its \`sub\`; the group \`operators\` reads any order.`,
        },
      },
    },
  };
}
