import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Logger } from '@aws-lambda-powertools/logger';
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { type PaymentSandboxes, startPaymentSandboxes, startStripeSandbox } from '@orderflow/payment-sandboxes';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createPaymentGatewayFromEnv } from './create-payment-gateway';
import { PaymentConfigurationError, PaymentDeclinedError, PaymentProviderUnavailableError } from './errors';
import { capturingLogger, expectNoSecrets, failureOf, newOrderId } from './test/harness';

// The factory the Lambda handlers call, end to end: settings from environment variables,
// credentials from them or from Secrets Manager, the real SDKs against both sandboxes.

const usd = (amount: number) => ({ amount, currency: 'USD' });
const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:orderflow/payments-AbCdEf';

/**
 * A stand-in for Secrets Manager's JSON API (GetSecretValue), so the real AWS SDK client
 * inside Powertools' SecretsProvider does a real HTTP round trip. No emulator of Secrets
 * Manager is installed here.
 */
interface FakeSecretsManager {
  url: string;
  secretString: string | undefined;
  failWith: string | undefined;
  calls: number;
  stop(): Promise<void>;
}

async function startFakeSecretsManager(): Promise<FakeSecretsManager> {
  const state: FakeSecretsManager = { url: '', secretString: undefined, failWith: undefined, calls: 0, stop: async () => undefined };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      state.calls++;
      const target = req.headers['x-amz-target'];
      const { SecretId } = JSON.parse(body || '{}') as { SecretId?: string };
      const send = (status: number, payload: unknown) => {
        res.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.1', 'x-amzn-RequestId': `req-${state.calls}` });
        res.end(JSON.stringify(payload));
      };
      if (target !== 'secretsmanager.GetSecretValue') return send(400, { __type: 'UnknownOperationException' });
      if (state.failWith) return send(400, { __type: state.failWith, message: `simulated ${state.failWith}` });
      if (SecretId !== SECRET_ARN || state.secretString === undefined) {
        return send(400, { __type: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret." });
      }
      send(200, {
        ARN: SECRET_ARN,
        Name: 'orderflow/payments',
        SecretString: state.secretString,
        VersionId: `v${state.calls}`,
        VersionStages: ['AWSCURRENT'],
        CreatedDate: Date.now() / 1000,
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.stop = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return state;
}

let sandboxes: PaymentSandboxes;
let secretsManager: FakeSecretsManager;
const logger = capturingLogger();
const errorTexts: string[] = [];
const secretsInPlay: string[] = [];

const secretsProvider = () =>
  new SecretsProvider({
    clientConfig: {
      endpoint: secretsManager.url,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
      maxAttempts: 1,
    },
  });

const fastEnv = { PAYMENT_TIMEOUT_MS: '1000', PAYMENT_MAX_RETRIES: '1', PAYMENT_RETRY_BASE_DELAY_MS: '5' };

beforeAll(async () => {
  sandboxes = await startPaymentSandboxes();
  secretsManager = await startFakeSecretsManager();
  secretsInPlay.push(
    sandboxes.stripe.secretKey,
    sandboxes.paypal.clientSecret,
    Buffer.from(`${sandboxes.paypal.clientId}:${sandboxes.paypal.clientSecret}`).toString('base64'),
  );
});

afterAll(async () => {
  expectNoSecrets([...logger.lines, ...errorTexts], [...secretsInPlay, ...sandboxes.paypal.issuedAccessTokens()]);
  await Promise.all([sandboxes.stop(), secretsManager.stop()]);
});

describe('createPaymentGatewayFromEnv', () => {
  it('routes card and apple_pay to Stripe and paypal to PayPal, with settings from environment variables', async () => {
    const gateway = await createPaymentGatewayFromEnv({ ...sandboxes.env, ...fastEnv }, { logger });

    const cardOrder = newOrderId();
    const card = await gateway.authorize({ orderId: cardOrder, amount: usd(2598), payment: { method: 'card', paymentMethodId: 'pm_card_visa' } });
    const walletOrder = newOrderId();
    const wallet = await gateway.authorize({ orderId: walletOrder, amount: usd(1299), payment: { method: 'apple_pay', paymentMethodId: 'pm_card_mastercard' } });

    const created = await gateway.createPaypalOrder({ amount: usd(3100), customerId: 'cust-7', requestKey: 'cust-7:idem-1' });
    expect(created.approveUrl).toContain(sandboxes.paypal.url);
    sandboxes.paypal.approveOrder(created.paypalOrderId);
    const paypalOrder = newOrderId();
    const paypal = await gateway.authorize({ orderId: paypalOrder, amount: usd(3100), payment: { method: 'paypal', paypalOrderId: created.paypalOrderId } });

    expect([card.provider, wallet.provider, paypal.provider]).toEqual(['stripe', 'stripe', 'paypal']);
    expect(sandboxes.stripe.paymentIntent(card.authorizationId)?.metadata.order_id).toBe(cardOrder);
    expect(sandboxes.stripe.paymentIntent(wallet.authorizationId)?.metadata.wallet).toBe('apple_pay');
    expect(sandboxes.paypal.order(created.paypalOrderId)?.authorizations[0]?.id).toBe(paypal.authorizationId);

    // Saga steps through the router: capture one, void one, capture and refund the third.
    await gateway.capture({ orderId: cardOrder, method: 'card', authorizationId: card.authorizationId });
    await gateway.void({ orderId: walletOrder, method: 'apple_pay', authorizationId: wallet.authorizationId });
    const paypalCapture = await gateway.capture({ orderId: paypalOrder, method: 'paypal', authorizationId: paypal.authorizationId });
    await gateway.refund({ orderId: paypalOrder, method: 'paypal', authorizationId: paypal.authorizationId, captureId: paypalCapture.captureId });

    expect(sandboxes.stripe.paymentIntent(card.authorizationId)?.status).toBe('succeeded');
    expect(sandboxes.stripe.paymentIntent(wallet.authorizationId)?.status).toBe('canceled');
    expect(sandboxes.paypal.order(created.paypalOrderId)?.captures[0]?.status).toBe('REFUNDED');
  });

  it('takes the Stripe host, port and protocol as separate variables too', async () => {
    const { stripe } = sandboxes;
    const gateway = await createPaymentGatewayFromEnv(
      { STRIPE_SECRET_KEY: stripe.secretKey, STRIPE_HOST: stripe.host, STRIPE_PORT: String(stripe.port), STRIPE_PROTOCOL: 'http', ...fastEnv },
      { logger },
    );
    const auth = await gateway.authorize({ orderId: newOrderId(), amount: usd(500), payment: { method: 'card', paymentMethodId: 'pm_card_amex' } });
    expect(sandboxes.stripe.paymentIntent(auth.authorizationId)?.status).toBe('requires_capture');
  });

  it('surfaces declines and transient faults through the router with their stable names', async () => {
    const gateway = await createPaymentGatewayFromEnv({ ...sandboxes.env, ...fastEnv }, { logger });
    const declined = await failureOf(
      gateway.authorize({ orderId: newOrderId(), amount: usd(500), payment: { method: 'card', paymentMethodId: 'pm_card_chargeDeclinedInsufficientFunds' } }),
      errorTexts,
    );
    expect(declined).toBeInstanceOf(PaymentDeclinedError);
    expect(declined.name).toBe('PaymentDeclinedError');

    sandboxes.stripe.faults.set({ hangRate: 1 });
    try {
      const hung = await failureOf(
        createPaymentGatewayFromEnv({ ...sandboxes.env, PAYMENT_TIMEOUT_MS: '200', PAYMENT_MAX_RETRIES: '0' }, { logger }).then((g) =>
          g.authorize({ orderId: newOrderId(), amount: usd(500), payment: { method: 'card', paymentMethodId: 'pm_card_visa' } }),
        ),
        errorTexts,
      );
      expect(hung).toBeInstanceOf(PaymentProviderUnavailableError);
      expect(hung.name).toBe('PaymentProviderUnavailableError');
    } finally {
      sandboxes.stripe.faults.clear();
    }
  });

  it('rejects a payload that does not fit the port, before any provider call', async () => {
    const gateway = await createPaymentGatewayFromEnv({ ...sandboxes.env, ...fastEnv }, { logger });
    const before = sandboxes.stripe.requests().length;
    const error = await failureOf(
      gateway.authorize({ orderId: 'not-an-order-id', amount: usd(-5), payment: { method: 'card', paymentMethodId: 'pm_card_visa' } }),
      errorTexts,
    );
    expect(error).toMatchObject({ name: 'PaymentRequestRejectedError', providerCode: 'invalid_input' });
    expect(error.message).toContain('orderId');
    expect(sandboxes.stripe.requests().length).toBe(before);
  });

  it('logs through a Powertools Logger as JSON lines, none with a secret', async () => {
    const written: string[] = [];
    // Powertools writes ERROR lines to stderr, the others to stdout.
    const capture = (chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    };
    const spies = [vi.spyOn(process.stdout, 'write').mockImplementation(capture), vi.spyOn(process.stderr, 'write').mockImplementation(capture)];
    try {
      const powertools = new Logger({ serviceName: 'payments-test', logLevel: 'DEBUG' });
      const gateway = await createPaymentGatewayFromEnv({ ...sandboxes.env, ...fastEnv }, { logger: powertools });
      await gateway.authorize({ orderId: newOrderId(), amount: usd(700), payment: { method: 'card', paymentMethodId: 'pm_card_visa' } });
      await gateway
        .authorize({ orderId: newOrderId(), amount: usd(700), payment: { method: 'card', paymentMethodId: 'pm_card_chargeDeclined' } })
        .catch((e: unknown) => errorTexts.push(String(e)));
      const wrongKey = await createPaymentGatewayFromEnv(
        { ...sandboxes.env, ...fastEnv, STRIPE_SECRET_KEY: 'sk_test_rotated_away_0000000000' },
        { logger: powertools },
      );
      await wrongKey
        .authorize({ orderId: newOrderId(), amount: usd(700), payment: { method: 'card', paymentMethodId: 'pm_card_visa' } })
        .catch((e: unknown) => errorTexts.push(String(e)));
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
    const lines = written.join('').split('\n').filter((l) => l.trim() !== '');
    const parsed = lines.map((l) => JSON.parse(l) as { message: string; service: string; level: string });
    expect(parsed.map((l) => l.message)).toEqual(
      expect.arrayContaining(['payment authorized', 'payment provider call failed', 'payment provider rejected the credentials']),
    );
    expect(parsed.every((l) => l.service === 'payments-test')).toBe(true);
    logger.lines.push(...lines);
    expectNoSecrets(lines, [...secretsInPlay, 'sk_test_rotated_away_0000000000']);
  });
});

describe('credentials from AWS Secrets Manager (PAYMENT_SECRETS_ARN)', () => {
  const secretEnv = () => ({
    PAYMENT_SECRETS_ARN: SECRET_ARN,
    STRIPE_API_BASE: sandboxes.stripe.url,
    PAYPAL_BASE_URL: sandboxes.paypal.url,
    ...fastEnv,
  });

  it('reads the keys from the secret once, caches them, and pays with them', async () => {
    secretsManager.failWith = undefined;
    secretsManager.secretString = JSON.stringify({
      STRIPE_SECRET_KEY: sandboxes.stripe.secretKey,
      PAYPAL_CLIENT_ID: sandboxes.paypal.clientId,
      PAYPAL_CLIENT_SECRET: sandboxes.paypal.clientSecret,
    });
    const callsBefore = secretsManager.calls;
    const gateway = await createPaymentGatewayFromEnv(secretEnv(), { logger, secretsProvider: secretsProvider() });
    await gateway.authorize({ orderId: newOrderId(), amount: usd(800), payment: { method: 'card', paymentMethodId: 'pm_card_visa' } });
    const created = await gateway.createPaypalOrder({ amount: usd(800) });
    sandboxes.paypal.approveOrder(created.paypalOrderId);
    await gateway.authorize({ orderId: newOrderId(), amount: usd(800), payment: { method: 'paypal', paypalOrderId: created.paypalOrderId } });
    expect(secretsManager.calls - callsBefore).toBe(1);
  });

  it('picks up a rotated Stripe key when Stripe rejects the cached one', async () => {
    const rotated = await startStripeSandbox();
    secretsInPlay.push(rotated.secretKey);
    try {
      const oldKey = `sk_test_before_rotation_${'z'.repeat(16)}`;
      secretsInPlay.push(oldKey);
      secretsManager.failWith = undefined;
      secretsManager.secretString = JSON.stringify({ STRIPE_SECRET_KEY: oldKey });
      const gateway = await createPaymentGatewayFromEnv(
        { ...secretEnv(), STRIPE_API_BASE: rotated.url },
        { logger, secretsProvider: secretsProvider() },
      );
      secretsManager.secretString = JSON.stringify({ STRIPE_SECRET_KEY: rotated.secretKey });
      const callsBefore = secretsManager.calls;
      const orderId = newOrderId();
      const auth = await gateway.authorize({ orderId, amount: usd(900), payment: { method: 'card', paymentMethodId: 'pm_card_visa' } });
      expect(rotated.paymentIntent(auth.authorizationId)?.status).toBe('requires_capture');
      expect(secretsManager.calls - callsBefore).toBe(1);
      expect(rotated.requests().map((r) => r.status)).toEqual([401, 200]);
    } finally {
      await rotated.stop();
    }
  });

  it('fails at creation with PaymentConfigurationError when the secret cannot be read', async () => {
    secretsManager.secretString = undefined;
    secretsManager.failWith = undefined;
    const missing = await failureOf(createPaymentGatewayFromEnv(secretEnv(), { logger, secretsProvider: secretsProvider() }), errorTexts);
    expect(missing).toBeInstanceOf(PaymentConfigurationError);
    expect(missing).toMatchObject({ setting: 'PAYMENT_SECRETS_ARN' });
    expect(missing.message).toContain('ResourceNotFoundException');

    secretsManager.failWith = 'AccessDeniedException';
    const denied = await failureOf(createPaymentGatewayFromEnv(secretEnv(), { logger, secretsProvider: secretsProvider() }), errorTexts);
    expect(denied.message).toContain('AccessDeniedException');
    secretsManager.failWith = undefined;
  });

  it('treats Secrets Manager throttling as transient', async () => {
    secretsManager.failWith = 'ThrottlingException';
    try {
      const throttled = await failureOf(createPaymentGatewayFromEnv(secretEnv(), { logger, secretsProvider: secretsProvider() }), errorTexts);
      expect(throttled).toBeInstanceOf(PaymentProviderUnavailableError);
      expect(throttled).toMatchObject({ reason: 'secrets' });
    } finally {
      secretsManager.failWith = undefined;
    }
  });

  it('never quotes the secret when its content is not the expected JSON', async () => {
    const bareKey = `sk_test_bare_string_${'q'.repeat(20)}`;
    secretsInPlay.push(bareKey);
    for (const content of [bareKey, JSON.stringify({ STRIPE_SECRET_KEY: 42, note: bareKey }), `{"STRIPE_SECRET_KEY": "${bareKey}"`]) {
      secretsManager.secretString = content;
      const error = await failureOf(createPaymentGatewayFromEnv(secretEnv(), { logger, secretsProvider: secretsProvider() }), errorTexts);
      expect(error).toBeInstanceOf(PaymentConfigurationError);
      expect(error.message).toContain('PAYMENT_SECRETS_ARN');
    }
  });
});
