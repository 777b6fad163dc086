import { describe, expect, it } from 'vitest';
import { href, parseRoute, type Route } from './router';

describe('routes', () => {
  it('read back what they write', () => {
    const routes: Route[] = [
      { page: 'catalog' },
      { page: 'cart' },
      { page: 'checkout' },
      { page: 'checkout', paypal: 'return' },
      { page: 'confirmation', orderId: 'ord_abc' },
      { page: 'orders' },
      { page: 'order', orderId: 'ord_abc' },
      { page: 'sign-in', next: 'checkout' },
    ];
    for (const route of routes) expect(parseRoute(href(route))).toEqual(route);
    expect(parseRoute('')).toEqual({ page: 'catalog' });
    expect(parseRoute('#/nowhere')).toEqual({ page: 'catalog' });
  });
});
