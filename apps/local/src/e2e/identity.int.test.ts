import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { decodeJwt, generateKeyPair, importJWK, type JWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StackProcess, startStackProcess } from '../stack-process';

/**
 * Identity and the HTTP edge through `npm start`, as a client sees them: tokens of the
 * development issuer, the Cognito authorizer's 401s, who may read what, the edge's own answers
 * (405 with Allow, 413, a duplicated Idempotency-Key, the per-line cap over several lines), and
 * every answer checked against the OpenAPI document the stack serves.
 */

interface Answer {
  status: number;
  headers: Headers;
  body: unknown;
}

type OpenApi = {
  paths: Record<string, Record<string, { responses: Record<string, { content?: { 'application/json': { schema: unknown } } }> }>>;
  components: { schemas: Record<string, unknown> };
};

const run = Date.now().toString(36);
const CARD = { method: 'card', paymentMethodId: 'pm_card_visa' };

describe('identity and the edge (npm start)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'orderflow-identity-'));
  let stack: StackProcess;
  let openApi: OpenApi;
  let ajv: Ajv2020;
  const a = `id-a-${run}`;
  const b = `id-b-${run}`;

  beforeAll(async () => {
    stack = await startStackProcess({ args: ['--data-dir', dataDir] });
    openApi = (await (await fetch(`${stack.url}/openapi.json`)).json()) as OpenApi;
    ajv = new Ajv2020({ strict: false, allErrors: true });
    ajv.addSchema({ $id: 'openapi', components: openApi.components }, 'openapi');
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const token = async (customerId: string, groups?: string[]) => {
    const res = await fetch(`${stack.url}/_local/auth/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ customerId, ...(groups ? { groups } : {}) }),
    });
    expect(res.status).toBe(200);
    const answer = (await res.json()) as { token: string; expiresIn: number };
    expect(answer.expiresIn).toBe(3600);
    return answer.token;
  };

  /** A request, its answer checked against the OpenAPI document for that route and status (when it describes one). */
  const call = async (method: string, path: string, options: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string>; route?: string } = {}): Promise<Answer> => {
    const res = await fetch(`${stack.url}${path}`, {
      method,
      headers: {
        ...(options.body !== undefined || options.raw !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}),
        ...options.headers,
      },
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : options.raw !== undefined ? { body: options.raw } : {}),
    });
    const text = await res.text();
    const body = text ? (JSON.parse(text) as unknown) : undefined;
    const described = options.route ? openApi.paths[options.route]?.[method.toLowerCase()]?.responses[String(res.status)] : undefined;
    if (options.route) {
      expect(described, `${method} ${options.route} ${res.status} is in the OpenAPI document`).toBeDefined();
      const schema = described?.content?.['application/json'].schema;
      if (schema) {
        // The document's own references, resolved against the document registered as `openapi`.
        const resolved = JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"openapi#/components/')) as object;
        const validate = ajv.compile(resolved);
        expect(validate(body), `${method} ${path} ${res.status}: ${JSON.stringify(validate.errors)}`).toBe(true);
      }
    }
    return { status: res.status, headers: res.headers, body };
  };

  it('serves a valid OpenAPI 3.1 document at /openapi.json', async () => {
    const result = await new Validator().validate(openApi as unknown as Parameters<Validator['validate']>[0]);
    expect(result.errors ?? []).toEqual([]);
    expect(Object.keys(openApi.paths)).toEqual(expect.arrayContaining(['/orders', '/me/orders', '/orders/{orderId}', '/customers/{customerId}/orders', '/paypal/orders', '/products']));
  });

  it('refuses every order route without a token with 401 UNAUTHORIZED; products stay public', async () => {
    const routes: [string, string, string][] = [
      ['POST', '/orders', '/orders'],
      ['GET', '/orders/ord_0000000000000000', '/orders/{orderId}'],
      ['GET', '/me/orders', '/me/orders'],
      ['GET', `/customers/${a}/orders`, '/customers/{customerId}/orders'],
      ['POST', '/paypal/orders', '/paypal/orders'],
    ];
    for (const [method, path, route] of routes) {
      const answer = await call(method, path, { ...(method === 'POST' ? { body: { items: [] } } : {}), route });
      expect(answer.status, `${method} ${path}`).toBe(401);
      expect(answer.body).toEqual({ error: { code: 'UNAUTHORIZED', message: expect.any(String) } });
    }
    expect((await call('GET', '/products?limit=2', { route: '/products' })).status).toBe(200);
    expect((await call('GET', '/products/mug-classic', { route: '/products/{productId}' })).status).toBe(200);
  });

  it("lets a customer place and read its own orders; another customer's order is 404, its list 403; an operator reads any", async () => {
    const tokenA = await token(a);
    const tokenB = await token(b);
    const operator = await token(`ops-${run}`, ['operators']);
    expect(decodeJwt(tokenA)).toMatchObject({ sub: a, token_use: 'id' });
    // No customerId in the body: the customer is the token's sub.
    const placed = await call('POST', '/orders', { token: tokenA, body: { items: [{ productId: 'mug-classic', quantity: 1 }], payment: CARD }, route: '/orders' });
    expect(placed.status).toBe(201);
    const orderId = (placed.body as { orderId: string; customerId: string }).orderId;
    expect((placed.body as { customerId: string }).customerId).toBe(a);
    // A body naming someone else than the caller: 403.
    const foreignBody = await call('POST', '/orders', { token: tokenB, body: { customerId: a, items: [{ productId: 'mug-classic', quantity: 1 }], payment: CARD }, route: '/orders' });
    expect(foreignBody.status).toBe(403);
    expect((foreignBody.body as { error: { code: string } }).error.code).toBe('FORBIDDEN');

    expect((await call('GET', `/orders/${orderId}`, { token: tokenA, route: '/orders/{orderId}' })).status).toBe(200);
    const hidden = await call('GET', `/orders/${orderId}`, { token: tokenB, route: '/orders/{orderId}' });
    expect(hidden.status).toBe(404);
    expect((hidden.body as { error: { code: string } }).error.code).toBe('ORDER_NOT_FOUND');
    expect((await call('GET', `/orders/${orderId}`, { token: operator, route: '/orders/{orderId}' })).status).toBe(200);

    const mine = await call('GET', '/me/orders', { token: tokenA, route: '/me/orders' });
    expect((mine.body as { items: { customerId: string }[] }).items.map((o) => o.customerId)).toEqual([a]);
    const theirs = await call('GET', '/me/orders', { token: tokenB, route: '/me/orders' });
    expect((theirs.body as { items: unknown[] }).items).toEqual([]);
    expect((await call('GET', `/customers/${a}/orders`, { token: tokenB, route: '/customers/{customerId}/orders' })).status).toBe(403);
    const byOperator = await call('GET', `/customers/${a}/orders`, { token: operator, route: '/customers/{customerId}/orders' });
    expect((byOperator.body as { items: { orderId: string }[] }).items.map((o) => o.orderId)).toEqual([orderId]);
  });

  it('refuses a token signed by another key, an expired one, one with alg none, and garbage (401)', async () => {
    const valid = decodeJwt(await token(a));
    const [keyFile] = readdirSync(join(dataDir, 'identity'));
    const stored = JSON.parse(readFileSync(join(dataDir, 'identity', keyFile ?? ''), 'utf8')) as { kid: string; privateJwk: JWK };
    const rightKey = await importJWK(stored.privateJwk, 'RS256');
    const sign = (key: Parameters<SignJWT['sign']>[0], claims: Record<string, unknown>) =>
      new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: stored.kid }).sign(key);
    const now = Math.floor(Date.now() / 1000);
    const expired = await sign(rightKey, { ...valid, iat: now - 7200, exp: now - 3600 });
    const otherKey = await sign((await generateKeyPair('RS256')).privateKey, valid);
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const none = `${encode({ alg: 'none', typ: 'JWT' })}.${encode(valid)}.`;
    // The right key still signs a valid token: the refusals are for what is wrong, not for the signer.
    expect((await call('GET', '/me/orders', { token: await sign(rightKey, { ...valid, iat: now, exp: now + 600 }) })).status).toBe(200);
    for (const [what, bad] of [['expired', expired], ['another key', otherKey], ['alg none', none], ['garbage', 'not-a-jwt']] as const) {
      const answer = await call('GET', '/me/orders', { token: bad, route: '/me/orders' });
      expect(answer.status, what).toBe(401);
      expect((answer.body as { error: { code: string } }).error.code).toBe('UNAUTHORIZED');
    }
  });

  it('answers from the catalogue at the edge: 405 with Allow, a duplicated Idempotency-Key, the cap over lines, 413', async () => {
    const tokenA = await token(a);
    const put = await call('PUT', '/orders', { token: tokenA });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('POST');
    expect(put.body).toEqual({ error: { code: 'METHOD_NOT_ALLOWED', message: expect.any(String) } });
    const head = await fetch(`${stack.url}/products`, { method: 'HEAD' });
    expect(head.status).toBe(405);
    expect(head.headers.get('allow')).toBe('GET');
    const unknown = await call('GET', '/nowhere');
    expect(unknown.status).toBe(404);
    expect((unknown.body as { error: { code: string } }).error.code).toBe('ROUTE_NOT_FOUND');

    const headers = new Headers({ 'Content-Type': 'application/json', Authorization: `Bearer ${tokenA}` });
    headers.append('Idempotency-Key', 'first-key');
    headers.append('Idempotency-Key', 'second-key');
    const twice = await fetch(`${stack.url}/orders`, { method: 'POST', headers, body: JSON.stringify({ items: [{ productId: 'mug-classic', quantity: 1 }], payment: CARD }) });
    expect(twice.status).toBe(400);
    expect(((await twice.json()) as { error: { code: string; details: { path: string }[] } }).error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: 'Idempotency-Key' }] });
    const control = await call('POST', '/orders', { token: tokenA, headers: { 'Idempotency-Key': 'x'.repeat(256) }, body: { items: [{ productId: 'mug-classic', quantity: 1 }], payment: CARD }, route: '/orders' });
    expect(control.status).toBe(400);

    const before = ((await call('GET', '/products/mug-classic')).body as { available: number }).available;
    const capped = await call('POST', '/orders', { token: tokenA, body: { items: Array.from({ length: 50 }, () => ({ productId: 'mug-classic', quantity: 100 })), payment: CARD }, route: '/orders' });
    expect(capped.status).toBe(400);
    expect((capped.body as { error: { details: { path: string; message: string }[] } }).error.details).toContainEqual({ path: 'items', message: 'at most 100 of mug-classic in all' });
    expect(((await call('GET', '/products/mug-classic')).body as { available: number }).available).toBe(before);

    const huge = await call('POST', '/orders', { token: tokenA, raw: 'x'.repeat(10 * 1024 * 1024 + 1), route: '/orders' });
    expect(huge.status).toBe(413);
    expect(huge.body).toEqual({ error: { code: 'PAYLOAD_TOO_LARGE', message: expect.any(String) } });
  });
});
