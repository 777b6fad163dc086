import type { OrderPlacedDetail } from '@orderflow/contracts';
import { describe, expect, it } from 'vitest';
import { type MetricsRecorder, recordOrderMetrics } from './record-order-metrics';
import { type ConfirmationSender, type OrderConfirmation, renderOrderConfirmation, sendOrderConfirmation } from './send-order-confirmation';

const detail: OrderPlacedDetail = {
  orderId: 'ord_0123456789abcdef',
  customerId: 'cust-1',
  total: { amount: 3798, currency: 'EUR' },
  items: [
    { productId: 'mug', name: 'Mug', quantity: 2, unitPrice: { amount: 1299, currency: 'EUR' } },
    { productId: 'cap', name: 'Cap', quantity: 1, unitPrice: { amount: 1200, currency: 'EUR' } },
  ],
  payment: { method: 'paypal', provider: 'paypal', reference: 'AUTH1' },
  placedAt: '2025-01-01T00:00:00.000Z',
};

describe('sendOrderConfirmation', () => {
  it('renders every line and the total, and sends it', async () => {
    const sent: OrderConfirmation[] = [];
    const sender: ConfirmationSender = { send: async (c) => (sent.push(c), { delivered: true }) };
    expect(await sendOrderConfirmation(sender, detail)).toEqual({ orderId: detail.orderId, delivered: true });
    expect(sent[0]?.text).toBe(renderOrderConfirmation(detail).text);
    expect(sent[0]?.text).toContain('2 x Mug (12.99 EUR)');
    expect(sent[0]?.text).toContain('Total: 37.98 EUR, paid by paypal.');
  });
});

describe('recordOrderMetrics', () => {
  it('counts placed orders by method and their value by currency; rejections by reason', () => {
    const recorded: [string, number, Record<string, string>][] = [];
    let flushes = 0;
    const recorder: MetricsRecorder = { count: (n, v, d) => recorded.push([n, v, d]), flush: () => void flushes++ };
    recordOrderMetrics(recorder, { id: '1', time: 't', detailType: 'OrderPlaced', detail });
    recordOrderMetrics(recorder, {
      id: '2',
      time: 't',
      detailType: 'OrderRejected',
      detail: { orderId: detail.orderId, customerId: 'c', reason: { code: 'PAYMENT_DECLINED', message: 'no' }, rejectedAt: 't' },
    });
    expect(recorded).toEqual([
      ['OrdersPlaced', 1, { paymentMethod: 'paypal' }],
      ['OrderValue', 3798, { currency: 'EUR' }],
      ['OrdersRejected', 1, { reason: 'PAYMENT_DECLINED' }],
    ]);
    expect(flushes).toBe(2);
  });
});
