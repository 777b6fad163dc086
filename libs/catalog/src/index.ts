// Public API of @orderflow/catalog: products and prices. See README.md.
export {
  type CatalogEntryInput,
  CatalogEntryInputSchema,
  CatalogEntriesInputSchema,
  type CatalogRepository,
  type CatalogWrite,
  type ProductDetails,
  type StoredCatalogEntry,
  type StoredCatalogPage,
  type WriteProgress,
} from './catalog-repository';
export {
  DEFAULT_PAGE_LIMIT,
  getProduct,
  getProductsByIds,
  listProducts,
  MAX_PAGE_LIMIT,
  type PutProductOutcome,
  putProducts,
  type PutProductsOptions,
  type PutProductsResult,
} from './catalog';
export {
  BATCH_GET_MAX_KEYS,
  BATCH_WRITE_MAX_ITEMS,
  DynamoDbCatalogRepository,
  type DynamoDbCatalogRepositoryOptions,
} from './dynamodb-catalog-repository';
export { BatchRetriesExhaustedError, CatalogRecordInvalidError, MixedCurrencyCartError } from './errors';
export { InMemoryCatalogRepository } from './in-memory-catalog-repository';
export { type PricedCart, priceCart } from './price-cart';
export { DEFAULT_BATCH_RETRY, type RetryPolicy } from './retry';
