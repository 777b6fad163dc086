import {
  type CartLine,
  CartLineSchema,
  type Money,
  money,
  multiplyMoney,
  type OrderLine,
  sumMoney,
  UnknownProductError,
  ValidationError,
} from '@orderflow/contracts';
import { z } from 'zod';
import type { CatalogRepository } from './catalog-repository';
import { getProductsByIds } from './catalog';
import { MixedCurrencyCartError } from './errors';

export interface PricedCart {
  /** One line per product (duplicate cart lines merged), in the order products first appear. */
  lines: OrderLine[];
  total: Money;
  currency: string;
}

const CartLinesSchema = z.array(CartLineSchema).min(1, 'the cart must hold at least one item');

/**
 * Prices a cart from the catalog alone; prices a client sends are never used. Lines naming
 * the same product are merged (quantities added). Unknown products are one
 * UnknownProductError naming all of them; products priced in different currencies are a
 * MixedCurrencyCartError.
 */
export async function priceCart(catalog: CatalogRepository, lines: readonly CartLine[]): Promise<PricedCart> {
  const parsed = CartLinesSchema.safeParse(lines);
  if (!parsed.success) throw ValidationError.fromZod(parsed.error, 'The cart is not valid.');

  const merged = new Map<string, { index: number; quantity: number }>();
  parsed.data.forEach((line, index) => {
    const seen = merged.get(line.productId);
    if (seen) seen.quantity += line.quantity;
    else merged.set(line.productId, { index, quantity: line.quantity });
  });

  const products = new Map((await getProductsByIds(catalog, [...merged.keys()])).map((p) => [p.productId, p]));
  const unknown = [...merged].filter(([id]) => !products.has(id)).map(([productId, { index }]) => ({ productId, index }));
  if (unknown.length > 0) throw new UnknownProductError(unknown);

  const currencies = [...new Set([...products.values()].map((p) => p.price.currency))].sort();
  if (currencies.length > 1) {
    throw new MixedCurrencyCartError(
      currencies,
      [...merged].map(([productId, { index }]) => ({ index, productId, currency: products.get(productId)?.price.currency ?? '' })),
    );
  }
  const currency = currencies[0] ?? 'USD';

  const priced: OrderLine[] = [...merged].map(([productId, { quantity }]) => {
    const product = products.get(productId);
    if (!product) throw new UnknownProductError([productId]); // unreachable: checked above
    const unitPrice = money(product.price.amount, product.price.currency);
    return { productId, name: product.name, quantity, unitPrice, lineTotal: multiplyMoney(unitPrice, quantity) };
  });
  return { lines: priced, total: sumMoney(priced.map((l) => l.lineTotal), currency), currency };
}
