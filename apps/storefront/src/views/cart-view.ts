import { html } from '../html';
import { MAX_QUANTITY } from '../cart';
import { formatMoney } from '../money';
import { href } from '../router';
import type { Shop } from '../shop';

/** The cart: a line per product with its quantity (editable), remove, the subtotal, and Checkout. */
export function CartView({ shop, onCartChange }: { shop: Shop; onCartChange: () => void }) {
  const lines = shop.cart.lines();
  if (lines.length === 0) return html`<h1>Cart</h1><p>Your cart is empty. <a href=${href({ page: 'catalog' })}>Browse the products</a>.</p>`;
  const subtotal = shop.cart.subtotal();
  return html`
    <h1>Cart</h1>
    <table class="cart">
      <thead><tr><th scope="col">Product</th><th scope="col">Price</th><th scope="col">Quantity</th><th scope="col">Total</th><th scope="col"><span class="visually-hidden">Remove</span></th></tr></thead>
      <tbody>
        ${lines.map(
          (line) => html`
            <tr key=${line.productId}>
              <th scope="row">${line.name}</th>
              <td>${formatMoney(line.unitPrice)}</td>
              <td>
                <label class="visually-hidden" for=${`qty-${line.productId}`}>Quantity of ${line.name}</label>
                <input
                  id=${`qty-${line.productId}`}
                  type="number"
                  min="1"
                  max=${MAX_QUANTITY}
                  value=${line.quantity}
                  onChange=${(e: Event) => {
                    shop.cart.setQuantity(line.productId, Number((e.currentTarget as HTMLInputElement).value));
                    onCartChange();
                  }}
                />
              </td>
              <td>${formatMoney({ amount: line.unitPrice.amount * line.quantity, currency: line.unitPrice.currency })}</td>
              <td><button type="button" aria-label=${`Remove ${line.name}`} onClick=${() => (shop.cart.remove(line.productId), onCartChange())}>Remove</button></td>
            </tr>
          `,
        )}
      </tbody>
    </table>
    <p class="subtotal">Subtotal: <strong>${subtotal ? formatMoney(subtotal) : ''}</strong></p>
    <p><a class="button" role="button" href=${href({ page: 'checkout' })}>Checkout</a></p>
  `;
}
