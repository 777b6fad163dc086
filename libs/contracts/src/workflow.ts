import { z } from 'zod';

/**
 * Input of the checkout state machine. API Gateway's request template and the local
 * gateway build it the same way: the raw body (validated again inside the workflow,
 * because StartSyncExecution can be called directly), the Idempotency-Key header and,
 * once an authorizer is configured, the authenticated customer.
 */
export const CheckoutWorkflowInputSchema = z.object({
  body: z.unknown(),
  idempotencyKey: z.string().nullable(),
  authorizedCustomerId: z.string().nullable(),
  requestId: z.string(),
});
export type CheckoutWorkflowInput = z.infer<typeof CheckoutWorkflowInputSchema>;

/** Output of the checkout state machine: the HTTP answer, mapped by the response templates. */
export const CheckoutWorkflowOutputSchema = z.object({
  statusCode: z.number().int().min(200).max(599),
  headers: z.record(z.string(), z.string()).default({}),
  body: z.unknown(),
});
export type CheckoutWorkflowOutput = z.infer<typeof CheckoutWorkflowOutputSchema>;
