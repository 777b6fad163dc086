// Public API of @orderflow/seed: load a JSON catalog of products and stock into a table.
export {
  type CatalogFile,
  CatalogFileError,
  CatalogFileSchema,
  DEFAULT_CATALOG_PATH,
  LOAD_CATALOG_PATH,
  loadCatalogFile,
  parseCatalog,
} from './catalog-file';
export { progressPrinter } from './progress';
export { formatSeedReport, seedCatalog, seedDefaultCatalog, type SeedOptions, type SeedProgress, type SeedReport } from './seed';
export {
  createDocumentClient,
  DEFAULT_LOCAL_ENDPOINT,
  DEFAULT_TABLE,
  resolveTarget,
  type Target,
  TargetError,
  type TargetOptions,
} from './target';
