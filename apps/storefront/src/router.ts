/** The shop's pages, in the URL's hash (the static host serves one index.html). */
export type Route =
  | { page: 'catalog' }
  | { page: 'cart' }
  | { page: 'checkout'; paypal?: 'return' | 'cancel' }
  | { page: 'confirmation'; orderId: string }
  | { page: 'orders' }
  | { page: 'order'; orderId: string }
  | { page: 'sign-in'; next?: string };

export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#/, '').split('?');
  const params = new URLSearchParams(query);
  const parts = path.split('/').filter(Boolean);
  switch (parts[0]) {
    case 'cart':
      return { page: 'cart' };
    case 'checkout': {
      const paypal = params.get('paypal');
      return paypal === 'return' || paypal === 'cancel' ? { page: 'checkout', paypal } : { page: 'checkout' };
    }
    case 'confirmation':
      return parts[1] ? { page: 'confirmation', orderId: decodeURIComponent(parts[1]) } : { page: 'orders' };
    case 'orders':
      return parts[1] ? { page: 'order', orderId: decodeURIComponent(parts[1]) } : { page: 'orders' };
    case 'sign-in': {
      const next = params.get('next');
      return next ? { page: 'sign-in', next } : { page: 'sign-in' };
    }
    default:
      return { page: 'catalog' };
  }
}

export function href(route: Route): string {
  switch (route.page) {
    case 'catalog':
      return '#/';
    case 'cart':
      return '#/cart';
    case 'checkout':
      return route.paypal ? `#/checkout?paypal=${route.paypal}` : '#/checkout';
    case 'confirmation':
      return `#/confirmation/${encodeURIComponent(route.orderId)}`;
    case 'orders':
      return '#/orders';
    case 'order':
      return `#/orders/${encodeURIComponent(route.orderId)}`;
    case 'sign-in':
      return route.next ? `#/sign-in?next=${encodeURIComponent(route.next)}` : '#/sign-in';
  }
}

export function navigate(route: Route): void {
  window.location.hash = href(route);
}
