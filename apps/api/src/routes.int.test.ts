import { DynamoDbCatalogRepository, putProducts } from '@orderflow/catalog';
import { type Order, OrderPageSchema, ProductPageSchema, ProductSchema } from '@orderflow/contracts';
import { createTestTable, type TestTable } from '@orderflow/dynamodb-local/test-table';
import { DynamoDbOrderRepository, saveOrder } from '@orderflow/orders';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as getOrder } from './handlers/get-order';
import { handler as getProduct } from './handlers/get-product';
import { handler as listCustomerOrders } from './handlers/list-customer-orders';
import { handler as listMyOrders } from './handlers/list-my-orders';
import { handler as listProducts } from './handlers/list-products';
import { handler as createPaypalOrder } from './handlers/create-paypal-order';
import { resetWiring } from './wiring';

/** The HTTP routes through DynamoDB Local, with API Gateway Lambda proxy events. */

let table: TestTable;

function event(overrides: Partial<APIGatewayProxyEvent> & { authorizer?: Record<string, unknown> }): APIGatewayProxyEvent {
  const { authorizer, ...rest } = overrides;
  return {
    httpMethod: 'GET',
    path: '/',
    headers: {},
    multiValueHeaders: {},
    pathParameters: null,
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    stageVariables: null,
    body: null,
    isBase64Encoded: false,
    resource: '/',
    requestContext: { requestId: crypto.randomUUID(), ...(authorizer ? { authorizer } : {}) } as APIGatewayProxyEvent['requestContext'],
    ...rest,
  };
}

const json = (result: APIGatewayProxyResult) => JSON.parse(result.body) as Record<string, unknown> & { error?: { code: string } };

const order = (customerId: string, n: number, createdAt: string): Order => ({
  orderId: `ord_${customerId.replace(/[^A-Za-z0-9]/g, '')}${String(n).padStart(10, '0')}`,
  customerId,
  status: 'CONFIRMED',
  items: [{ productId: 'mug', name: 'Mug', quantity: n, unitPrice: { amount: 1000, currency: 'USD' }, lineTotal: { amount: 1000 * n, currency: 'USD' } }],
  total: { amount: 1000 * n, currency: 'USD' },
  payment: { method: 'card', status: 'CAPTURED' },
  createdAt,
});

beforeAll(async () => {
  table = await createTestTable('routes');
  Object.assign(process.env, {
    TABLE_NAME: table.tableName,
    AWS_ENDPOINT_URL_DYNAMODB: table.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  });
  resetWiring();
  const catalog = new DynamoDbCatalogRepository(table.documentClient, table.tableName);
  await putProducts(
    catalog,
    Array.from({ length: 5 }, (_, i) => ({
      productId: `p-${i}`,
      name: `Product ${i}`,
      price: { amount: 100 * (i + 1), currency: 'USD' },
      stock: i,
    })),
  );
  const orders = new DynamoDbOrderRepository(table.documentClient, table.tableName);
  for (const [i, createdAt] of ['2025-01-01T10:00:00.000Z', '2025-01-03T10:00:00.000Z', '2025-01-02T10:00:00.000Z'].entries()) {
    await saveOrder(orders, order('cust-a', i + 1, createdAt));
  }
  await saveOrder(orders, order('cust-b', 9, '2025-01-04T10:00:00.000Z'));
});

afterAll(async () => {
  resetWiring();
  await table?.drop();
});

describe('GET /products and /products/{id}', () => {
  it('pages through the catalog with availability', async () => {
    const first = await listProducts(event({ queryStringParameters: { limit: '2' } }));
    expect(first.statusCode).toBe(200);
    const page = ProductPageSchema.parse(json(first));
    expect(page.items.map((p) => p.productId)).toEqual(['p-0', 'p-1']);
    expect(page.items[1]).toMatchObject({ price: { amount: 200, currency: 'USD' }, available: 1 });
    const rest = ProductPageSchema.parse(json(await listProducts(event({ queryStringParameters: { limit: '10', nextToken: page.nextToken ?? '' } }))));
    expect(rest.items.map((p) => p.productId)).toEqual(['p-2', 'p-3', 'p-4']);
    expect(rest.nextToken).toBeNull();
  });

  it('answers 400 for a bad page query', async () => {
    for (const query of [{ limit: '0' }, { limit: 'many' }, { nextToken: 'forged' }, { sort: 'name' }]) {
      const result = await listProducts(event({ queryStringParameters: query }));
      expect(result.statusCode, JSON.stringify(query)).toBe(400);
      expect(json(result).error?.code).toBe('VALIDATION_FAILED');
    }
  });

  it('returns one product, or 404 PRODUCT_NOT_FOUND', async () => {
    const found = await getProduct(event({ pathParameters: { productId: 'p-3' } }));
    expect(ProductSchema.parse(json(found))).toMatchObject({ productId: 'p-3', available: 3 });
    for (const id of ['nope', '../etc', 'x'.repeat(300), '100%', '%E0%A4%A']) {
      const missing = await getProduct(event({ pathParameters: { productId: id } }));
      expect(missing.statusCode).toBe(404);
      expect(json(missing)).toEqual({ error: { code: 'PRODUCT_NOT_FOUND', message: expect.any(String) } });
    }
  });
});

