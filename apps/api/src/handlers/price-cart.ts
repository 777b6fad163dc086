import { priceCart } from '@orderflow/catalog';
import { type PricedCartResult, PriceCartTaskInputSchema } from '@orderflow/contracts';
import { workflowTask } from '../task';
import { wiring } from '../wiring';

/** Step 3: price the cart from the catalog (client prices are never trusted). */
export const handler = workflowTask('price-cart', PriceCartTaskInputSchema, async (input): Promise<PricedCartResult> => {
  const cart = await priceCart(wiring().catalog, input.items);
  return { lines: cart.lines, total: cart.total, currency: cart.currency };
});
