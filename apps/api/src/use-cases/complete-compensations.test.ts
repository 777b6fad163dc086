import type { Order } from '@orderflow/contracts';
import { InMemoryInventoryRepository, reserveLine } from '@orderflow/inventory';
import { InMemoryOrderRepository, saveOrder } from '@orderflow/orders';
import { PaymentProviderUnavailableError, PaymentRequestRejectedError } from '@orderflow/payments';
import { describe, expect, it } from 'vitest';
import { fakeGateway } from '../test/fake-payment-gateway';
import { InMemoryPendingQueue } from '../test/in-memory-pending-queue';
import { type CompensationEntry, type CompensationLog, type CompensationOutcome, completeCompensations, compensationsStillPending, oldestPendingCompensationSeconds } from './complete-compensations';

const ORDER_ID = 'ord_0123456789abcdef';
const amount = { amount: 2500, currency: 'USD' };
const authorized = { method: 'card', provider: 'stripe', authorizationId: 'pi_1', status: 'AUTHORIZED' } as const;

const entry = (action: string, overrides: Partial<CompensationEntry> = {}): CompensationEntry => ({
  key: { PK: `COMPENSATION#${overrides.orderId ?? ORDER_ID}`, SK: `ACTION#${action}` },
  action,
  orderId: ORDER_ID,
  payment: action === 'RELEASE_RESERVATIONS' ? undefined : JSON.stringify(action === 'REFUND_PAYMENT' ? { ...authorized, captureId: 'ch_1', status: 'CAPTURED' } : authorized),
  amount: action === 'RELEASE_RESERVATIONS' ? undefined : JSON.stringify(amount),
  attempts: 0,
  ...overrides,
});

class InMemoryCompensationLog extends InMemoryPendingQueue<CompensationEntry> implements CompensationLog {
  /** Claims released, as `<customerId>#<claimKey>`. */
  readonly releasedClaims: string[] = [];

  async markDone(e: CompensationEntry, _now: Date, outcome: CompensationOutcome) {
    this.done(e, 'DONE', { outcome });
  }

  async releaseClaimWhenSettled(e: CompensationEntry): Promise<boolean> {
    const pendingOfOrder = [...this.items.values()].some((i) => i.orderId === e.orderId && i.status === 'PENDING');
    if (!e.customerId || !e.claimKey || pendingOfOrder) return false;
    this.releasedClaims.push(`${e.customerId}#${e.claimKey}`);
    return true;
  }
}

const savedOrder = (status: 'AUTHORIZED' | 'CAPTURED'): Order => ({
  orderId: ORDER_ID,
  customerId: 'cust-1',
  status: 'CANCELLED',
  items: [{ productId: 'tee', name: 'Tee', quantity: 1, unitPrice: amount, lineTotal: amount }],
  total: amount,
  payment: { method: 'card', status },
  createdAt: '2025-01-01T00:00:00.000Z',
});

function ports(gateway = fakeGateway()) {
  const inventory = new InMemoryInventoryRepository({ tee: 10 });
  const orders = new InMemoryOrderRepository();
  let gatewaysMade = 0;
  return {
    inventory,
    orders,
    gateway,
    gatewaysMade: () => gatewaysMade,
    ports: {
      inventory,
      orders,
      payments: async () => {
        gatewaysMade++;
        return gateway;
      },
    },
  };
}

