/**
 * The service's own CloudWatch metrics (EMF through Powertools Metrics): one place for their
 * names, read by the handlers that emit them and by the stack's dashboard and alarms.
 */
export const METRICS_NAMESPACE = 'orderflow';

export const BUSINESS_METRICS = {
  /** Per OrderPlaced event, dimension `paymentMethod`. */
  ordersPlaced: 'OrdersPlaced',
  /** Per OrderPlaced event, the total in minor units, dimension `currency`. */
  orderValue: 'OrderValue',
  /** Per OrderRejected event, dimension `reason` (the error code: PAYMENT_DECLINED, OUT_OF_STOCK...). */
  ordersRejected: 'OrdersRejected',
} as const;

/** Per run of the compensation sweep: what it leaves pending (no dimension). */
export const COMPENSATIONS_STILL_PENDING_METRIC = 'CompensationsStillPending';

/** Per run of the compensation sweep: how long the oldest compensation it leaves pending has waited (s; no dimension). */
export const OLDEST_PENDING_COMPENSATION_METRIC = 'OldestPendingCompensationSeconds';

/** Per run of recover-checkouts: claims set aside for an operator (taken over too often without an end; no dimension). */
export const CHECKOUTS_SET_ASIDE_METRIC = 'CheckoutsSetAside';
/** Per run of recover-checkouts: how long past its lock the oldest dead checkout it found had been waiting (s). */
export const OLDEST_EXPIRED_CHECKOUT_METRIC = 'OldestExpiredCheckoutSeconds';
