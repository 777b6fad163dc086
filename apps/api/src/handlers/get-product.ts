import { getProduct } from '@orderflow/catalog';
import { httpRoute, ok, pathParameter } from '../http';
import { catalog } from '../wiring/catalog';

/** GET /products/{productId}: 200 product, 404 PRODUCT_NOT_FOUND. */
export const handler = httpRoute('GET /products/{productId}', async (event) =>
  ok(await getProduct(catalog(), pathParameter(event, 'productId'))),
);
