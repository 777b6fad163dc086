// Storefront benchmark: `npm run bench:storefront -w @orderflow/local [-- --runs 10] [--url http://localhost:3000]`.
// Against `npm start` (the running one, the one at --url, or one it starts in memory):
//   1. what the shop ships — every script, stylesheet and the page itself, raw and gzip (level 9,
//      as a CDN would compress them);
//   2. in Chromium (playwright-core, the system's), the time from navigation to the first
//      product card: cold (a new browser context each run, nothing cached) and warm (reloads);
//   3. the time from "Place order" to the heading "Order confirmed", card payment, one line.
// Prints the figures (median, p95, min, max); asserts nothing.
import { gzipSync } from 'node:zlib';
import { parseArgs } from 'node:util';
import { chromiumPath } from '@orderflow/testing';
import { findRunningStack } from '@orderflow/workspace';
import { type Browser, chromium } from 'playwright-core';
import { type StackProcess, startStackProcess } from '../src/stack-process';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '10' }, url: { type: 'string' } } });
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs must be a positive integer');

const log = (line: string) => process.stderr.write(`${line}\n`);

function stats(samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;
  const ms = (v: number) => `${v.toFixed(0)} ms`;
  return `median ${ms(at(0.5))}, p95 ${ms(at(0.95))}, min ${ms(sorted[0] ?? NaN)}, max ${ms(sorted.at(-1) ?? NaN)} (${samples.length} runs)`;
}

/** The page and every script and stylesheet it loads, as served at /shop/. */
async function shipped(base: string): Promise<{ file: string; raw: number; gzip: number }[]> {
  const page = await (await fetch(`${base}/shop/`)).text();
  const assets = [...page.matchAll(/(?:src|href)="(\/shop\/[^"]+\.(?:js|css))"/g)].map((m) => m[1] as string);
  const files = [{ file: '/shop/index.html', body: Buffer.from(page) }];
  for (const asset of assets) files.push({ file: asset, body: Buffer.from(await (await fetch(`${base}${asset}`)).arrayBuffer()) });
  return files.map(({ file, body }) => ({ file, raw: body.length, gzip: gzipSync(body, { level: 9 }).length }));
}

async function firstProductCard(browser: Browser, base: string): Promise<{ cold: number[]; warm: number[] }> {
  const cold: number[] = [];
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const started = performance.now();
    await page.goto(`${base}/shop/`);
    await page.locator('.product').first().waitFor();
    cold.push(performance.now() - started);
    await context.close();
    log(`  first product card, cold ${i + 1}/${runs}: ${cold.at(-1)?.toFixed(0)} ms`);
  }
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${base}/shop/`);
  await page.locator('.product').first().waitFor();
  const warm: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await page.reload();
    await page.locator('.product').first().waitFor();
    warm.push(performance.now() - started);
  }
  log(`  first product card, warm: ${runs} reloads done`);
  await context.close();
  return { cold, warm };
}

async function placeOrderToConfirmed(browser: Browser, base: string): Promise<number[]> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${base}/shop/`);
  await page.getByRole('link', { name: 'Sign in', exact: true }).click();
  await page.getByLabel('Customer ID').fill(`bench-${Date.now().toString(36)}`);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    await page.getByRole('link', { name: 'Shop', exact: true }).click();
    await page.locator('.product button:not([disabled])').first().click();
    await page.getByRole('link', { name: /^Cart, / }).click();
    await page.getByRole('button', { name: 'Checkout' }).click();
    await page.getByRole('group', { name: 'Payment method' }).getByLabel('Card').check();
    await page.getByLabel('Test card').selectOption({ index: 0 });
    const started = performance.now();
    await page.getByRole('button', { name: 'Place order' }).click();
    await page.getByRole('heading', { name: 'Order confirmed' }).waitFor();
    samples.push(performance.now() - started);
    log(`  place order -> confirmed ${i + 1}/${runs}: ${samples.at(-1)?.toFixed(0)} ms`);
  }
  await context.close();
  return samples;
}

async function main(): Promise<void> {
  let stack: StackProcess | undefined;
  let base = values.url ?? findRunningStack()?.url;
  if (!base) {
    log('no npm start running: starting one (npm start -- --in-memory, free port)');
    stack = await startStackProcess({ args: ['--in-memory'] });
    base = stack.url;
  }
  log(`storefront at ${base}/shop/`);
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
  try {
    const files = await shipped(base);
    const cards = await firstProductCard(browser, base);
    const checkout = await placeOrderToConfirmed(browser, base);
    const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
    const code = files.filter((f) => /\.(js|css)$/.test(f.file));
    console.log('\nWhat the shop ships (served at /shop/):');
    console.log('| file | raw | gzip |\n|---|---:|---:|');
    for (const f of files) console.log(`| ${f.file} | ${kib(f.raw)} | ${kib(f.gzip)} |`);
    console.log(`| **JavaScript + CSS** | ${kib(code.reduce((n, f) => n + f.raw, 0))} | **${kib(code.reduce((n, f) => n + f.gzip, 0))}** (aim ≤ 100 KiB) |`);
    console.log(`\nChromium against ${base} (one machine: the API, DynamoDB Local and the sandboxes share its cores):`);
    console.log(`- navigation → first product card, cold (new context): ${stats(cards.cold)}`);
    console.log(`- navigation → first product card, warm (reload): ${stats(cards.warm)}`);
    console.log(`- "Place order" → "Order confirmed" (card, one line): ${stats(checkout)}`);
  } finally {
    await browser.close();
    await stack?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
