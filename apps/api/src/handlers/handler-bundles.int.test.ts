import { readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

/**
 * Each handler is bundled on its own (apps/infra's NodejsFunction): what it imports from
 * `src/wiring/` decides what its bundle carries. Bundled here as the stack does, the
 * packages in each bundle are read from esbuild's metafile.
 */
const handlersDir = dirname(fileURLToPath(import.meta.url));
const handlers = readdirSync(handlersDir)
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
  .map((f) => basename(f, '.ts'));

async function packagesIn(handler: string): Promise<Set<string>> {
  const result = await build({
    entryPoints: [join(handlersDir, `${handler}.ts`)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    mainFields: ['module', 'main'],
    write: false,
    metafile: true,
    logLevel: 'error',
  });
  const packages = new Set<string>();
  for (const [input, { bytesInOutput }] of Object.entries(Object.values(result.metafile.outputs)[0]?.inputs ?? {})) {
    if (bytesInOutput === 0) continue;
    const at = input.lastIndexOf('node_modules/');
    if (at < 0) continue;
    const parts = input.slice(at + 'node_modules/'.length).split('/');
    packages.add(parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] ?? input));
  }
  return packages;
}

const PAYING = ['authorize-payment', 'capture-payment', 'void-payment', 'refund-payment', 'create-paypal-order', 'complete-compensations'];
/** The payment handlers that also use the table. */
const PAYING_WITH_TABLE = ['create-paypal-order', 'complete-compensations'];
const PUBLISHING = ['redrive-outbox'];
const STARTING_CHECKOUTS = ['recover-checkouts'];

describe('handler bundles', () => {
  it('carry the payment SDKs only where a payment is made, the EventBridge client only where events are published', { timeout: 120_000 }, async () => {
    expect(handlers).toHaveLength(21);
    for (const handler of handlers) {
      const packages = await packagesIn(handler);
      // The four payment tasks touch no table.
      expect(packages.has('@aws-sdk/client-dynamodb'), `${handler}: DynamoDB`).toBe(!PAYING.includes(handler) || PAYING_WITH_TABLE.includes(handler));
      expect(packages.has('stripe'), `${handler}: stripe`).toBe(PAYING.includes(handler));
      expect(packages.has('@paypal/checkout-server-sdk'), `${handler}: PayPal`).toBe(PAYING.includes(handler));
      expect(packages.has('@aws-sdk/client-eventbridge'), `${handler}: EventBridge`).toBe(PUBLISHING.includes(handler));
      expect(packages.has('@aws-sdk/client-sfn'), `${handler}: Step Functions`).toBe(STARTING_CHECKOUTS.includes(handler));
    }
  });
});
