import type { Order, PaymentStatus } from '@orderflow/contracts';

export type OrderStatus = Order['status'];

/** Where the payment lives at the provider: what a later capture, void or refund needs. */
export interface PaymentReference {
  provider: 'stripe' | 'paypal';
  reference: string;
}

/** An order as stored: the API's Order, plus the provider's payment reference when known. */
export interface OrderRecord {
  order: Order;
  paymentReference?: PaymentReference;
}

export type CreateOrderAttempt = { created: true } | { created: false; existing: OrderRecord };

export interface OrderChange {
  paymentStatus: PaymentStatus;
  /** Payment statuses the order may be in for the change to apply. */
  allowedFrom: readonly PaymentStatus[];
  /** A new order status (CANCELLED); the status is kept when absent. */
  status?: OrderStatus;
}

export type UpdateOrderAttempt = { updated: true; record: OrderRecord } | { updated: false; current: OrderRecord | undefined };

export interface OrderRecordPage {
  orders: Order[];
  nextToken: string | null;
}

/**
 * The orders' port. Use cases (`saveOrder`, `getOrder`, `listCustomerOrders`, `updateOrder`)
 * take it as an argument; `DynamoDbOrderRepository` is the adapter, `InMemoryOrderRepository`
 * a test double.
 */
export interface OrderRepository {
  /** Stores the order unless one with its id exists; then returns the existing one untouched. */
  create(record: OrderRecord): Promise<CreateOrderAttempt>;
  get(orderId: string): Promise<OrderRecord | undefined>;
  /** The customer's orders, newest first; a token this list did not hand out is a ValidationError. */
  listByCustomer(customerId: string, page: { limit: number; nextToken?: string | undefined }): Promise<OrderRecordPage>;
  /** Applies the change if the order exists and its payment status is one of `allowedFrom`. */
  update(orderId: string, change: OrderChange): Promise<UpdateOrderAttempt>;
}
