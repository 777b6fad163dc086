import { createDocumentClient, LOAD_CATALOG_PATH, loadCatalogFile, resolveTarget, seedCatalog } from '@orderflow/seed';
import { LocalInspection } from './executions';
import { checkoutRequest, type Credential, LOAD_PRODUCT_IDS, orderIdFromCheckout } from './scenarios';

export class TargetNotReadyError extends Error {
  override name = 'TargetNotReadyError';
}

/**
 * Makes sure the target holds the load products. A local stack (it answers `/_local/info`)
 * is seeded with the load catalog through its DynamoDB Local endpoint, as
 * `npm run seed -- --load --endpoint <endpoint>` would; any other target must be seeded first.
 */
export async function ensureLoadCatalog(baseUrl: string, log: (line: string) => void): Promise<void> {
  const probeProduct = LOAD_PRODUCT_IDS[0] as string;
  const probe = await fetch(`${baseUrl}/products/${probeProduct}`).catch((error: unknown) => {
    throw new TargetNotReadyError(`${baseUrl} does not answer: ${(error as Error).message}`);
  });
  if (probe.status === 200) return;
  if (probe.status !== 404) throw new TargetNotReadyError(`GET /products/${probeProduct} answered ${probe.status}`);
  const info = await new LocalInspection(baseUrl).info().catch(() => undefined);
  if (!info) {
    throw new TargetNotReadyError(
      `${baseUrl} has no product ${probeProduct}: seed the load products first (npm run seed -- --load --region <region> --table <table>)`,
    );
  }
  log(`seeding the load catalog into ${info.dynamodb.tableName} at ${info.dynamodb.endpoint} (npm run seed -- --load --endpoint ${info.dynamodb.endpoint})`);
  const target = resolveTarget({ endpoint: info.dynamodb.endpoint, table: info.dynamodb.tableName });
  const client = createDocumentClient(target);
  try {
    let last = -1;
    const report = await seedCatalog({
      client,
      tableName: target.tableName,
      catalog: loadCatalogFile(LOAD_CATALOG_PATH),
      onProgress: (progress) => {
        if (progress.phase !== 'writing') return;
        const percent = Math.floor((progress.written / progress.total) * 100);
        if (percent >= last + 25 || progress.written === progress.total) {
          last = percent;
          log(`  seeding: ${progress.written}/${progress.total} items (${percent}%)`);
        }
      },
    });
    log(`  seeded ${report.total} products: ${report.created} created, ${report.updated} updated, ${report.unchanged} unchanged`);
  } finally {
    client.destroy();
  }
}

/** Places `count` checkouts of the scenario as the customer of `credential` (for reads to read back); their order ids. */
export async function placeOrders(baseUrl: string, runId: string, count: number, credential: Credential): Promise<string[]> {
  const orderIds: string[] = [];
  for (let n = 0; n < count; n++) {
    const request = checkoutRequest(runId, n, [credential]);
    const response = await fetch(`${baseUrl}${request.path}`, { method: request.method, headers: request.headers, body: request.body ?? null });
    const body = await response.text();
    const orderId = response.status === 201 ? orderIdFromCheckout(body, response.headers.get('location')) : undefined;
    if (!orderId) throw new TargetNotReadyError(`setup: checkout ${n} answered ${response.status}: ${body.slice(0, 300)}`);
    orderIds.push(orderId);
  }
  return orderIds;
}
