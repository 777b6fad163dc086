import type { ProductPage } from '@orderflow/contracts';
import { useEffect, useState } from 'preact/hooks';
import { describeFailure } from '../outcome';
import { html } from '../html';
import { formatMoney } from '../money';
import type { Shop } from '../shop';
import { Alert } from './layout';

/** The catalog: a page of product cards, each with its price and what is left, and the next/previous page. */
export function CatalogView({ shop, onCartChange }: { shop: Shop; onCartChange: () => void }) {
  const [tokens, setTokens] = useState<(string | null)[]>([null]);
  const [page, setPage] = useState<ProductPage | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [added, setAdded] = useState<string | undefined>();
  const current = tokens[tokens.length - 1] ?? null;

  useEffect(() => {
    let live = true;
    setPage(undefined);
    shop.api.listProducts(current).then(
      (result) => live && (setPage(result), setError(undefined)),
      (e: unknown) => live && setError(describeFailure(e).message),
    );
    return () => void (live = false);
  }, [current]);

  if (error) return html`<${Alert} message=${error} />`;
  if (!page) return html`<p role="status">Loading products…</p>`;
  return html`
    <h1>Products</h1>
    ${added ? html`<p role="status" class="added">${added} added to your cart.</p>` : null}
    <ul class="products">
      ${page.items.map(
        (product) => html`
          <li class="product" key=${product.productId}>
            <h2>${product.name}</h2>
            ${product.description ? html`<p class="description">${product.description}</p>` : null}
            <p class="price">${formatMoney(product.price)}</p>
            <p class=${product.available > 0 ? 'stock' : 'stock out'}>${product.available > 0 ? `${product.available} in stock` : 'Out of stock'}</p>
            <button
              type="button"
              aria-label=${`Add ${product.name} to cart`}
              disabled=${product.available === 0}
              onClick=${() => {
                shop.cart.add(product);
                setAdded(product.name);
                onCartChange();
              }}
            >
              Add to cart
            </button>
          </li>
        `,
      )}
    </ul>
    <nav class="pager" aria-label="Pages">
      ${tokens.length > 1 ? html`<button type="button" onClick=${() => setTokens(tokens.slice(0, -1))}>Previous page</button>` : null}
      ${page.nextToken ? html`<button type="button" onClick=${() => setTokens([...tokens, page.nextToken])}>Next page</button>` : null}
    </nav>
  `;
}
