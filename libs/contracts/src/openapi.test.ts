import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { API_ROUTES, allowedMethods, routeErrors } from './api-routes';
import { ERROR_CATALOGUE } from './error-catalogue';
import { openApiDocument } from './openapi';

describe('the OpenAPI document', () => {
  const document = openApiDocument({ serverUrl: 'http://localhost:3000', issuer: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_x' });

  it('is valid OpenAPI 3.1', async () => {
    const validator = new Validator();
    const result = await validator.validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('describes every route of the table, once, with its security, success and every error it can answer', () => {
    const paths = document['paths'] as Record<string, Record<string, { security: unknown[]; responses: Record<string, unknown>; parameters: { name: string; in: string }[] }>>;
    const operations = Object.entries(paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`));
    expect(operations.sort()).toEqual(API_ROUTES.map((r) => `${r.method} ${r.path}`).sort());
    for (const route of API_ROUTES) {
      const operation = paths[route.path]?.[route.method.toLowerCase()];
      expect(operation?.security, route.operationId).toEqual(route.access === 'customer' ? [{ cognito: [] }] : []);
      const statuses = Object.keys(operation?.responses ?? {}).map(Number);
      expect(statuses).toContain(route.success.status);
      for (const code of routeErrors(route)) expect(statuses, `${route.operationId} ${code}`).toContain(ERROR_CATALOGUE[code].status);
      if (route.access === 'customer') expect(statuses).toContain(401);
    }
    const placeOrder = paths['/orders']?.['post'];
    expect(placeOrder?.parameters).toContainEqual(expect.objectContaining({ name: 'Idempotency-Key', in: 'header' }));
    expect(Object.keys(placeOrder?.responses ?? {})).toEqual(expect.arrayContaining(['201', '400', '401', '402', '403', '409', '413', '415', '422', '503', '504']));
    expect(paths['/me/orders']?.['get']?.parameters.map((p) => p.name)).toEqual(['limit', 'nextToken']);
  });

  it('declares the bearer scheme, and knows which methods each path allows', () => {
    expect((document['components'] as { securitySchemes: Record<string, unknown> }).securitySchemes['cognito']).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
    expect(allowedMethods('/orders')).toEqual(['POST']);
    expect(allowedMethods('/products')).toEqual(['GET']);
    expect(allowedMethods('/nowhere')).toEqual([]);
  });
});
