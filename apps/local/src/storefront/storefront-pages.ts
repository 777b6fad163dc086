import { existsSync, readFileSync, statSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import type { IncomingRequest } from '@orderflow/local-aws';
import { TEST_PAYMENT_METHODS } from '@orderflow/payment-sandboxes';

/**
 * The storefront at /shop/ on the API's origin: its built files, its `config.json` (the
 * development issuer for sign-in, the Stripe sandbox's test cards), and index.html for every
 * other path under /shop/ (the return from PayPal's approval page is one).
 */

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/** The sandbox's test cards as the checkout lists them: "Visa •••• 9995 · declined: insufficient funds". */
export function testCards(): { id: string; label: string }[] {
  return Object.entries(TEST_PAYMENT_METHODS)
    .filter(([, method]) => method.outcome.kind !== 'requires_action')
    .map(([id, method]) => {
      const brand = method.card.brand.charAt(0).toUpperCase() + method.card.brand.slice(1);
      const outcome = method.outcome.kind === 'declines' ? `declined: ${method.outcome.declineCode.replace(/_/g, ' ')}` : 'pays';
      return { id, label: `${brand} •••• ${method.card.last4} · ${outcome}` };
    });
}

export function storefrontConfig(): Record<string, unknown> {
  return { apiBaseUrl: '', auth: { mode: 'local', tokenUrl: '/_local/auth/token' }, testCards: testCards() };
}

function send(res: ServerResponse, status: number, type: string, body: Buffer | string, headers: Record<string, string> = {}, head = false): true {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), ...headers });
  res.end(head ? undefined : body);
  return true;
}

export function createStorefrontPages(dir: string): (request: IncomingRequest, res: ServerResponse) => boolean {
  const config = `${JSON.stringify(storefrontConfig())}\n`;
  const index = () => readFileSync(join(dir, 'index.html'));
  return (request, res) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return false;
    const head = request.method === 'HEAD';
    if (request.path === '/shop') {
      res.writeHead(301, { Location: '/shop/' });
      res.end();
      return true;
    }
    if (!request.path.startsWith('/shop/')) return false;
    const rest = decodeURIComponent(request.path.slice('/shop/'.length));
    if (rest === 'config.json') return send(res, 200, 'application/json', config, { 'Cache-Control': 'no-store' }, head);
    const file = normalize(join(dir, rest));
    if (rest !== '' && file.startsWith(`${dir}${sep}`) && existsSync(file) && statSync(file).isFile()) {
      // Vite names assets by their content: they never change under one name.
      const cache = rest.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
      return send(res, 200, TYPES[extname(file)] ?? 'application/octet-stream', readFileSync(file), { 'Cache-Control': cache }, head);
    }
    return send(res, 200, TYPES['.html'] as string, index(), { 'Cache-Control': 'no-cache' }, head);
  };
}
