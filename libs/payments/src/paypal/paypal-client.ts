// The SDK ships no types: this pulls in ours for every compilation that reaches this file
// (an import would need a runtime module).
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./paypal-checkout-server-sdk.d.ts" />
import paypal from '@paypal/checkout-server-sdk';

/**
 * A PayPal environment for any REST base URL (the SDK only knows its sandbox and live
 * hosts), so the same adapter talks to PayPal or to the local sandbox.
 */
export class PaypalCustomEnvironment extends paypal.core.PayPalEnvironment {
  constructor(clientId: string, clientSecret: string, baseUrl: string, webUrl: string = baseUrl) {
    super(clientId, clientSecret, baseUrl.replace(/\/+$/, ''), webUrl);
  }

  /** The SDK's version uses the deprecated `new Buffer()`, which warns on every process. */
  override authorizationString(): string {
    return `Basic ${Buffer.from(`${this.clientId}:${this.clientSecret}`).toString('base64')}`;
  }
}

/**
 * The SDK's HTTP client with two fixes: a configurable timeout (@paypal/paypalhttp has a
 * fixed 30 s one and no option), and a token cache of its own (the SDK shares one per
 * client id across every client in the process, whatever the base URL or secret).
 */
export class PaypalHttpClient extends paypal.core.PayPalHttpClient {
  private readonly timeoutMs: number;

  constructor(environment: PaypalCustomEnvironment, timeoutMs: number) {
    super(environment);
    this.timeoutMs = timeoutMs;
    this._cache = new paypal.core.TokenCache();
  }

  override getTimeout(): number {
    return this.timeoutMs;
  }
}

export { paypal as paypalSdk };
