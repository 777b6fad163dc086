// Public API of @orderflow/inventory: stock reservations. See README.md.
export {
  DynamoDbInventoryRepository,
  type DynamoDbInventoryRepositoryOptions,
} from './dynamodb-inventory-repository';
export {
  InventoryRecordInvalidError,
  OutOfStockError,
  ReservationMismatchError,
  ReservationReleasedError,
  type StockShortage,
} from './errors';
export { InMemoryInventoryRepository } from './in-memory-inventory-repository';
export {
  getStock,
  type LineReservation,
  listReservations,
  type OrderReservation,
  release,
  type ReleaseResult,
  reserve,
  reserveLine,
  type ReservationLine,
  ReservationLineSchema,
} from './inventory';
export type {
  InventoryRepository,
  ReleaseAttempt,
  Reservation,
  ReservationStatus,
  ReserveAttempt,
  StockLevel,
} from './inventory-repository';
export { DEFAULT_CONFLICT_RETRY, type RetryPolicy } from './retry';
