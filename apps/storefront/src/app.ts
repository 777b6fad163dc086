import type { Order } from '@orderflow/contracts';
import { useEffect, useState } from 'preact/hooks';
import { html } from './html';
import { navigate, parseRoute, type Route } from './router';
import type { Shop } from './shop';
import { CartView } from './views/cart-view';
import { CatalogView } from './views/catalog-view';
import { CheckoutView, ConfirmationView } from './views/checkout-view';
import { Layout } from './views/layout';
import { OrdersView, OrderView } from './views/orders-view';
import { SignInView } from './views/sign-in-view';

/** The shop: the page the URL's hash names, inside the shared layout. */
export function App({ shop }: { shop: Shop }) {
  const [route, setRoute] = useState<Route>(() => parseRoute(window.location.hash));
  const [, setVersion] = useState(0);
  const [placed, setPlaced] = useState<Order | undefined>();
  const changed = () => setVersion((v) => v + 1);

  useEffect(() => {
    const onHash = () => {
      setRoute(parseRoute(window.location.hash));
      // The new page's heading is where a keyboard or screen reader user lands.
      requestAnimationFrame(() => document.querySelector<HTMLElement>('main h1')?.focus());
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  const page = (() => {
    switch (route.page) {
      case 'catalog':
        return html`<${CatalogView} shop=${shop} onCartChange=${changed} />`;
      case 'cart':
        return html`<${CartView} shop=${shop} onCartChange=${changed} />`;
      case 'checkout':
        return html`<${CheckoutView}
          shop=${shop}
          paypal=${route.paypal}
          onOrdered=${(order: Order) => {
            setPlaced(order);
            navigate({ page: 'confirmation', orderId: order.orderId });
          }}
        />`;
      case 'confirmation':
        return html`<${ConfirmationView} shop=${shop} orderId=${route.orderId} placed=${placed} />`;
      case 'orders':
        return html`<${OrdersView} shop=${shop} />`;
      case 'order':
        return html`<${OrderView} shop=${shop} orderId=${route.orderId} />`;
      case 'sign-in':
        return html`<${SignInView}
          shop=${shop}
          onSignedIn=${() => {
            changed();
            navigate(route.next === 'checkout' ? { page: 'checkout' } : route.next === 'orders' ? { page: 'orders' } : { page: 'catalog' });
          }}
        />`;
    }
  })();
  return html`<${Layout} shop=${shop} onSignOut=${() => (shop.session.clear(), changed(), navigate({ page: 'catalog' }))}>${page}<//>`;
}
