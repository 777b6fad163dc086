import { z } from 'zod';
import { CustomerIdSchema, OrderIdSchema, PaymentMethodSchema, ProductIdSchema } from './http';
import { MoneySchema } from './money';

export const EVENT_BUS_NAME = 'orderflow';
export const EVENT_SOURCE = 'orderflow.orders';

export const ORDER_PLACED = 'OrderPlaced';
export const ORDER_REJECTED = 'OrderRejected';
export const EVENT_DETAIL_TYPES = [ORDER_PLACED, ORDER_REJECTED] as const;
export type EventDetailType = (typeof EVENT_DETAIL_TYPES)[number];

/**
 * The id of an order's event, the same however often it is published (a Step Functions
 * retry, an outbox redrive): consumers deduplicate on it. EventBridge gives every PutEvents
 * entry a new envelope id, so a stable id has to travel in the detail.
 */
export function orderEventId(orderId: string, detailType: EventDetailType): string {
  return `${orderId}#${detailType}`;
}
export const EventIdSchema = z.string().min(1).max(200);

export const OrderPlacedDetailSchema = z.object({
  /** Stable event id (`orderEventId`); absent only in events from before it existed. */
  eventId: EventIdSchema.optional(),
  orderId: OrderIdSchema,
  customerId: CustomerIdSchema,
  total: MoneySchema,
  items: z
    .array(
      z.object({
        productId: ProductIdSchema,
        name: z.string(),
        quantity: z.number().int().min(1),
        unitPrice: MoneySchema,
      }),
    )
    .min(1),
  payment: z.object({
    method: PaymentMethodSchema,
    provider: z.enum(['stripe', 'paypal']),
    reference: z.string(),
  }),
  placedAt: z.iso.datetime(),
});
export type OrderPlacedDetail = z.infer<typeof OrderPlacedDetailSchema>;

export const OrderRejectedDetailSchema = z.object({
  eventId: EventIdSchema.optional(),
  orderId: OrderIdSchema,
  customerId: CustomerIdSchema,
  reason: z.object({
    code: z.string(),
    message: z.string(),
  }),
  rejectedAt: z.iso.datetime(),
});
export type OrderRejectedDetail = z.infer<typeof OrderRejectedDetailSchema>;

export const eventDetailSchemas = {
  [ORDER_PLACED]: OrderPlacedDetailSchema,
  [ORDER_REJECTED]: OrderRejectedDetailSchema,
} as const satisfies Record<EventDetailType, z.ZodType>;

/** An EventBridge event as delivered to a target. */
export interface EventBridgeEnvelope<TDetailType extends string = string, TDetail = unknown> {
  version: '0';
  id: string;
  'detail-type': TDetailType;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: TDetail;
}