describe('completeCompensations', () => {
  it('releases the reservations of an order, once, without making a payment gateway', async () => {
    const p = ports();
    await reserveLine(p.inventory, ORDER_ID, { productId: 'tee', quantity: 3 });
    expect(p.inventory.stock.get('tee')).toBe(7);
    const log = new InMemoryCompensationLog([entry('RELEASE_RESERVATIONS')]);
    const result = await completeCompensations(log, p.ports);
    expect(result).toEqual({
      completed: [{ orderId: ORDER_ID, action: 'RELEASE_RESERVATIONS', released: ['tee'], alreadyReleased: [] }],
      failed: [],
      skipped: 0,
      deferred: 0,
    });
    expect(p.inventory.stock.get('tee')).toBe(10);
    expect(log.items.get(`COMPENSATION#${ORDER_ID}`)).toMatchObject({ status: 'DONE', attempts: 1 });
    expect(await completeCompensations(log, p.ports)).toMatchObject({ completed: [] });
    expect(p.gatewaysMade()).toBe(0);
  });

  it('voids an authorization and marks the cancelled order VOIDED; refunds a capture and marks it REFUNDED', async () => {
    for (const [action, before, after, operation] of [
      ['VOID_PAYMENT', 'AUTHORIZED', 'VOIDED', 'void'],
      ['REFUND_PAYMENT', 'CAPTURED', 'REFUNDED', 'refund'],
    ] as const) {
      const p = ports();
      await saveOrder(p.orders, savedOrder(before));
      const result = await completeCompensations(new InMemoryCompensationLog([entry(action)]), p.ports);
      expect(result.completed).toEqual([{ orderId: ORDER_ID, action, paymentStatus: after, orderCancelled: true }]);
      expect(p.gateway.calls.map(([op]) => op)).toEqual([operation]);
      expect(p.gateway.calls[0]?.[1]).toMatchObject({ orderId: ORDER_ID, authorizationId: 'pi_1' });
      expect((await p.orders.get(ORDER_ID))?.order).toMatchObject({ status: 'CANCELLED', payment: { status: after } });
    }
  });

  it('cancels an order whose cancel failed in the workflow, with its payment as the workflow left it, without a gateway', async () => {
    const p = ports();
    await saveOrder(p.orders, { ...savedOrder('AUTHORIZED'), status: 'CONFIRMED' });
    const voided = JSON.stringify({ ...authorized, status: 'VOIDED' });
    const result = await completeCompensations(new InMemoryCompensationLog([entry('CANCEL_ORDER', { payment: voided })]), p.ports);
    expect(result.completed).toEqual([{ orderId: ORDER_ID, action: 'CANCEL_ORDER', paymentStatus: 'VOIDED', orderCancelled: true }]);
    expect((await p.orders.get(ORDER_ID))?.order).toMatchObject({ status: 'CANCELLED', payment: { status: 'VOIDED' } });
    expect(p.gatewaysMade()).toBe(0);
    // No payment to undo (null): VOIDED, nothing was taken; an unreadable one is set aside.
    const q = ports();
    const none = await completeCompensations(new InMemoryCompensationLog([entry('CANCEL_ORDER', { payment: 'null' })]), q.ports);
    expect(none.completed).toEqual([{ orderId: ORDER_ID, action: 'CANCEL_ORDER', paymentStatus: 'VOIDED', orderCancelled: false }]);
    const bad = await completeCompensations(new InMemoryCompensationLog([entry('CANCEL_ORDER', { payment: '{"nope":1}' })]), q.ports);
    expect(bad.failed).toEqual([expect.objectContaining({ final: true, error: expect.stringMatching(/invalid CANCEL_ORDER entry/) })]);
  });

  it('voids a payment whose order was never saved (the save failed)', async () => {
    const p = ports();
    const result = await completeCompensations(new InMemoryCompensationLog([entry('VOID_PAYMENT')]), p.ports);
    expect(result.completed).toEqual([{ orderId: ORDER_ID, action: 'VOID_PAYMENT', paymentStatus: 'VOIDED', orderCancelled: false }]);
  });

  it('keeps a compensation the provider cannot take now for the next run; sets aside one it refuses for good', async () => {
    const unavailable = ports();
    unavailable.gateway.void = async () => {
      throw new PaymentProviderUnavailableError('stripe', 'timeout', 'timed out');
    };
    const log = new InMemoryCompensationLog([entry('VOID_PAYMENT')]);
    const first = await completeCompensations(log, unavailable.ports);
    expect(first.failed).toEqual([
      { key: `COMPENSATION#${ORDER_ID}/ACTION#VOID_PAYMENT`, id: `${ORDER_ID}/VOID_PAYMENT`, error: expect.stringMatching(/^PaymentProviderUnavailableError: /), final: false },
    ]);
    expect(log.items.get(`COMPENSATION#${ORDER_ID}`)).toMatchObject({ status: 'PENDING', attempts: 1 });

    const refused = ports();
    refused.gateway.void = async () => {
      throw new PaymentRequestRejectedError('paypal', 'AUTHORIZATION_EXPIRED', 'expired');
    };
    const second = await completeCompensations(log, refused.ports);
    expect(second.failed).toEqual([expect.objectContaining({ final: true })]);
    expect(log.items.get(`COMPENSATION#${ORDER_ID}`)).toMatchObject({ status: 'FAILED', attempts: 2 });
    expect(await completeCompensations(log, refused.ports)).toMatchObject({ completed: [], failed: [] });
  });

  it('sets aside entries that can never be worked on, and skips one another run holds', async () => {
    const p = ports();
    const log = new InMemoryCompensationLog([
      entry('SHIP_FLOWERS', { orderId: 'ord_000000000001' }),
      entry('VOID_PAYMENT', { orderId: 'ord_000000000002', payment: 'not json' }),
      entry('REFUND_PAYMENT', { orderId: 'ord_000000000003', amount: JSON.stringify({ amount: -1 }) }),
      entry('RELEASE_RESERVATIONS', { orderId: 'not an order' }),
      entry('RELEASE_RESERVATIONS', { orderId: 'ord_000000000005' }),
    ]);
    const held = log.items.get('COMPENSATION#ord_000000000005');
    if (held) held.leaseUntil = new Date(Date.now() + 60_000);
    const result = await completeCompensations(log, p.ports);
    expect(result.completed).toEqual([]);
    expect(result.skipped).toBe(1);
    expect(result.failed.map((f) => [f.id, f.final])).toEqual([
      ['ord_000000000001/SHIP_FLOWERS', true],
      ['ord_000000000002/VOID_PAYMENT', true],
      ['ord_000000000003/REFUND_PAYMENT', true],
      ['not an order/RELEASE_RESERVATIONS', true],
    ]);
    expect(result.failed[2]?.error).toMatch(/invalid REFUND_PAYMENT entry: amount/);
    expect(p.gateway.calls).toEqual([]);
  });

  it("releases the checkout's key once nothing of its order is left to undo, not before", async () => {
    const p = ports();
    await reserveLine(p.inventory, ORDER_ID, { productId: 'tee', quantity: 1 });
    const claim = { customerId: 'cust-1', claimKey: 'key-1' };
    const release = entry('RELEASE_RESERVATIONS', claim);
    const voidPayment = entry('VOID_PAYMENT', { ...claim, key: { PK: `COMPENSATION#${ORDER_ID}#2`, SK: 'ACTION#VOID_PAYMENT' } });
    p.gateway.void = async () => {
      throw new PaymentProviderUnavailableError('stripe', 'timeout', 'timed out');
    };
    const log = new InMemoryCompensationLog([release, voidPayment]);
    const first = await completeCompensations(log, p.ports);
    // The stock is back, but the authorization is still held: the key keeps its answer.
    expect(first.completed).toEqual([expect.objectContaining({ action: 'RELEASE_RESERVATIONS' })]);
    expect(first.completed[0]).not.toHaveProperty('keyReleased');
    expect(log.releasedClaims).toEqual([]);

    const later = ports();
    const second = await completeCompensations(log, later.ports);
    expect(second.completed).toEqual([{ orderId: ORDER_ID, action: 'VOID_PAYMENT', paymentStatus: 'VOIDED', orderCancelled: false, keyReleased: true }]);
    expect(log.releasedClaims).toEqual(['cust-1#key-1']);
  });

  it('stops when asked, leaving the rest pending (and counted as still pending)', async () => {
    const p = ports();
    const log = new InMemoryCompensationLog([entry('RELEASE_RESERVATIONS', { orderId: 'ord_000000000006' }), entry('RELEASE_RESERVATIONS', { orderId: 'ord_000000000007' })]);
    let budget = 1;
    const result = await completeCompensations(log, p.ports, { shouldStop: () => budget-- <= 0 });
    expect(result).toMatchObject({ deferred: 1 });
    expect(compensationsStillPending(result)).toBe(1);
    expect(compensationsStillPending({ completed: [], failed: [{ key: 'a', id: 'a', error: 'x', final: false }, { key: 'b', id: 'b', error: 'y', final: true }], skipped: 2, deferred: 0 })).toBe(3);
    const now = new Date('2026-01-01T00:10:00.000Z');
    expect(oldestPendingCompensationSeconds({ completed: [], failed: [], skipped: 1, deferred: 0, oldestLeftPendingSince: '2026-01-01T00:04:00.000Z' }, now)).toBe(360);
    expect(oldestPendingCompensationSeconds({ completed: [], failed: [], skipped: 0, deferred: 0 }, now)).toBe(0);
    expect(result.completed.map((c) => c.orderId)).toEqual(['ord_000000000006']);
  });
});
