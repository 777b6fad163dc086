import { z } from 'zod';
import { CheckoutWorkflowInputSchema, CheckoutWorkflowOutputSchema } from './workflow';
import { OrderPlacedDetailSchema, OrderRejectedDetailSchema } from './events';
import {
  CheckoutRequestSchema,
  CreatePaypalOrderRequestSchema,
  ErrorBodySchema,
  OrderPageSchema,
  OrderSchema,
  ProductPageSchema,
  ProductSchema,
} from './http';

/** Every schema published as JSON Schema, by file name. */
export const PUBLISHED_SCHEMAS = {
  'checkout-request': CheckoutRequestSchema,
  'create-paypal-order-request': CreatePaypalOrderRequestSchema,
  order: OrderSchema,
  'order-page': OrderPageSchema,
  product: ProductSchema,
  'product-page': ProductPageSchema,
  'error-body': ErrorBodySchema,
  'checkout-workflow-input': CheckoutWorkflowInputSchema,
  'checkout-workflow-output': CheckoutWorkflowOutputSchema,
  'order-placed-detail': OrderPlacedDetailSchema,
  'order-rejected-detail': OrderRejectedDetailSchema,
} as const satisfies Record<string, z.ZodType>;

export type JsonSchemaTarget = 'draft-2020-12' | 'draft-04';

export function toJsonSchema(schema: z.ZodType, target: JsonSchemaTarget = 'draft-2020-12'): Record<string, unknown> {
  // `io: 'input'`: a schema describes what a client may send, before defaults apply.
  return z.toJSONSchema(schema, { target, io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}

/** JSON Schema draft 4, the dialect of API Gateway request models. */
export function apiGatewayModelSchema(schema: z.ZodType, title: string): Record<string, unknown> {
  const json = toJsonSchema(schema, 'draft-04');
  return { ...json, title };
}
