import { type PaypalSandbox, type PaypalSandboxOptions, startPaypalSandbox } from './paypal/paypal-sandbox';
import { type StripeSandbox, type StripeSandboxOptions, startStripeSandbox } from './stripe/stripe-sandbox';

export interface PaymentSandboxesOptions {
  stripe?: StripeSandboxOptions;
  paypal?: PaypalSandboxOptions;
  /** Keep both ledgers in this folder (`stripe.jsonl`, `paypal.jsonl`) across restarts; default in memory. */
  dataDir?: string;
}

export interface PaymentSandboxes {
  stripe: StripeSandbox;
  paypal: PaypalSandbox;
  /** The environment variables of `@orderflow/payments` that point it at both sandboxes. */
  env: StripeSandbox['env'] & PaypalSandbox['env'];
  /** Clears the state, faults and request logs of both. */
  reset(): void;
  stop(): Promise<void>;
}

/** Starts the Stripe and PayPal sandboxes side by side, each on a free port unless told otherwise. */
export async function startPaymentSandboxes(options: PaymentSandboxesOptions = {}): Promise<PaymentSandboxes> {
  const dataDir = options.dataDir === undefined ? {} : { dataDir: options.dataDir };
  const stripe = await startStripeSandbox({ ...dataDir, ...options.stripe });
  let paypal: PaypalSandbox;
  try {
    paypal = await startPaypalSandbox({ ...dataDir, ...options.paypal });
  } catch (error) {
    await stripe.stop();
    throw error;
  }
  return {
    stripe,
    paypal,
    env: { ...stripe.env, ...paypal.env },
    reset: () => {
      stripe.reset();
      paypal.reset();
    },
    stop: async () => {
      await Promise.all([stripe.stop(), paypal.stop()]);
    },
  };
}
