import { CheckoutRequestSchema, IdempotencyKeySchema } from '@orderflow/contracts';
import { LOAD_CATALOG_PATH, loadCatalogFile } from '@orderflow/seed';
import { describe, expect, it } from 'vitest';
import {
  CHECKOUT_MIX,
  checkoutBody,
  checkoutRequest,
  idempotencyKey,
  k6Thresholds,
  LOAD_PRODUCT_IDS,
  newRunId,
  orderIdFromCheckout,
  parseDuration,
  readRequest,
  SCENARIOS,
  scenarioByName,
  stagesDuration,
  stagesPeak,
} from './scenarios';

describe('checkout payloads', () => {
  it('are valid checkout requests (the zod schema of the API) of the load products', () => {
    const loadProducts = new Set(loadCatalogFile(LOAD_CATALOG_PATH).products.map((p) => p.productId));
    for (let n = 0; n < 2000; n++) {
      const body = JSON.parse(checkoutRequest('run1', n).body ?? '');
      const parsed = CheckoutRequestSchema.safeParse(body);
      expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
      for (const item of body.items) expect(loadProducts.has(item.productId), item.productId).toBe(true);
      // distinct products in a cart
      expect(new Set(body.items.map((i: { productId: string }) => i.productId)).size).toBe(body.items.length);
    }
  });

  it('name exactly the products of the load catalog', () => {
    expect(LOAD_PRODUCT_IDS).toEqual(loadCatalogFile(LOAD_CATALOG_PATH).products.map((p) => p.productId));
  });

  it('are the same for the same request number, and follow the mix', () => {
    expect(checkoutBody(123)).toEqual(checkoutBody(123));
    const n = 20_000;
    const lines = new Map<number, number>();
    const methods = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const body = checkoutBody(i);
      lines.set(body.items.length, (lines.get(body.items.length) ?? 0) + 1);
      methods.set(body.payment.method, (methods.get(body.payment.method) ?? 0) + 1);
    }
    for (const { lines: size, share } of CHECKOUT_MIX.lines) expect((lines.get(size) ?? 0) / n).toBeCloseTo(share, 1);
    for (const { payment, share } of CHECKOUT_MIX.payments) expect((methods.get(payment.method) ?? 0) / n).toBeCloseTo(share, 1);
  });

  it('carry a unique, valid Idempotency-Key per request and per run', () => {
    const runA = newRunId();
    const runB = newRunId();
    expect(runA).not.toBe(runB);
    const keys = new Set<string>();
    for (let n = 0; n < 10_000; n++) {
      for (const run of [runA, runB]) {
        const key = checkoutRequest(run, n).headers['Idempotency-Key'] as string;
        expect(IdempotencyKeySchema.safeParse(key).success).toBe(true);
        keys.add(key);
      }
    }
    expect(keys.size).toBe(20_000);
    expect(idempotencyKey(runA, 7)).toBe(checkoutRequest(runA, 7).headers['Idempotency-Key']);
  });

  it('expect 201 and post JSON', () => {
    const request = checkoutRequest('r', 0);
    expect(request).toMatchObject({ method: 'POST', path: '/orders', expectedStatus: 201 });
    expect(request.headers['Content-Type']).toBe('application/json');
  });

  it("go out as the customer of a credential: its token and its id in the body, spread over the credentials", () => {
    const credentials = [
      { customerId: 'cust-a', token: 'token-of-a-0123456789' },
      { customerId: 'cust-b', token: 'token-of-b-0123456789' },
      { customerId: 'cust-c', token: 'token-of-c-0123456789' },
    ];
    const seen = new Set<string>();
    for (let n = 0; n < 300; n++) {
      const request = checkoutRequest('r', n, credentials);
      const body = JSON.parse(request.body ?? '') as { customerId: string };
      const credential = credentials.find((c) => c.customerId === body.customerId);
      expect(credential, body.customerId).toBeDefined();
      expect(request.headers.Authorization).toBe(`Bearer ${credential?.token}`);
      seen.add(body.customerId);
    }
    expect(seen.size).toBe(3);
    expect(checkoutRequest('r', 1).headers.Authorization).toBeUndefined();
  });
});

describe('reads', () => {
  it('alternate the product list and the orders placed in setup', () => {
    const ids = ['ord_aaaaaaaaaaaaaaaa', 'ord_bbbbbbbbbbbbbbbb'];
    expect(readRequest(0, ids)).toMatchObject({ method: 'GET', path: '/products?limit=20', expectedStatus: 200 });
    expect(readRequest(1, ids).path).toBe('/orders/ord_aaaaaaaaaaaaaaaa');
    expect(readRequest(3, ids).path).toBe('/orders/ord_bbbbbbbbbbbbbbbb');
    expect(readRequest(5, ids).path).toBe('/orders/ord_aaaaaaaaaaaaaaaa');
    expect(readRequest(1, []).path).toBe('/products?limit=20');
  });

  it("read orders with their customer's token and products without one", () => {
    const reader = { customerId: 'cust-a', token: 'token-of-a-0123456789' };
    expect(readRequest(1, ['ord_aaaaaaaaaaaaaaaa'], reader).headers).toEqual({ Authorization: 'Bearer token-of-a-0123456789' });
    expect(readRequest(0, ['ord_aaaaaaaaaaaaaaaa'], reader).headers).toEqual({});
  });

  it('find the order id of a checkout answer', () => {
    expect(orderIdFromCheckout('{"orderId":"ord_1234567890"}', null)).toBe('ord_1234567890');
    expect(orderIdFromCheckout('not json', '/orders/ord_abcdefghij')).toBe('ord_abcdefghij');
    expect(orderIdFromCheckout(undefined, undefined)).toBeUndefined();
  });
});

describe('stages and thresholds', () => {
  it('sum to the length of the run, ramp 50 → 200 and back to 0', () => {
    for (const scenario of Object.values(SCENARIOS)) {
      const total = scenario.stages.reduce((sum, s) => sum + parseDuration(s.duration), 0);
      expect(stagesDuration(scenario.stages)).toBe(total);
      expect(total).toBe(50);
      expect(scenario.stages[0]?.target).toBe(50);
      expect(stagesPeak(scenario.stages)).toBe(200);
      expect(scenario.stages.at(-1)?.target).toBe(0);
    }
    // 50 → 200 over 30 s
    expect(SCENARIOS.checkout.stages[1]).toEqual({ duration: '30s', target: 200 });
  });

  it('parse k6 durations', () => {
    expect(parseDuration('30s')).toBe(30);
    expect(parseDuration('2m')).toBe(120);
    expect(parseDuration('1m30s')).toBe(90);
    expect(parseDuration('500ms')).toBe(0.5);
    expect(parseDuration('1h')).toBe(3600);
    for (const bad of ['', '30', 's', '3x', '10s ', 'abc10s']) expect(() => parseDuration(bad), bad).toThrow(/not a duration/);
  });

  it('become k6 thresholds on the scenario metrics', () => {
    expect(k6Thresholds(SCENARIOS.checkout)).toEqual({
      orderflow_req_failed: ['rate<0.01'],
      orderflow_req_duration: [`p(95)<${SCENARIOS.checkout.thresholds.p95Ms}`],
    });
  });

  it('name the scenarios', () => {
    expect(scenarioByName('reads')).toBe(SCENARIOS.reads);
    expect(() => scenarioByName('writes')).toThrow(/checkout or reads/);
  });
});
