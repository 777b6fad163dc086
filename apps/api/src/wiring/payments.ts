import { createPaymentGatewayFromEnv, type PaymentGateway, type PaypalOrderGateway } from '@orderflow/payments';
import { logger } from '../observability';
import { onResetWiring } from './lifecycle';

let gateway: Promise<PaymentGateway & PaypalOrderGateway> | undefined;
onResetWiring(() => {
  gateway = undefined;
});

/** The payment gateway (Stripe, PayPal): it needs the provider secrets (Secrets Manager in AWS), so it is created on first use. */
export function payments(): Promise<PaymentGateway & PaypalOrderGateway> {
  gateway ??= createPaymentGatewayFromEnv(process.env, { logger }).catch((error: unknown) => {
    gateway = undefined; // a later invocation tries again (e.g. Secrets Manager was throttled)
    logger.error('payment gateway could not be created', { error });
    throw error;
  });
  return gateway;
}
