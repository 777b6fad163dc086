#!/usr/bin/env -S npx tsx
// Runs the Stripe and PayPal sandboxes by themselves:
//   npm start -w @orderflow/payment-sandboxes -- [--stripe-port 12111] [--paypal-port 12112] [--host 127.0.0.1] [--data-dir <dir>]
// Port 0 takes a free port. With --data-dir the ledgers (what the providers remember) survive a restart. The printed variables point @orderflow/payments at them.
// --ready-json (for startPaymentSandboxesProcess): prints only one JSON line, the addresses and
// variables, once both listen; and stops if the parent process goes.
import { parseArgs } from 'node:util';
import type { PaymentSandboxesReady } from './sandboxes-process';
import { type PaymentSandboxes, startPaymentSandboxes } from './start-payment-sandboxes';

const { values } = parseArgs({
  options: {
    'stripe-port': { type: 'string', default: '12111' },
    'paypal-port': { type: 'string', default: '12112' },
    host: { type: 'string', default: '127.0.0.1' },
    'stripe-secret-key': { type: 'string' },
    'paypal-client-id': { type: 'string' },
    'paypal-client-secret': { type: 'string' },
    'data-dir': { type: 'string' },
    'ready-json': { type: 'boolean', default: false },
  },
});

const port = (text: string, flag: string): number => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    console.error(`--${flag} must be a port number (0 for any free port), got ${text}`);
    process.exit(2);
  }
  return n;
};

const readyJson = values['ready-json'];
try {
  if (!readyJson) console.log('starting the payment sandboxes...');
  const sandboxes = await startPaymentSandboxes({
    ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}),
    stripe: {
      host: values.host,
      port: port(values['stripe-port'], 'stripe-port'),
      // A fixed, well-known key keeps a developer's .env working across restarts.
      secretKey: values['stripe-secret-key'] ?? 'sk_test_orderflow_sandbox',
    },
    paypal: {
      host: values.host,
      port: port(values['paypal-port'], 'paypal-port'),
      clientId: values['paypal-client-id'] ?? 'orderflow-sandbox-client',
      clientSecret: values['paypal-client-secret'] ?? 'orderflow-sandbox-secret',
    },
  });
  const shutdown = () => {
    void sandboxes.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  if (readyJson) {
    const ready: PaymentSandboxesReady = { stripe: { url: sandboxes.stripe.url }, paypal: { url: sandboxes.paypal.url }, env: sandboxes.env };
    console.log(JSON.stringify(ready));
    // setpriv --pdeathsig covers a SIGKILLed parent on Linux; this covers the rest.
    const parent = process.ppid;
    setInterval(() => {
      if (process.ppid !== parent) shutdown();
    }, 1000).unref();
  } else {
    printBanner(sandboxes);
  }
} catch (error) {
  console.error(`could not start the payment sandboxes: ${(error as Error).message}`);
  process.exit(1);
}

function printBanner(sandboxes: PaymentSandboxes): void {
  console.log(`Stripe sandbox  ${sandboxes.stripe.url}   (inspect: ${sandboxes.stripe.url}/_sandbox/payment_intents)`);
  console.log(`PayPal sandbox  ${sandboxes.paypal.url}   (inspect: ${sandboxes.paypal.url}/_sandbox/orders)`);
  console.log(values['data-dir'] ? `Ledgers kept in ${values['data-dir']} across restarts` : 'Ledgers in memory (--data-dir keeps them across restarts)');
  console.log('Faults: POST <url>/_sandbox/faults {"errorRate":0.5} · request log: GET <url>/_sandbox/requests');
  console.log('Sandbox credentials for @orderflow/payments (test values, not real secrets):');
  for (const [name, value] of Object.entries(sandboxes.env)) console.log(`  ${name}=${value}`);
  console.log('Ctrl-C stops them.');
}
