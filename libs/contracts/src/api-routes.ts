import type { z } from 'zod';
import type { ErrorCode } from './error-catalogue';
import {
  CheckoutRequestSchema,
  CreatePaypalOrderRequestSchema,
  CreatePaypalOrderResponseSchema,
  OrderPageSchema,
  OrderSchema,
  PageQuerySchema,
  ProductPageSchema,
  ProductSchema,
} from './http';

/**
 * The routes of the API, once: what each takes and answers, and who may call it. The OpenAPI
 * document is generated from this table (`openApiDocument`); the CDK stack builds the REST API's
 * methods and authorizers from it, and a test holds the synthesized template and the document to
 * the same set of routes.
 */

export type ApiAccess =
  /** Anyone. */
  | 'public'
  /** A signed-in customer (Cognito ID token); operators too. */
  | 'customer';

export interface ApiRouteSpec {
  method: 'GET' | 'POST';
  /** The resource path as API Gateway writes it (`{param}`). */
  path: string;
  operationId: string;
  summary: string;
  access: ApiAccess;
  /** A JSON request body. */
  body?: z.ZodType;
  /** Takes an Idempotency-Key header. */
  idempotencyKey?: boolean;
  /** Query parameters. */
  query?: z.ZodObject;
  /** The success status and body. */
  success: { status: number; description: string; schema: z.ZodType; location?: boolean };
  /** The catalogue's errors this route can answer, besides those of every route (INTERNAL...). */
  errors: readonly ErrorCode[];
}

/** Errors any route may answer (the edge's own and the unexpected). */
export const ERRORS_OF_EVERY_ROUTE = ['BAD_REQUEST', 'REQUEST_HEADERS_TOO_LARGE', 'TOO_MANY_REQUESTS', 'INTERNAL'] as const satisfies readonly ErrorCode[];
/** Errors of a route that needs a signed-in customer. */
export const ERRORS_OF_AUTHENTICATED_ROUTES = ['UNAUTHORIZED'] as const satisfies readonly ErrorCode[];
/** Errors of a route that takes a JSON body. */
export const ERRORS_OF_BODY_ROUTES = ['VALIDATION_FAILED', 'UNSUPPORTED_MEDIA_TYPE', 'PAYLOAD_TOO_LARGE'] as const satisfies readonly ErrorCode[];

export const API_ROUTES = [
  {
    method: 'POST',
    path: '/orders',
    operationId: 'placeOrder',
    summary: 'Check out a cart: reserve stock, take payment, place the order (synchronous).',
    access: 'customer',
    body: CheckoutRequestSchema,
    idempotencyKey: true,
    success: { status: 201, description: 'The order was placed; Location names it.', schema: OrderSchema, location: true },
    errors: ['FORBIDDEN', 'UNKNOWN_PRODUCT', 'OUT_OF_STOCK', 'PAYMENT_DECLINED', 'IDEMPOTENCY_KEY_REUSED', 'IDEMPOTENCY_IN_PROGRESS', 'PAYMENT_PROVIDER_UNAVAILABLE', 'TIMEOUT'],
  },
  {
    method: 'GET',
    path: '/orders/{orderId}',
    operationId: 'getOrder',
    summary: "One order: the caller's own (any for operators).",
    access: 'customer',
    success: { status: 200, description: 'The order.', schema: OrderSchema },
    errors: ['ORDER_NOT_FOUND'],
  },
  {
    method: 'GET',
    path: '/me/orders',
    operationId: 'listMyOrders',
    summary: "The caller's orders, newest first, a page at a time.",
    access: 'customer',
    query: PageQuerySchema,
    success: { status: 200, description: 'A page of orders; pass nextToken back for the next.', schema: OrderPageSchema },
    errors: ['VALIDATION_FAILED'],
  },
  {
    method: 'GET',
    path: '/customers/{customerId}/orders',
    operationId: 'listCustomerOrders',
    summary: "A customer's orders, newest first (operators, or the customer itself).",
    access: 'customer',
    query: PageQuerySchema,
    success: { status: 200, description: 'A page of orders.', schema: OrderPageSchema },
    errors: ['VALIDATION_FAILED', 'FORBIDDEN'],
  },
  {
    method: 'POST',
    path: '/paypal/orders',
    operationId: 'createPaypalOrder',
    summary: 'A PayPal order for the cart total, for the buyer to approve before checking out with it.',
    access: 'customer',
    body: CreatePaypalOrderRequestSchema,
    idempotencyKey: true,
    success: { status: 201, description: 'The PayPal order, with the link the buyer approves it at.', schema: CreatePaypalOrderResponseSchema },
    errors: ['FORBIDDEN', 'UNKNOWN_PRODUCT', 'PAYMENT_PROVIDER_UNAVAILABLE'],
  },
  {
    method: 'GET',
    path: '/products',
    operationId: 'listProducts',
    summary: 'The catalog, a page at a time (public).',
    access: 'public',
    query: PageQuerySchema,
    success: { status: 200, description: 'A page of products.', schema: ProductPageSchema },
    errors: ['VALIDATION_FAILED'],
  },
  {
    method: 'GET',
    path: '/products/{productId}',
    operationId: 'getProduct',
    summary: 'One product with its price and availability (public).',
    access: 'public',
    success: { status: 200, description: 'The product.', schema: ProductSchema },
    errors: ['PRODUCT_NOT_FOUND'],
  },
] as const satisfies readonly ApiRouteSpec[];

export type ApiRoute = (typeof API_ROUTES)[number];

/** The route of a method and resource path, if the API has one. */
export function apiRoute(method: string, path: string): ApiRouteSpec | undefined {
  return (API_ROUTES as readonly ApiRouteSpec[]).find((r) => r.method === method && r.path === path);
}

/** The methods each resource path answers (what a 405's Allow header lists). */
export function allowedMethods(path: string): string[] {
  return (API_ROUTES as readonly ApiRouteSpec[]).filter((r) => r.path === path).map((r) => r.method);
}

/** Every error a route can answer, its own and the common ones. */
export function routeErrors(route: ApiRouteSpec): ErrorCode[] {
  return [
    ...new Set<ErrorCode>([
      ...route.errors,
      ...(route.access === 'customer' ? ERRORS_OF_AUTHENTICATED_ROUTES : []),
      ...(route.body ? ERRORS_OF_BODY_ROUTES : []),
      ...ERRORS_OF_EVERY_ROUTE,
    ]),
  ];
}