describe('GET /orders/{id}', () => {
  it('returns the order, or 404 ORDER_NOT_FOUND', async () => {
    const id = order('cust-a', 1, '').orderId;
    const found = await getOrder(event({ pathParameters: { orderId: id } }));
    expect(found.statusCode).toBe(200);
    expect(json(found)).toMatchObject({ orderId: id, customerId: 'cust-a' });
    const missing = await getOrder(event({ pathParameters: { orderId: 'ord_0000000000000000' } }));
    expect(missing.statusCode).toBe(404);
    expect(json(missing).error?.code).toBe('ORDER_NOT_FOUND');
    expect((await getOrder(event({ pathParameters: { orderId: 'not-an-id' } }))).statusCode).toBe(404);
    expect((await getOrder(event({ pathParameters: { orderId: 'ord_%zz' } }))).statusCode).toBe(404);
  });

  it('hides another customer’s order from an authenticated caller', async () => {
    const id = order('cust-a', 1, '').orderId;
    expect((await getOrder(event({ pathParameters: { orderId: id }, authorizer: { principalId: 'cust-a' } }))).statusCode).toBe(200);
    expect((await getOrder(event({ pathParameters: { orderId: id }, authorizer: { principalId: 'cust-b' } }))).statusCode).toBe(404);
  });
});

describe('GET /customers/{customerId}/orders', () => {
  it('lists newest first, paginated', async () => {
    const first = OrderPageSchema.parse(json(await listCustomerOrders(event({ pathParameters: { customerId: 'cust-a' }, queryStringParameters: { limit: '2' } }))));
    expect(first.items.map((o) => o.createdAt)).toEqual(['2025-01-03T10:00:00.000Z', '2025-01-02T10:00:00.000Z']);
    const second = OrderPageSchema.parse(
      json(await listCustomerOrders(event({ pathParameters: { customerId: 'cust-a' }, queryStringParameters: { nextToken: first.nextToken ?? '' } }))),
    );
    expect(second.items.map((o) => o.createdAt)).toEqual(['2025-01-01T10:00:00.000Z']);
    expect(second.nextToken).toBeNull();
    const none = OrderPageSchema.parse(json(await listCustomerOrders(event({ pathParameters: { customerId: 'cust-none' } }))));
    expect(none).toEqual({ items: [], nextToken: null });
  });

  it('refuses another customer’s list (403) and a bad query (400)', async () => {
    const foreign = await listCustomerOrders(event({ pathParameters: { customerId: 'cust-a' }, authorizer: { principalId: 'cust-b' } }));
    expect(foreign.statusCode).toBe(403);
    expect(json(foreign).error?.code).toBe('FORBIDDEN');
    const bad = await listCustomerOrders(event({ pathParameters: { customerId: 'cust-a' }, queryStringParameters: { limit: '1000' } }));
    expect(bad.statusCode).toBe(400);
  });
});

describe('POST /paypal/orders', () => {
  const post = (body: string | null, headers: Record<string, string> = { 'Content-Type': 'application/json' }) =>
    createPaypalOrder(event({ httpMethod: 'POST', body, headers }));

  it('refuses what is not a valid JSON cart before reaching PayPal', async () => {
    expect((await post('{oops')).statusCode).toBe(400);
    expect((await post('{"customerId":"c","items":[]}')).statusCode).toBe(400);
    expect((await post('customerId=c', { 'Content-Type': 'application/x-www-form-urlencoded' })).statusCode).toBe(415);
    const unknown = await post(JSON.stringify({ customerId: 'c', items: [{ productId: 'ghost', quantity: 1 }] }));
    // Pricing comes first: an unknown product is 422 whatever PayPal's state.
    expect(unknown.statusCode).toBe(422);
    expect(json(unknown).error?.code).toBe('UNKNOWN_PRODUCT');
  });

  it('never shows a stack or an internal message', async () => {
    const result = await post(JSON.stringify({ customerId: 'c', items: [{ productId: 'p-1', quantity: 1 }] }));
    // No payment settings in this process: the gateway cannot be built; the client sees INTERNAL only.
    expect(result.statusCode).toBe(500);
    expect(json(result)).toEqual({ error: { code: 'INTERNAL', message: expect.any(String) } });
    expect(result.body).not.toMatch(/at \/|\.ts:|STRIPE|PAYPAL/);
  });
});

