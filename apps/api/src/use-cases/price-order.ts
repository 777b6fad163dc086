import { type CatalogRepository, priceCart } from '@orderflow/catalog';
import type { CartLine, PricedCartResult, QuoteMode } from '@orderflow/contracts';

/** Port: the price each order was first quoted (DynamoDbQuoteStore: `keys.orderQuote`). */
export interface QuoteStore {
  /** The order's quote, if one was kept. */
  get(orderId: string): Promise<PricedCartResult | undefined>;
  /** Keeps `quote` unless the order already has one; answers the order's quote (the first kept). */
  keep(orderId: string, quote: PricedCartResult): Promise<PricedCartResult>;
}

/**
 * Step 3: the order's price. Prices the cart from the catalog (client prices are never
 * trusted); for a checkout another execution may resume (it has an Idempotency-Key), the
 * first quote is kept, and an execution that took the key over (`resume`) gets that quote
 * back: the order keeps the price it was first quoted, which is what its reservations,
 * the provider's authorization (same idempotency key, same amount) and a saved order
 * already hold, even if the catalog price changed since.
 */
export async function priceOrder(
  catalog: CatalogRepository,
  quotes: QuoteStore,
  input: { orderId: string; items: readonly CartLine[]; quote: QuoteMode },
): Promise<PricedCartResult> {
  if (input.quote === 'resume') {
    const kept = await quotes.get(input.orderId);
    if (kept) return kept;
  }
  const cart = await priceCart(catalog, input.items);
  const priced: PricedCartResult = { lines: cart.lines, total: cart.total, currency: cart.currency };
  return input.quote === 'none' ? priced : quotes.keep(input.orderId, priced);
}
