import type { ComponentChildren } from 'preact';
import { html } from '../html';
import { href } from '../router';
import type { Shop } from '../shop';

/** The header every page shares: the shop, the cart with its count, my orders, who is signed in. */
export function Layout({ shop, children, onSignOut }: { shop: Shop; children: ComponentChildren; onSignOut: () => void }) {
  const session = shop.session.current();
  const count = shop.cart.count();
  return html`
    <header class="top">
      <a class="brand" href=${href({ page: 'catalog' })}>orderflow shop</a>
      <nav aria-label="Main">
        <a href=${href({ page: 'catalog' })}>Shop</a>
        <a href=${href({ page: 'cart' })} aria-label=${`Cart, ${count} ${count === 1 ? 'item' : 'items'}`}>Cart (${count})</a>
        <a href=${href({ page: 'orders' })}>My orders</a>
        ${session
          ? html`<span class="who">Signed in as <strong>${session.customerId}</strong></span>
              <button type="button" class="link" onClick=${onSignOut}>Sign out</button>`
          : html`<a href=${href({ page: 'sign-in' })}>Sign in</a>`}
      </nav>
    </header>
    <main id="main">${children}</main>
  `;
}

/** An outcome the customer must read, announced by screen readers as it appears. */
export function Alert({ message, kind = 'error', children }: { message: string; kind?: 'error' | 'info'; children?: ComponentChildren }) {
  return html`<div role="alert" class=${`alert ${kind}`}><p>${message}</p>${children}</div>`;
}