describe('who may read what (the Cognito authorizer\'s claims)', () => {
  /** The Cognito authorizer's context: the ID token's claims, every value a string. */
  const cognito = (sub: string, groups?: string) => ({
    claims: { sub, token_use: 'id', aud: 'client', iss: 'https://cognito-idp.us-east-1.amazonaws.com/pool', ...(groups ? { 'cognito:groups': groups } : {}) },
  });
  const idOf = (customerId: string, n: number) => order(customerId, n, '').orderId;

  it('a customer reads its own order; another customer\'s is 404 (not revealed); an operator reads any', async () => {
    expect((await getOrder(event({ pathParameters: { orderId: idOf('cust-a', 1) }, authorizer: cognito('cust-a') }))).statusCode).toBe(200);
    const foreign = await getOrder(event({ pathParameters: { orderId: idOf('cust-a', 1) }, authorizer: cognito('cust-b') }));
    expect(foreign.statusCode).toBe(404);
    expect(json(foreign).error?.code).toBe('ORDER_NOT_FOUND');
    expect((await getOrder(event({ pathParameters: { orderId: idOf('cust-a', 1) }, authorizer: cognito('ops-1', '[operators]') }))).statusCode).toBe(200);
  });

  it("lists the caller's own orders at /me/orders, only theirs; 401 without a signed-in caller", async () => {
    const mine = OrderPageSchema.parse(json(await listMyOrders(event({ authorizer: cognito('cust-b'), queryStringParameters: { limit: '10' } }))));
    expect(mine.items.map((o) => o.customerId)).toEqual(['cust-b']);
    const a = OrderPageSchema.parse(json(await listMyOrders(event({ authorizer: cognito('cust-a') }))));
    expect(a.items.map((o) => o.customerId)).toEqual(['cust-a', 'cust-a', 'cust-a']);
    const anonymous = await listMyOrders(event({}));
    expect(anonymous.statusCode).toBe(401);
    expect(json(anonymous).error?.code).toBe('UNAUTHORIZED');
    // An authorizer context without a usable sub is refused, never read as "internal".
    expect((await listMyOrders(event({ authorizer: { claims: { sub: '' } } }))).statusCode).toBe(401);
  });

  it("lets an operator list any customer's orders; a customer only its own (403)", async () => {
    const byOperator = OrderPageSchema.parse(json(await listCustomerOrders(event({ pathParameters: { customerId: 'cust-a' }, authorizer: cognito('ops-1', 'operators') }))));
    expect(byOperator.items).toHaveLength(3);
    expect((await listCustomerOrders(event({ pathParameters: { customerId: 'cust-a' }, authorizer: cognito('cust-a') }))).statusCode).toBe(200);
    expect((await listCustomerOrders(event({ pathParameters: { customerId: 'cust-a' }, authorizer: cognito('cust-b') }))).statusCode).toBe(403);
  });

  it('answers an allowed storefront origin with CORS headers, errors included, and no other origin', async () => {
    process.env['ALLOWED_ORIGINS'] = 'https://shop.example.com';
    resetWiring();
    try {
      const allowed = await getOrder(event({ pathParameters: { orderId: 'ord_0000000000000000' }, headers: { Origin: 'https://shop.example.com' } }));
      expect(allowed.statusCode).toBe(404);
      expect(allowed.headers).toMatchObject({ 'Access-Control-Allow-Origin': 'https://shop.example.com', Vary: 'Origin', 'Access-Control-Expose-Headers': 'Location,Idempotent-Replayed' });
      const other = await listProducts(event({ headers: { Origin: 'https://evil.example.com' } }));
      expect(other.headers).not.toHaveProperty('Access-Control-Allow-Origin');
    } finally {
      delete process.env['ALLOWED_ORIGINS'];
      resetWiring();
    }
  });
});
