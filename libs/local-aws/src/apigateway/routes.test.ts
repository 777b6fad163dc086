import { describe, expect, it } from 'vitest';
import type { ApiRoute } from './rest-api-from-template';
import { findRoute } from './routes';

const route = (method: string, resourcePath: string): ApiRoute => ({
  method,
  resourcePath,
  integration: { kind: 'lambda-proxy', functionLogicalId: `${method}${resourcePath}` },
  bodyModels: undefined,
  methodLogicalId: 'M',
  authorization: { type: 'NONE' },
});

const routes = [
  route('GET', '/orders/{orderId}'),
  route('POST', '/orders'),
  route('GET', '/orders/latest'),
  route('GET', '/customers/{customerId}/orders'),
  route('ANY', '/files/{proxy+}'),
  route('GET', '/'),
];

const found = (method: string, path: string) => {
  const lookup = findRoute(routes, method, path);
  return lookup.found ? [lookup.found.route.method, lookup.found.route.resourcePath, lookup.found.pathParameters] : undefined;
};

describe('findRoute', () => {
  it('matches literal and parameter segments, literals first', () => {
    expect(found('GET', '/orders/ord_1')).toEqual(['GET', '/orders/{orderId}', { orderId: 'ord_1' }]);
    expect(found('GET', '/orders/latest')).toEqual(['GET', '/orders/latest', null]);
    expect(found('POST', '/orders')).toEqual(['POST', '/orders', null]);
    expect(found('GET', '/customers/cust-1/orders')).toEqual(['GET', '/customers/{customerId}/orders', { customerId: 'cust-1' }]);
    expect(found('GET', '/')).toEqual(['GET', '/', null]);
  });

  it('keeps path parameters URL-encoded, as API Gateway passes them', () => {
    expect(found('GET', '/orders/a%20b')).toEqual(['GET', '/orders/{orderId}', { orderId: 'a%20b' }]);
  });

  it('serves any method on ANY and greedy paths', () => {
    expect(found('DELETE', '/files/a/b/c')).toEqual(['ANY', '/files/{proxy+}', { proxy: 'a/b/c' }]);
    expect(found('GET', '/files')).toBeUndefined();
  });

  it('tells an unknown path from a known path with another method', () => {
    expect(findRoute(routes, 'DELETE', '/orders/ord_1')).toEqual({ found: undefined, pathExists: true });
    expect(findRoute(routes, 'GET', '/nope')).toEqual({ found: undefined, pathExists: false });
    expect(findRoute(routes, 'GET', '/orders/ord_1/extra')).toEqual({ found: undefined, pathExists: false });
  });
});
