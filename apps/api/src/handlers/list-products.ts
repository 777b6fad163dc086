import { listProducts } from '@orderflow/catalog';
import { PageQuerySchema } from '@orderflow/contracts';
import { httpRoute, ok, parseQuery } from '../http';
import { catalog } from '../wiring/catalog';

/** GET /products: one page of products with their availability. */
export const handler = httpRoute('GET /products', async (event) => {
  const query = parseQuery(event, PageQuerySchema);
  return ok(await listProducts(catalog(), query));
});
