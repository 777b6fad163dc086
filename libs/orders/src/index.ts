// Public API of @orderflow/orders: order records and queries. See README.md.
export { DynamoDbOrderRepository } from './dynamodb-order-repository';
export { OrderConflictError, OrderRecordInvalidError, OrderUpdateRejectedError } from './errors';
export { InMemoryOrderRepository } from './in-memory-order-repository';
export type {
  CreateOrderAttempt,
  OrderChange,
  OrderRecord,
  OrderRecordPage,
  OrderRepository,
  OrderStatus,
  PaymentReference,
  UpdateOrderAttempt,
} from './order-repository';
export {
  DEFAULT_PAGE_LIMIT,
  getOrder,
  getOrderRecord,
  listCustomerOrders,
  MAX_PAGE_LIMIT,
  saveOrder,
  type SaveOrderOptions,
  type SaveOrderResult,
  updateOrder,
} from './orders';
