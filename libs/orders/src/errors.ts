import { errorBody, type ErrorBody, OrderflowError } from '@orderflow/contracts';

/** Errors that mean a bug or bad data, never the client's fault: the body stays generic. */
abstract class InternalOrderError extends OrderflowError {
  constructor(message: string) {
    super('INTERNAL', message);
  }

  override toBody(): ErrorBody {
    return errorBody('INTERNAL');
  }
}

/** Another order is already saved under this id. Nothing was overwritten. */
export class OrderConflictError extends InternalOrderError {
  override name = 'OrderConflictError';
  constructor(readonly orderId: string) {
    super(`Another order is already saved as ${orderId}; it was not overwritten.`);
  }
}

/** The asked change does not follow from the order's current state (e.g. capture after a refund). */
export class OrderUpdateRejectedError extends InternalOrderError {
  override name = 'OrderUpdateRejectedError';
  constructor(
    readonly orderId: string,
    readonly from: string,
    readonly to: string,
  ) {
    super(`Order ${orderId}: payment ${from} cannot become ${to}.`);
  }
}

/** A stored order does not match the Order schema. */
export class OrderRecordInvalidError extends InternalOrderError {
  override name = 'OrderRecordInvalidError';
  constructor(key: { PK: string; SK: string }, problem: string) {
    super(`Order item ${key.PK}/${key.SK} is not valid: ${problem}`);
  }
}
