import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeStateMachineCommand, ListStateMachinesCommand, SFNClient, StartSyncExecutionCommand } from '@aws-sdk/client-sfn';
import { chromiumPath } from '@orderflow/testing';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processesInGroup, runStackToExit, type StackProcess, startStackProcess } from '../stack-process';

/**
 * Acceptance: the stack started as a user starts it (`npm start`, a child process, free
 * ports, its own data folder), driven over HTTP only: the service's routes, the sandboxes'
 * buyer approval, and the /_local inspection API.
 */

interface Answer {
  status: number;
  headers: Headers;
  body: unknown;
  text: string;
}

interface Order {
  orderId: string;
  customerId: string;
  status: string;
  total: { amount: number; currency: string };
  items: { productId: string; quantity: number }[];
  payment: { method: string; status: string };
}

interface ErrorAnswer {
  error: { code: string; message: string; details?: { path: string; message: string }[]; declineCode?: string };
}

interface Delivery {
  rule: string;
  function: string;
  status: string;
}

interface ReceivedEvent {
  detailType: string;
  event: { detail: { orderId: string } };
  deliveries: Delivery[];
}

const CARD = { method: 'card', paymentMethodId: 'pm_card_visa' };
const run = `${Date.now().toString(36)}`;
const customer = (name: string) => `e2e-${name}-${run}`;

