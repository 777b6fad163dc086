import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromiumPath } from '@orderflow/testing';
import { workspaceRoot } from '@orderflow/workspace';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StackProcess, startStackProcess } from '../stack-process';

/**
 * The storefront as a person uses it: the real `npm start`, the system Chromium driven by
 * playwright-core, every step by what is on the screen (roles and labels). Each page is
 * audited with axe-core (no serious or critical violation) and photographed under
 * `.cache/test-output/storefront/`.
 */

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');
const SHOTS = join(workspaceRoot(), '.cache', 'test-output', 'storefront');
const run = Date.now().toString(36);

let stack: StackProcess;
let browser: Browser;
let stripeUrl = '';

beforeAll(async () => {
  const executablePath = chromiumPath();
  if (!existsSync(executablePath)) throw new Error('Chromium is missing: run apt-get install -y chromium (or set CHROMIUM_PATH)');
  mkdirSync(SHOTS, { recursive: true });
  // Scheduled jobs (the compensation sweep among them) every 6 s instead of every minute.
  stack = await startStackProcess({ args: ['--in-memory', '--schedule-scale', '0.1'] });
  stripeUrl = ((await (await fetch(`${stack.url}/_local/info`)).json()) as { sandboxes: { stripe: { url: string } } }).sandboxes.stripe.url;
  browser = await chromium.launch({ executablePath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

interface AxeResult {
  violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[];
}

/** axe-core on the page as it is: serious and critical violations, described. */
async function audit(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  const result = (await page.evaluate('axe.run(document, { resultTypes: ["violations"] })')) as AxeResult;
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** A screenshot and an accessibility audit of the page now. */
async function look(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  expect(await audit(page), name).toEqual([]);
}

async function newShopper(customerId: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto(`${stack.url}/shop/`);
  await page.getByRole('link', { name: 'Sign in', exact: true }).click();
  await page.getByLabel('Customer ID').fill(customerId);
  await look(page, 'sign-in');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect.poll(() => page.getByText(`Signed in as ${customerId}`).count()).toBe(1);
  expect(problems).toEqual([]);
  return page;
}

/** From the first page of the catalog, through "Next page" until the product's card shows. */
async function addToCart(page: Page, productName: string): Promise<void> {
  await page.getByRole('link', { name: 'Shop', exact: true }).click();
  const add = page.getByRole('button', { name: `Add ${productName} to cart` });
  await page.locator('.product').first().waitFor();
  while ((await add.count()) === 0) {
    const first = await page.locator('.product h2').first().textContent();
    await page.getByRole('button', { name: 'Next page' }).click();
    await expect.poll(() => page.locator('.product h2').first().textContent()).not.toBe(first);
  }
  await add.click();
  await page.getByRole('status').filter({ hasText: 'added to your cart' }).waitFor();
}

async function checkout(page: Page, method: 'Card' | 'Apple Pay' | 'PayPal', card?: string): Promise<void> {
  await page.getByRole('link', { name: /^Cart, / }).click();
  await page.getByRole('button', { name: 'Checkout' }).click();
  await page.getByRole('group', { name: 'Payment method' }).getByLabel(method).check();
  if (card) await page.getByLabel('Test card').selectOption({ label: card });
  await page.getByRole('button', { name: 'Place order' }).click();
}

async function confirmedOrderId(page: Page): Promise<string> {
  await page.getByRole('heading', { name: 'Order confirmed' }).waitFor();
  return (await page.locator('.order-id').textContent()) ?? '';
}

/** The Stripe sandbox's PaymentIntents of an order, with their status and what they took. */
async function intentsOf(orderId: string): Promise<{ status: string; amountReceived: number }[]> {
  const all = (await (await fetch(`${stripeUrl}/_sandbox/payment_intents`)).json()) as { data: { status: string; amountReceived: number; metadata: { order_id?: string } }[] };
  return all.data.filter((i) => i.metadata.order_id === orderId).map(({ status, amountReceived }) => ({ status, amountReceived }));
}

const MUG = 'Classic Ceramic Mug, 12 oz';
const BEANIE = 'Ribbed Merino Beanie, Navy';
const VISA = 'Visa •••• 4242 · pays';

describe('the storefront (npm start, Chromium)', { timeout: 60_000 }, () => {
  const alice = `shop-a-${run}`;
  const placed: string[] = [];
  let page: Page;

  it('signs in, browses, fills the cart (kept across a reload) and pays by card', async () => {
    page = await newShopper(alice);
    await page.locator('.product').first().waitFor();
    await look(page, 'catalog');
    await addToCart(page, MUG);
    await addToCart(page, MUG);
    await page.reload();
    await expect.poll(() => page.getByRole('link', { name: 'Cart, 2 items' }).count()).toBe(1);
    await page.getByRole('link', { name: 'Cart, 2 items' }).click();
    await page.getByLabel(`Quantity of ${MUG}`).fill('3');
    await page.getByLabel(`Quantity of ${MUG}`).press('Tab');
    await expect.poll(() => page.locator('.subtotal').textContent()).toContain('$38.97');
    await look(page, 'cart');
    await checkout(page, 'Card', VISA);
    const orderId = await confirmedOrderId(page);
    await look(page, 'confirmation');
    expect(await page.locator('.total').textContent()).toBe('$38.97');
    expect(await intentsOf(orderId)).toEqual([{ status: 'succeeded', amountReceived: 3897 }]);
    placed.push(orderId);
  });

  it('pays with Apple Pay', async () => {
    await addToCart(page, BEANIE);
    await checkout(page, 'Apple Pay', 'Mastercard •••• 4444 · pays');
    placed.push(await confirmedOrderId(page));
  });

  it("pays by PayPal through the sandbox's approval page and comes back to the confirmation", async () => {
    await addToCart(page, MUG);
    await checkout(page, 'PayPal');
    await page.waitForURL(/\/checkoutnow\?token=/);
    await page.screenshot({ path: join(SHOTS, 'paypal-approval.png') });
    await page.locator('#approve').click();
    const orderId = await confirmedOrderId(page);
    expect(page.url()).toMatch(/\/shop\/#\/confirmation\//);
    placed.push(orderId);
  });

  it('says why a card was declined, then takes another card: one order', async () => {
    await addToCart(page, MUG);
    await checkout(page, 'Card', 'Visa •••• 9995 · declined: insufficient funds');
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Your payment was declined: the card has insufficient funds.');
    expect(await page.getByRole('button', { name: 'Try again' }).count()).toBe(0);
    await look(page, 'declined');
    await page.getByLabel('Test card').selectOption({ label: VISA });
    await page.getByRole('button', { name: 'Place order' }).click();
    placed.push(await confirmedOrderId(page));
  });

  it('says what is left when there is not enough stock', async () => {
    await addToCart(page, 'Wool Throw Blanket, 130 x 170 cm');
    await page.getByRole('link', { name: /^Cart, / }).click();
    await page.getByLabel('Quantity of Wool Throw Blanket, 130 x 170 cm').fill('25');
    await page.getByLabel('Quantity of Wool Throw Blanket, 130 x 170 cm').press('Tab');
    await page.getByRole('button', { name: 'Checkout' }).click();
    await page.getByLabel('Test card').selectOption({ label: VISA });
    await page.getByRole('button', { name: 'Place order' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Not enough Wool Throw Blanket, 130 x 170 cm in stock: you asked for 25, only 20 are left.');
    await look(page, 'out-of-stock');
    await page.getByRole('link', { name: /^Cart, / }).click();
    await page.getByRole('button', { name: 'Remove Wool Throw Blanket, 130 x 170 cm' }).click();
  });

  it('after a payment outage, "Try again" sends the same attempt: exactly one order and one charge', async () => {
    const keys: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && new URL(request.url()).pathname === '/orders') keys.push(request.headers()['idempotency-key'] ?? '');
    });
    const faults = (method: string, body?: unknown) =>
      fetch(`${stripeUrl}/_sandbox/faults`, { method, headers: { 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
    await addToCart(page, MUG);
    await faults('POST', { errorRate: 1, errorStatus: 503, match: { method: 'POST', pathPrefix: '/v1/payment_intents' } });
    try {
      await checkout(page, 'Card', VISA);
      await expect.poll(() => page.getByRole('alert').textContent(), { timeout: 30_000 }).toContain('you will not be charged twice');
      await look(page, 'outage');
    } finally {
      await faults('DELETE');
    }
    // The void of the failed attempt also met the outage: its key keeps the 503 (replayed) until
    // the compensation sweep (every 6 s here) has voided it, then the same key places the order.
    let orderId = '';
    for (let tries = 0; !orderId && tries < 10; tries++) {
      await page.getByRole('button', { name: 'Try again' }).click();
      await page.getByRole('heading', { name: 'Order confirmed' }).or(page.getByRole('button', { name: 'Try again' })).waitFor();
      if (await page.getByRole('heading', { name: 'Order confirmed' }).count()) orderId = await confirmedOrderId(page);
      else await new Promise((resolve) => setTimeout(resolve, 3_000));
    }
    expect(keys.length).toBeGreaterThanOrEqual(2);
    expect(new Set(keys).size).toBe(1);
    // One charge for the key: this order's, taken once; nothing kept from the failed attempt.
    expect(await intentsOf(orderId)).toEqual([{ status: 'succeeded', amountReceived: 1299 }]);
    const charged = ((await (await fetch(`${stripeUrl}/_sandbox/payment_intents`)).json()) as { data: { amountReceived: number; metadata: { customer_id?: string } }[] }).data.filter(
      (i) => i.amountReceived > 0 && i.metadata.customer_id === alice,
    );
    // Stripe took money four times from this customer: the card, Apple Pay, the card after the decline, and this order.
    expect(charged).toHaveLength(4);
    placed.push(orderId);
  });

  it('lists my orders, newest first, each opening its details', async () => {
    await page.getByRole('link', { name: 'My orders' }).first().click();
    await page.locator('.orders li').first().waitFor();
    const listed = await page.locator('.orders li a').allTextContents();
    expect(listed.slice(0, placed.length)).toEqual([...placed].reverse());
    await look(page, 'my-orders');
    await page.getByRole('link', { name: placed[0] }).click();
    await page.getByRole('heading', { name: `Order ${placed[0]}` }).waitFor();
    await look(page, 'order-details');
  });

  it('keeps the cart when the session expires, and asks to sign in again', async () => {
    await addToCart(page, BEANIE);
    // The stored session as the shop keeps it, with its expiry moved into the past (the page's own storage).
    await page.evaluate(`(() => {
      const session = JSON.parse(localStorage.getItem('orderflow.session') ?? '{}');
      localStorage.setItem('orderflow.session', JSON.stringify({ ...session, expiresAt: Date.now() - 1000 }));
    })()`);
    await page.goto(`${stack.url}/shop/#/checkout`);
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Your session has expired. Sign in again — your cart is kept.');
    expect(await page.getByRole('link', { name: 'Cart, 1 item' }).count()).toBe(1);
    await look(page, 'session-expired');
  });

  it("does not show one customer's orders to another", async () => {
    const bob = await newShopper(`shop-b-${run}`);
    await bob.getByRole('link', { name: 'My orders' }).first().click();
    await bob.getByText('You have no orders yet.').waitFor();
    await bob.goto(`${stack.url}/shop/#/orders/${placed[0]}`);
    await expect.poll(() => bob.getByRole('alert').textContent()).toContain(`No order ${placed[0]}.`);
    await bob.close();
  });
});
