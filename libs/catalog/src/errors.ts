import { errorBody, type ErrorBody, OrderflowError } from '@orderflow/contracts';

/**
 * The cart holds products priced in different currencies: one payment cannot cover them.
 * The client can fix it (split the cart), so it is a validation error.
 */
export class MixedCurrencyCartError extends OrderflowError {
  override name = 'MixedCurrencyCartError';
  constructor(
    readonly currencies: string[],
    lines: { index: number; productId: string; currency: string }[],
  ) {
    super(
      'VALIDATION_FAILED',
      `The cart mixes currencies (${currencies.join(', ')}): order products of one currency at a time.`,
      lines.map((l) => ({ path: `items[${l.index}].productId`, message: `${l.productId} is priced in ${l.currency}` })),
    );
  }
}

/**
 * DynamoDB kept answering a batch with unprocessed keys or items (throttling) after every
 * retry. Transient: a caller may retry later. Clients see only the generic INTERNAL body.
 */
export class BatchRetriesExhaustedError extends OrderflowError {
  override name = 'BatchRetriesExhaustedError';
  constructor(
    readonly operation: 'BatchGetItem' | 'BatchWriteItem',
    readonly unprocessed: number,
    attempts: number,
  ) {
    super('INTERNAL', `${operation} left ${unprocessed} request(s) unprocessed after ${attempts} attempts.`);
  }

  override toBody(): ErrorBody {
    return errorBody('INTERNAL');
  }
}

/** A stored catalog item does not match its schema: a data fault, never shown to a client. */
export class CatalogRecordInvalidError extends OrderflowError {
  override name = 'CatalogRecordInvalidError';
  constructor(
    readonly key: { PK: string; SK: string },
    problem: string,
  ) {
    super('INTERNAL', `Catalog item ${key.PK}/${key.SK} is not valid: ${problem}`);
  }

  override toBody(): ErrorBody {
    return errorBody('INTERNAL');
  }
}
