import { type PricedCartResult, PriceCartTaskInputSchema } from '@orderflow/contracts';
import { workflowTask } from '../task';
import { priceOrder } from '../use-cases/price-order';
import { catalog } from '../wiring/catalog';
import { quotes } from '../wiring/quotes';

/** Step 3: price the cart from the catalog (client prices are never trusted); a resumed order keeps its first quote. */
export const handler = workflowTask('price-cart', PriceCartTaskInputSchema, async (input): Promise<PricedCartResult> =>
  priceOrder(catalog(), quotes(), input),
);
