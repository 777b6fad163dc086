import { priceCart } from '@orderflow/catalog';
import { type PricedCartResult, PriceCartTaskInputSchema } from '@orderflow/contracts';
import { workflowTask } from '../task';
import { catalog } from '../wiring/catalog';

/** Step 3: price the cart from the catalog (client prices are never trusted). */
export const handler = workflowTask('price-cart', PriceCartTaskInputSchema, async (input): Promise<PricedCartResult> => {
  const cart = await priceCart(catalog(), input.items);
  return { lines: cart.lines, total: cart.total, currency: cart.currency };
});
