import type { CreatePaypalOrderResponse, PaymentMethod } from '@orderflow/contracts';
import type { z } from 'zod';
import { PaymentRequestRejectedError } from './errors';
import {
  type AuthorizePaymentInput,
  AuthorizePaymentInputSchema,
  type CapturePaymentInput,
  CapturePaymentInputSchema,
  type CreatePaypalOrderInput,
  CreatePaypalOrderInputSchema,
  type PaymentAuthorization,
  type PaymentCapture,
  type PaymentGateway,
  type PaymentRefund,
  type PaymentVoid,
  type PaypalOrderGateway,
  type RefundPaymentInput,
  RefundPaymentInputSchema,
  type VoidPaymentInput,
  VoidPaymentInputSchema,
} from './payment-gateway';

export interface PaymentRouterAdapters {
  /** Takes `card` and `apple_pay`. */
  stripe: PaymentGateway;
  /** Takes `paypal`, and creates the PayPal orders buyers approve. */
  paypal: PaymentGateway & PaypalOrderGateway;
}

/**
 * The PaymentGateway the application uses: checks each payload against its schema, then
 * hands it to the adapter for `payment.method` (card and apple_pay to Stripe, paypal to
 * PayPal). Every failure is a rejected promise, never a synchronous throw.
 */
export class PaymentRouter implements PaymentGateway, PaypalOrderGateway {
  constructor(private readonly adapters: PaymentRouterAdapters) {}

  adapterFor(method: PaymentMethod): PaymentGateway {
    switch (method) {
      case 'card':
      case 'apple_pay':
        return this.adapters.stripe;
      case 'paypal':
        return this.adapters.paypal;
    }
  }

  async authorize(input: AuthorizePaymentInput): Promise<PaymentAuthorization> {
    const valid = check(AuthorizePaymentInputSchema, input, 'authorize');
    return this.adapterFor(valid.payment.method).authorize(valid);
  }

  async capture(input: CapturePaymentInput): Promise<PaymentCapture> {
    const valid = check(CapturePaymentInputSchema, input, 'capture');
    return this.adapterFor(valid.method).capture(valid);
  }

  async void(input: VoidPaymentInput): Promise<PaymentVoid> {
    const valid = check(VoidPaymentInputSchema, input, 'void');
    return this.adapterFor(valid.method).void(valid);
  }

  async refund(input: RefundPaymentInput): Promise<PaymentRefund> {
    const valid = check(RefundPaymentInputSchema, input, 'refund');
    return this.adapterFor(valid.method).refund(valid);
  }

  async createPaypalOrder(input: CreatePaypalOrderInput): Promise<CreatePaypalOrderResponse> {
    const valid = check(CreatePaypalOrderInputSchema, input, 'createPaypalOrder');
    return this.adapters.paypal.createPaypalOrder(valid);
  }
}

/**
 * Payloads come from our own workflow, already validated at the edge: one that does not
 * fit is a bug on our side, so it is a rejected request (500 to clients), not a 400.
 */
function check<T>(schema: z.ZodType<T>, input: unknown, operation: string): T {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
  throw new PaymentRequestRejectedError(
    providerOf(input),
    'invalid_input',
    `The ${operation} payload is not valid: ${problems}.`,
  );
}

function providerOf(input: unknown): 'stripe' | 'paypal' {
  const record = (input ?? {}) as { method?: unknown; payment?: { method?: unknown } };
  const method = record.method ?? record.payment?.method;
  return method === 'paypal' ? 'paypal' : 'stripe';
}