describe('npm start (the one-machine stack)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'orderflow-local-e2e-'));
  let stack: StackProcess;
  let placedOrderId: string;

  /** An ID token of the stack's development issuer (the customer is its sub). */
  const tokens = new Map<string, string>();
  const tokenFor = async (customerId: string, operator = false): Promise<string> => {
    const cacheKey = `${customerId}${operator ? '+operators' : ''}`;
    const cached = tokens.get(cacheKey);
    if (cached) return cached;
    const res = await fetch(`${stack.url}/_local/auth/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ customerId, ...(operator ? { groups: ['operators'] } : {}) }),
    });
    const { token } = (await res.json()) as { token: string };
    tokens.set(cacheKey, token);
    return token;
  };
  /** The order routes need a token: a call that names none reads as an operator (who may read every order). */
  const PROTECTED = /^\/(orders|me|customers|paypal)(\/|$)/;
  const call = async (path: string, init: RequestInit & { json?: unknown } = {}): Promise<Answer> => {
    const { json, ...rest } = init;
    const given = (rest.headers ?? {}) as Record<string, string>;
    const needsToken = PROTECTED.test(path) && !Object.keys(given).some((name) => name.toLowerCase() === 'authorization');
    const res = await fetch(`${stack.url}${path}`, {
      ...rest,
      ...(json === undefined ? {} : { body: JSON.stringify(json) }),
      headers: {
        ...(json === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...(needsToken ? { Authorization: `Bearer ${await tokenFor('e2e-operator', true)}` } : {}),
        ...given,
      },
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON
    }
    return { status: res.status, headers: res.headers, body, text };
  };
  /** POST /orders as the customer the body names (its token's sub). */
  const checkout = async (body: unknown, headers: Record<string, string> = {}) => {
    const customerId = (body as { customerId?: string }).customerId ?? 'e2e-anonymous';
    return call('/orders', { method: 'POST', json: body, headers: { Authorization: `Bearer ${await tokenFor(customerId)}`, ...headers } });
  };
  const stockOf = async (productId: string) => ((await call(`/products/${productId}`)).body as { available: number }).available;
  const stocks = async (ids: string[]) => Object.fromEntries(await Promise.all(ids.map(async (id) => [id, await stockOf(id)])));
  const info = async () => (await call('/_local/info')).body as { sandboxes: { stripe: { url: string }; paypal: { url: string } } };
  const eventsFor = async (orderId: string) =>
    ((await call(`/_local/events?orderId=${orderId}`)).body as { events: ReceivedEvent[] }).events;
  /** Consumers run after the response (as with EventBridge): wait for them. */
  const settledEventsFor = async (orderId: string, expected: number) => {
    for (let i = 0; i < 100; i += 1) {
      const events = await eventsFor(orderId);
      const deliveries = events.flatMap((e) => e.deliveries);
      if (deliveries.length >= expected && deliveries.every((d) => d.status === 'delivered' || d.status === 'dead-lettered')) return events;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return eventsFor(orderId);
  };

  beforeAll(async () => {
    stack = await startStackProcess({ args: ['--data-dir', dataDir], timeoutMs: 150_000 });
  }, 180_000);
  afterAll(async () => {
    await stack?.stop('SIGKILL').catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows each startup step with its time, then the ready line with the port it took', () => {
    const lines = stack.stdout().split('\n');
    for (const step of ['load', 'java', 'port', 'sandboxes', 'synth', 'dynamodb', 'functions', 'table', 'seed', 'workflow', 'http', 'ready']) {
      expect(lines.some((l) => new RegExp(`^\\[ *\\d+\\.\\d\\ds *\\] ${step} `).test(l)), `step ${step}`).toBe(true);
    }
    expect(lines.find((l) => /^\[.*\] seed /.test(l))).toMatch(/seeded 21 products of catalog "default"/);
    expect(lines.find((l) => /^\[.*\] table /.test(l))).toMatch(/created from OrderTable/);
    expect(lines).toContain(`orderflow ready on http://localhost:${stack.port}`);
    expect(stack.port).toBeGreaterThan(0);
    expect(existsSync(join(dataDir, 'dynamodb'))).toBe(true);
  });

  it('lists products, reads one, and answers 404 for an unknown one', async () => {
    const page = await call('/products?limit=5');
    expect(page.status).toBe(200);
    const { items, nextToken } = page.body as { items: { productId: string; name: string; price: { amount: number; currency: string }; available: number }[]; nextToken: string | null };
    expect(items).toHaveLength(5);
    expect(typeof nextToken).toBe('string');
    expect(items[0]).toMatchObject({ productId: expect.any(String), name: expect.any(String), price: { amount: expect.any(Number), currency: 'USD' } });
    const next = await call(`/products?limit=5&nextToken=${encodeURIComponent(nextToken as string)}`);
    expect((next.body as { items: { productId: string }[] }).items[0]?.productId).not.toBe(items[0]?.productId);
    const one = await call('/products/mug-classic');
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ productId: 'mug-classic', price: { amount: 1299, currency: 'USD' } });
    const missing = await call('/products/no-such-thing');
    expect(missing.status).toBe(404);
    expect((missing.body as ErrorAnswer).error.code).toBe('PRODUCT_NOT_FOUND');
  });

  it('places an order paid by card: 201, Location, the execution name, stock taken', async () => {
    const before = await stockOf('mug-classic');
    const res = await checkout({ customerId: customer('card'), items: [{ productId: 'mug-classic', quantity: 2 }], payment: CARD });
    expect(res.status).toBe(201);
    const order = res.body as Order;
    expect(order).toMatchObject({
      customerId: customer('card'),
      status: 'CONFIRMED',
      total: { amount: 2598, currency: 'USD' },
      payment: { method: 'card', status: 'CAPTURED' },
    });
    expect(res.headers.get('location')).toBe(`/orders/${order.orderId}`);
    expect(res.headers.get('x-orderflow-execution')).toMatch(new RegExp(`^${customer('card')}-[0-9a-f-]{36}$`));
    expect(await stockOf('mug-classic')).toBe(before - 2);
    placedOrderId = order.orderId;

    const read = await call(`/orders/${order.orderId}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(order);
    expect((await call('/orders/ord_0000000000000000')).status).toBe(404);
  });

  it('places an order paid with Apple Pay (a card wallet in Stripe)', async () => {
    const res = await checkout({
      customerId: customer('apple'),
      items: [{ productId: 'mug-classic', quantity: 1 }],
      payment: { method: 'apple_pay', paymentMethodId: 'pm_card_mastercard' },
    });
    expect(res.status).toBe(201);
    expect((res.body as Order).payment).toEqual({ method: 'apple_pay', status: 'CAPTURED' });
  });

  it('places an order paid by PayPal: order created through the API, approved by the buyer in the sandbox', async () => {
    const cart = { customerId: customer('paypal'), items: [{ productId: 'mug-classic', quantity: 1 }] };
    const asBuyer = { Authorization: `Bearer ${await tokenFor(cart.customerId)}` };
    const created = await call('/paypal/orders', { method: 'POST', json: cart, headers: asBuyer });
    expect(created.status).toBe(201);
    const { paypalOrderId, total } = created.body as { paypalOrderId: string; total: { amount: number } };
    expect(total.amount).toBe(1299);
    const unapproved = await checkout({ ...cart, payment: { method: 'paypal', paypalOrderId } });
    expect(unapproved.status).toBeGreaterThanOrEqual(400);

    const { paypal } = (await info()).sandboxes;
    const approval = await fetch(`${paypal.url}/_sandbox/orders/${paypalOrderId}/approve`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(approval.status).toBe(200);
    // A new PayPal order: the first one was voided by the compensation of the refused checkout.
    const again = await call('/paypal/orders', { method: 'POST', json: cart, headers: asBuyer });
    const second = (again.body as { paypalOrderId: string }).paypalOrderId;
    await fetch(`${paypal.url}/_sandbox/orders/${second}/approve`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    const res = await checkout({ ...cart, payment: { method: 'paypal', paypalOrderId: second } });
    expect(res.status, res.text).toBe(201);
    expect((res.body as Order).payment).toEqual({ method: 'paypal', status: 'CAPTURED' });
  });

  it('answers malformed JSON and schema violations with 400 VALIDATION_FAILED, another media type with 415, and changes nothing', async () => {
    const before = await stockOf('mug-classic');
    const malformed = await call('/orders', { method: 'POST', body: '{"customerId": "x", ', headers: { 'Content-Type': 'application/json' } });
    expect(malformed.status).toBe(400);
    expect((malformed.body as ErrorAnswer).error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: '(root)' }] });
    expect(malformed.headers.get('x-orderflow-execution')).toBeNull();
    const invalid = await checkout({ customerId: customer('bad'), items: [{ productId: 'mug-classic', quantity: 0 }], payment: CARD });
    expect(invalid.status).toBe(400);
    expect((invalid.body as ErrorAnswer).error.code).toBe('VALIDATION_FAILED');
    const text = await call('/orders', { method: 'POST', body: 'customerId=x', headers: { 'Content-Type': 'text/plain' } });
    expect(text.status).toBe(415);
    expect((text.body as ErrorAnswer).error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    for (const answer of [malformed, invalid, text]) expect(answer.text).not.toMatch(/at .*\.ts:\d+/);
    expect(await stockOf('mug-classic')).toBe(before);
  });

  it('answers 422 UNKNOWN_PRODUCT and leaves stock as it was', async () => {
    const before = await stocks(['mug-classic']);
    const res = await checkout({
      customerId: customer('unknown'),
      items: [{ productId: 'mug-classic', quantity: 1 }, { productId: 'unicorn-saddle', quantity: 1 }],
      payment: CARD,
    });
    expect(res.status).toBe(422);
    expect((res.body as ErrorAnswer).error).toMatchObject({ code: 'UNKNOWN_PRODUCT' });
    expect(res.text).toContain('unicorn-saddle');
    expect(await stocks(['mug-classic'])).toEqual(before);
  });

  it('answers 409 OUT_OF_STOCK naming the product, releasing the lines already reserved', async () => {
    const ids = ['mug-classic', 'beanie-merino-navy', 'blanket-wool-throw'];
    const before = await stocks(ids);
    const res = await checkout({
      customerId: customer('stock'),
      items: [
        { productId: 'mug-classic', quantity: 1 },
        { productId: 'beanie-merino-navy', quantity: 1 },
        { productId: 'blanket-wool-throw', quantity: (before['blanket-wool-throw'] as number) + 1 },
      ],
      payment: CARD,
    });
    expect(res.status).toBe(409);
    expect((res.body as ErrorAnswer).error.code).toBe('OUT_OF_STOCK');
    expect(res.text).toContain('blanket-wool-throw');
    expect(await stocks(ids)).toEqual(before);
  });

  it('answers 402 PAYMENT_DECLINED with the decline code, releases every reservation, publishes OrderRejected', async () => {
    const ids = ['mug-classic', 'beanie-merino-navy'];
    const before = await stocks(ids);
    const res = await checkout({
      customerId: customer('declined'),
      items: [
        { productId: 'mug-classic', quantity: 1 },
        { productId: 'beanie-merino-navy', quantity: 2 },
      ],
      payment: { method: 'card', paymentMethodId: 'pm_card_chargeDeclinedInsufficientFunds' },
    });
    expect(res.status).toBe(402);
    expect((res.body as ErrorAnswer).error).toMatchObject({ code: 'PAYMENT_DECLINED', declineCode: 'insufficient_funds' });
    expect(await stocks(ids)).toEqual(before);

    const execution = res.headers.get('x-orderflow-execution') as string;
    const detail = (await call(`/_local/executions/${execution}`)).body as { orderId: string };
    const events = await settledEventsFor(detail.orderId, 1);
    expect(events.map((e) => e.detailType)).toEqual(['OrderRejected']);
    expect(events[0]?.deliveries.map((d) => [d.function, d.status])).toEqual([[expect.stringMatching(/^RecordMetrics/), 'delivered']]);
  });

  it('replays the first response for the same Idempotency-Key and body, charging once; another body is 422', async () => {
    const body = { customerId: customer('idem'), items: [{ productId: 'mug-classic', quantity: 1 }], payment: CARD };
    const key = `key-${run}`;
    const before = await stockOf('mug-classic');
    const first = await checkout(body, { 'Idempotency-Key': key });
    const second = await checkout(body, { 'Idempotency-Key': key });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.headers.get('location')).toBe(first.headers.get('location'));
    expect(second.headers.get('x-orderflow-execution')).not.toBe(first.headers.get('x-orderflow-execution'));
    expect(await stockOf('mug-classic')).toBe(before - 1);

    const { stripe } = (await info()).sandboxes;
    const intents = (await (await fetch(`${stripe.url}/_sandbox/payment_intents`)).json()) as { data: { metadata: { order_id?: string } }[] };
    expect(intents.data.filter((pi) => pi.metadata.order_id === (first.body as Order).orderId)).toHaveLength(1);

    const reused = await checkout({ ...body, items: [{ productId: 'mug-classic', quantity: 2 }] }, { 'Idempotency-Key': key });
    expect(reused.status).toBe(422);
    expect((reused.body as ErrorAnswer).error.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it("lists a customer's orders, newest first", async () => {
    const who = customer('history');
    const ids: string[] = [];
    for (const quantity of [1, 2]) {
      const res = await checkout({ customerId: who, items: [{ productId: 'mug-classic', quantity }], payment: CARD });
      ids.push((res.body as Order).orderId);
    }
    const list = await call(`/customers/${who}/orders`);
    expect(list.status).toBe(200);
    expect((list.body as { items: Order[] }).items.map((o) => o.orderId)).toEqual([...ids].reverse());
    expect(((await call(`/customers/${customer('nobody')}/orders`)).body as { items: Order[] }).items).toEqual([]);
  });

  it('delivers OrderPlaced to both consumers', async () => {
    const events = await settledEventsFor(placedOrderId, 2);
    expect(events.map((e) => e.detailType)).toEqual(['OrderPlaced']);
    const deliveries = events[0]?.deliveries ?? [];
    expect(deliveries.map((d) => d.status)).toEqual(['delivered', 'delivered']);
    expect(deliveries.map((d) => d.function).sort()).toEqual([expect.stringMatching(/^RecordMetrics/), expect.stringMatching(/^SendConfirmation/)]);
  });

  it('shows executions: the list, one with its history in GetExecutionHistory format and the definition, and its picture', async () => {
    const list = (await call('/_local/executions')).body as { executions: { name: string; status: string; durationMs: number; stateTransitions: number; httpStatus: number }[] };
    expect(list.executions.length).toBeGreaterThanOrEqual(8);
    const declined = list.executions.find((e) => e.httpStatus === 402);
    expect(declined).toMatchObject({ status: 'SUCCEEDED', durationMs: expect.any(Number), stateTransitions: expect.any(Number) });
    const detail = (await call(`/_local/executions/${declined?.name}`)).body as {
      history: { events: { type: string; id: number; previousEventId: number; timestamp: string }[] };
      definition: { StartAt: string; States: Record<string, unknown> };
      path: { statesVisited: string[]; failedStates: Record<string, string> };
    };
    const types = detail.history.events.map((e) => e.type);
    expect(types[0]).toBe('ExecutionStarted');
    expect(types.at(-1)).toBe('ExecutionSucceeded');
    expect(types).toContain('MapIterationStarted');
    expect(types).toContain('TaskFailed');
    expect(detail.definition.States).toHaveProperty('ReserveLines');
    // Which alias and version it ran: the API starts the template's alias, which is the one definition here.
    expect((detail as unknown as { release: unknown }).release).toEqual({ alias: 'live', version: "the template's definition (locally the one version)" });
    expect(Object.values(detail.path.failedStates)).toContain('PaymentDeclinedError');
    const svg = await call(`/_local/executions/${declined?.name}/graph.svg`);
    expect(svg.headers.get('content-type')).toBe('image/svg+xml');
    expect(svg.text).toMatch(/class="state visited failed" data-state="AuthorizeCardPayment"/);
    expect((await call('/_local/executions/nope')).status).toBe(404);
  });

  it('serves Step Functions over AWS\'s protocol: the checkout machine listed, described and started with StartSyncExecution through the SDK', async () => {
    const info = (await call('/_local/info')).body as { endpoints: { stepfunctions: string } };
    const sfn = new SFNClient({ endpoint: info.endpoints.stepfunctions, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, disableHostPrefix: true });
    try {
      const machines = (await sfn.send(new ListStateMachinesCommand({}))).stateMachines ?? [];
      expect(machines).toHaveLength(1);
      expect(machines[0]).toMatchObject({ type: 'EXPRESS', name: expect.stringMatching(/^CheckoutStateMachine/) });
      const described = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: machines[0]?.stateMachineArn }));
      expect(JSON.parse(described.definition ?? '{}')).toHaveProperty('States.ReserveLines');
      // Started directly (no gateway): the workflow's own checks answer a request naming nobody.
      const result = await sfn.send(
        new StartSyncExecutionCommand({ stateMachineArn: machines[0]?.stateMachineArn, input: JSON.stringify({ body: { items: [] }, idempotencyKey: null, authorizedCustomerId: null, requestId: 'sdk-1' }) }),
      );
      expect(result.status).toBe('SUCCEEDED');
      expect(JSON.parse(result.output ?? '{}')).toMatchObject({ statusCode: 400 });
    } finally {
      sfn.destroy();
    }
  });

  it('logs one line per request and per execution, with status, duration and order id', () => {
    const lines = stack.stdout().split('\n');
    const created = lines.find((l) => new RegExp(` POST +/orders +201 .*order=${placedOrderId}`).test(l));
    // The duration as the log writes it: milliseconds below a second, seconds above (a slow first request).
    expect(created).toMatch(/ (\d+ms|\d+\.\d{2}s) /);
    expect(lines.some((l) => new RegExp(`workflow .* SUCCEEDED .*http=201 order=${placedOrderId}`).test(l))).toBe(true);
    expect(lines.some((l) => / GET +\/products\/mug-classic +200 /.test(l))).toBe(true);
    // The handlers' own JSON logs are kept off the terminal (GET /_local/logs has them).
    expect(lines.some((l) => l.startsWith('{"level":"INFO"'))).toBe(false);
  });

  it('shows the executions and the path of one on the workflow graph in a browser (headless Chromium)', async () => {
    const executablePath = chromiumPath();
    if (!existsSync(executablePath)) throw new Error('Chromium is missing: run apt-get install -y chromium (or set CHROMIUM_PATH)');
    const browser = await chromium.launch({
      executablePath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1600, height: 1100 } });
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(error.message));
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(message.text());
      });
      await page.goto(`${stack.url}/_local/`);
      await page.waitForSelector('#executions tr');
      const listed = ((await call('/_local/executions')).body as { executions: { name: string; httpStatus: number }[] }).executions;
      expect(await page.locator('#executions tr').count()).toBe(listed.length);
      const declined = listed.find((e) => e.httpStatus === 402)?.name as string;
      await page.locator(`#executions tr[data-name="${declined}"]`).click();
      await page.waitForSelector(`body[data-shown="${declined}"]`);
      expect(await page.locator('#executions tr.selected').getAttribute('data-name')).toBe(declined);
      expect(await page.locator('#graph-title').textContent()).toBe(`Execution ${declined}`);
      expect(await page.locator('#summary').textContent()).toContain('alias live → the template\'s definition');
      // The outcome is the HTTP answer and its error code, not the execution's SUCCEEDED.
      const badge = page.locator(`#executions tr[data-name="${declined}"] .outcome`);
      expect(await badge.textContent()).toBe('402 PAYMENT_DECLINED');
      expect(await badge.getAttribute('class')).toBe('outcome client');
      // The path alone, large enough to read in its column at 1400 px (12 px names drawn at 9 px or more).
      await page.setViewportSize({ width: 1400, height: 1100 });
      const graph = page.locator('#graph svg');
      expect(await graph.locator('g.state.failed[data-state="AuthorizeCardPayment"]').count()).toBe(1);
      expect(await graph.locator('g.state.visited[data-state="ReleaseReservations"]').count()).toBe(1);
      expect(await graph.locator('g.state.visited').count()).toBeGreaterThan(10);
      expect(await graph.locator('g.state:not(.visited)').count()).toBe(0);
      expect(await graph.locator('path.edge:not(.taken)').count()).toBe(0);
      expect(await graph.textContent()).toMatch(/×2 iterations/);
      const scale = await graph.evaluate((svg) => svg.getBoundingClientRect().width / Number(svg.getAttribute('width')));
      expect(scale * 12).toBeGreaterThanOrEqual(9);
      expect(await page.locator('#graph-full').getAttribute('href')).toBe(`/_local/executions/${encodeURIComponent(declined)}/graph.svg?view=path`);
      // The whole workflow on demand, the path drawn on it.
      await page.locator('#graph-toggle').click();
      await page.waitForFunction("document.querySelectorAll('#graph svg g.state:not(.visited)').length > 0");
      expect(await graph.locator('path.edge.taken').count()).toBeGreaterThan(10);
      await page.locator('#graph-toggle').click();
      await page.waitForFunction("document.querySelectorAll('#graph svg g.state:not(.visited)').length === 0");
      // Every order id is whole and in view: not cut, not behind a horizontal scroll, at the usual widths.
      for (const width of [1600, 1280, 1000]) {
        await page.setViewportSize({ width, height: 1100 });
        const cells = await page.locator('#executions td.order').evaluateAll((tds) =>
          tds.map((td) => {
            const section = td.closest('section');
            if (!section) throw new Error('an order cell outside the executions section');
            const box = section.getBoundingClientRect();
            return {
              text: td.textContent ?? '',
              clipped: td.scrollWidth > td.clientWidth,
              outOfView: td.getBoundingClientRect().right > box.left + section.clientLeft + section.clientWidth + 0.5,
              sectionScrolls: section.scrollWidth > section.clientWidth,
            };
          }),
        );
        const orders = cells.filter((c) => c.text !== '');
        expect(orders.length, `${width}px`).toBeGreaterThan(5);
        for (const cell of orders) {
          expect(cell.text).toMatch(/^ord_[0-9a-f]{32}$/);
          expect({ width, ...cell }).toEqual({ width, text: cell.text, clipped: false, outOfView: false, sectionScrolls: false });
        }
      }
      await page.setViewportSize({ width: 1600, height: 1100 });
      const screenshot = join(tmpdir(), 'orderflow-local-inspection.png');
      await page.screenshot({ path: screenshot, fullPage: true });
      expect(statSync(screenshot).size).toBeGreaterThan(20_000);
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);

  it('answers an unknown route with 404 ROUTE_NOT_FOUND', async () => {
    const res = await call('/nowhere');
    expect(res.status).toBe(404);
    expect((res.body as ErrorAnswer).error.code).toBe('ROUTE_NOT_FOUND');
  });

  it('stops on SIGTERM with exit code 0, leaving no process behind', async () => {
    expect(processesInGroup(stack.pgid).some((p) => p.includes('DynamoDBLocal.jar'))).toBe(true);
    const outcome = await stack.stop('SIGTERM');
    expect(outcome).toEqual({ code: 0, signal: null });
    expect(stack.stdout()).toMatch(/SIGTERM: stopping/);
    expect(stack.stdout()).toMatch(/stopped in \d+ ms/);
    expect(processesInGroup(stack.pgid)).toEqual([]);
  });

  it('keeps the orders made before on a second start (JSON logs this time), and stops cleanly on Ctrl-C', async () => {
    const stockBefore = await (async () => {
      // Scheduled rules at 1/50 of their period: the outbox redrive (every minute) runs every 1.2 s.
      const second = await startStackProcess({ args: ['--data-dir', dataDir], env: { LOG_FORMAT: 'json', LOCAL_SCHEDULE_SCALE: '0.02' }, timeoutMs: 150_000 });
      stack = second;
      return stockOf('mug-classic');
    })();
    const order = await call(`/orders/${placedOrderId}`);
    expect(order.status).toBe(200);
    expect((order.body as Order).orderId).toBe(placedOrderId);
    expect(stockBefore).toBeLessThan(120);

    const records = stack
      .stdout()
      .split('\n')
      // npm's own banner ("> orderflow@0.0.0 start") comes first; `npm start --silent` drops it.
      .filter((line) => !line.startsWith('> ') && line.trim() !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records.find((r) => r['step'] === 'seed')?.['msg']).toMatch(/table not empty: nothing seeded/);
    expect(records.find((r) => r['step'] === 'table')?.['msg']).toMatch(/already there/);
    expect(records.find((r) => r['type'] === 'ready')).toMatchObject({ msg: `orderflow ready on http://localhost:${stack.port}` });
    expect(records.filter((r) => r['type'] === 'request').map((r) => [r['method'], r['path'], r['status']])).toContainEqual(['GET', `/orders/${placedOrderId}`, 200]);

    // The template's scheduled rules run their jobs locally, as Scheduled Events through the bus.
    const { schedules } = (await call('/_local/info')).body as { schedules: { rule: string; runsLocally: boolean; targets: string[] }[] };
    expect(schedules).toEqual([
      expect.objectContaining({ rule: expect.stringMatching(/^RedriveOutbox/), runsLocally: true }),
      expect.objectContaining({ rule: expect.stringMatching(/^CompleteCompensations/), runsLocally: true }),
      expect.objectContaining({ rule: expect.stringMatching(/^RecoverCheckouts/), runsLocally: true }),
    ]);
    const deliveredJobs = async () => {
      const scheduled = ((await call('/_local/events?detailType=Scheduled%20Event')).body as { events: ReceivedEvent[] }).events;
      return new Set(scheduled.flatMap((e) => e.deliveries.filter((d) => d.status === 'delivered').map((d) => d.function.replace(/Function.*$/, ''))));
    };
    let jobs = new Set<string>();
    for (let i = 0; i < 100 && jobs.size < 3; i += 1) {
      jobs = await deliveredJobs();
      if (jobs.size < 3) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect([...jobs].sort()).toEqual(['CompleteCompensations', 'RecoverCheckouts', 'RedriveOutbox']);

    // A void Stripe keeps refusing (503 to every capture and cancel) is recorded; once Stripe is
    // back, the scheduled sweep voids it and the cancelled order says VOIDED.
    const { stripe } = (await info()).sandboxes;
    const faults = (method: string, body?: unknown) =>
      fetch(`${stripe.url}/_sandbox/faults`, { method, headers: { 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
    await faults('POST', { errorRate: 1, errorStatus: 503, match: { method: 'POST', pathPrefix: '/v1/payment_intents/' } });
    let compensatedOrderId: string;
    try {
      const failed = await checkout({ customerId: customer('void-later'), items: [{ productId: 'mug-classic', quantity: 1 }], payment: CARD });
      expect(failed.status).toBe(503);
      compensatedOrderId = ((await call(`/_local/executions/${failed.headers.get('x-orderflow-execution')}`)).body as { orderId: string }).orderId;
      expect(((await call(`/orders/${compensatedOrderId}`)).body as Order).payment.status).toBe('AUTHORIZED');
    } finally {
      await faults('DELETE');
    }
    let voided: Order | undefined;
    for (let i = 0; i < 100; i += 1) {
      voided = (await call(`/orders/${compensatedOrderId}`)).body as Order;
      if (voided.payment.status === 'VOIDED') break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(voided).toMatchObject({ status: 'CANCELLED', payment: { status: 'VOIDED' } });
    const intents = (await (await fetch(`${stripe.url}/_sandbox/payment_intents`)).json()) as { data: { status: string; metadata: { order_id?: string } }[] };
    expect(intents.data.filter((pi) => pi.metadata.order_id === compensatedOrderId).map((pi) => pi.status)).toEqual(['canceled']);

    // Ctrl-C in a terminal: SIGINT to every process of the group (npm relays it once more).
    expect(await stack.stop('SIGINT', { group: true })).toEqual({ code: 0, signal: null });
    expect(stack.stdout()).toMatch(/"msg":"stopped in \d+ ms/);
    expect(stack.stdout()).not.toMatch(/exiting now/);
    expect(processesInGroup(stack.pgid)).toEqual([]);
  }, 180_000);
});

describe('npm start refusing to start', () => {
  it('says which port is taken, at once, and exits 1 leaving nothing running', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as AddressInfo).port;
    try {
      const { code, output } = runStackToExit({ args: ['--in-memory', '--port', String(port)] });
      expect(code).toBe(1);
      expect(output).toContain(`port ${port} is in use`);
      expect(output).not.toMatch(/\] dynamodb /);
      expect(output).not.toMatch(/\n\s+at /);
    } finally {
      blocker.close();
    }
  });

  it('says in one line what to install without Java, and exits 1', () => {
    const { code, output } = runStackToExit({ args: ['--in-memory'], env: { JAVA: '/nonexistent/java' } });
    expect(code).toBe(1);
    const hint = output.split('\n').filter((l) => l.includes('needs Java'));
    expect(hint).toHaveLength(1);
    expect(hint[0]).toMatch(/apt-get install -y openjdk-17-jre-headless/);
  });
});
