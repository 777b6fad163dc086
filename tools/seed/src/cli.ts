#!/usr/bin/env -S npx tsx
// npm run seed -- [--load | --catalog <file>] [--endpoint <url>] [--table <name>] [--region <r>] [--aws] [--reset-stock]
import '@orderflow/workspace/quiet-aws-sdk';
import { parseArgs } from 'node:util';
import { ValidationError } from '@orderflow/contracts';
import { findRunningStack } from '@orderflow/workspace';
import { CatalogFileError, DEFAULT_CATALOG_PATH, LOAD_CATALOG_PATH, loadCatalogFile } from './catalog-file';
import { progressPrinter } from './progress';
import { formatSeedReport, seedCatalog } from './seed';
import { createDocumentClient, DEFAULT_LOCAL_ENDPOINT, DEFAULT_TABLE, resolveTarget, TargetError } from './target';

const USAGE = `Loads products and stock from a JSON catalog into the orderflow table. Idempotent.

usage: npm run seed -- [options]

  --catalog <file>   a catalog file (default: tools/seed/catalogs/default.json)
  --load             the high-stock load-test catalog (tools/seed/catalogs/load.json)
  --endpoint <url>   DynamoDB endpoint (default: the running npm start's DynamoDB Local,
                     else ${DEFAULT_LOCAL_ENDPOINT})
  --table <name>     table name (default: ${DEFAULT_TABLE})
  --region <region>  AWS region; without --endpoint, seeds the AWS table using the
                     normal AWS credential chain
  --aws              seed the AWS table in the environment's region (AWS_REGION)
  --reset-stock      set stock back to the catalog's numbers, even where orders consumed some
  -h, --help         this text`;

function fail(message: string, code = 1): never {
  console.error(`seed: ${message}`);
  process.exit(code);
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      catalog: { type: 'string' },
      load: { type: 'boolean', default: false },
      endpoint: { type: 'string' },
      table: { type: 'string' },
      region: { type: 'string' },
      aws: { type: 'boolean', default: false },
      'reset-stock': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  }));
} catch (error) {
  fail(`${(error as Error).message}\n\n${USAGE}`, 2);
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
if (values.load && values.catalog) fail('pass either --load or --catalog, not both', 2);

try {
  const catalogPath = values.catalog ?? (values.load ? LOAD_CATALOG_PATH : DEFAULT_CATALOG_PATH);
  const catalog = loadCatalogFile(catalogPath);
  // Nothing said about where: the stack `npm start` runs on this checkout, if one does.
  const running = values.endpoint === undefined && values.region === undefined && !values.aws ? findRunningStack() : undefined;
  const target = resolveTarget({
    endpoint: values.endpoint ?? running?.dynamodb.endpoint,
    region: values.region,
    aws: values.aws,
    table: values.table ?? running?.dynamodb.tableName,
  });
  const where = running ? ` — the DynamoDB Local of the running npm start (${running.url}, data in ${running.dataDir ?? 'memory'})` : '';
  console.log(`seeding catalog "${catalog.name}" (${catalog.products.length} products) into ${target.description}${where}`);

  const client = createDocumentClient(target);
  const progress = progressPrinter();
  try {
    const report = await seedCatalog({
      client,
      tableName: target.tableName,
      catalog,
      resetStock: values['reset-stock'],
      onProgress: progress.update,
    });
    progress.done();
    console.log(formatSeedReport(report));
  } catch (error) {
    progress.done();
    throw explain(error, target.description, target.endpoint);
  } finally {
    client.destroy();
  }
} catch (error) {
  if (error instanceof CatalogFileError || error instanceof TargetError) fail(error.message);
  if (error instanceof ValidationError) {
    fail(`${error.message}\n${(error.details ?? []).map((d) => `  - ${d.path}: ${d.message}`).join('\n')}`);
  }
  fail((error as Error).message);
}

/** Turns SDK errors a user can act on into one clear sentence. */
function explain(error: unknown, where: string, endpoint: string | undefined): Error {
  const e = error as Error & { code?: string; cause?: { code?: string } };
  const code = e.code ?? e.cause?.code;
  if (code === 'ECONNREFUSED' || /ECONNREFUSED/.test(e.message)) {
    return new Error(
      `cannot reach DynamoDB at ${endpoint ?? 'AWS'}: nothing listens there. Start DynamoDB Local with ` +
        '`npm start -w @orderflow/dynamodb-local`, or pass --endpoint.',
    );
  }
  if (e.name === 'ResourceNotFoundException') {
    return new Error(`${where} does not exist. Create it first (DynamoDB Local: \`npm start -w @orderflow/dynamodb-local\` creates it).`);
  }
  if (e.name === 'CredentialsProviderError') {
    return new Error(`no AWS credentials for ${where}: configure them (aws configure, AWS_PROFILE, ...) and run again.`);
  }
  return e instanceof Error ? e : new Error(String(error));
}
