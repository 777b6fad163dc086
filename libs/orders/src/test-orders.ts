import type { Order } from '@orderflow/contracts';

let counter = 0;

/** A valid order for tests; ids are unique per call. */
export function sampleOrder(overrides: Partial<Order> = {}): Order {
  counter += 1;
  return {
    orderId: `ord_${Date.now().toString(36)}${String(counter).padStart(6, '0')}`,
    customerId: 'cust-42',
    status: 'CONFIRMED',
    items: [
      {
        productId: 'mug-classic',
        name: 'Classic Mug',
        quantity: 2,
        unitPrice: { amount: 1299, currency: 'USD' },
        lineTotal: { amount: 2598, currency: 'USD' },
      },
    ],
    total: { amount: 2598, currency: 'USD' },
    payment: { method: 'card', status: 'AUTHORIZED' },
    createdAt: '2025-03-01T10:00:00.000Z',
    ...overrides,
  };
}
