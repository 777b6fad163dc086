import type {
  InventoryRepository,
  ReleaseAttempt,
  Reservation,
  ReserveAttempt,
  StockLevel,
} from './inventory-repository';

/** An InventoryRepository in memory with the adapter's semantics, for unit tests. */
export class InMemoryInventoryRepository implements InventoryRepository {
  readonly stock = new Map<string, number>();
  readonly reservations = new Map<string, Reservation>();
  readonly releasedOrders = new Set<string>();

  constructor(stock: Record<string, number> = {}) {
    for (const [productId, available] of Object.entries(stock)) this.stock.set(productId, available);
  }

  async reserveLine(orderId: string, line: { productId: string; quantity: number }): Promise<ReserveAttempt> {
    if (this.releasedOrders.has(orderId)) return { outcome: 'order-released' };
    const key = `${orderId}|${line.productId}`;
    const existing = this.reservations.get(key);
    if (existing) return existing.status === 'RESERVED' ? { outcome: 'already-reserved', reservation: { ...existing } } : { outcome: 'order-released' };
    const available = this.stock.get(line.productId);
    if (available === undefined) return { outcome: 'unknown-product' };
    if (available < line.quantity) return { outcome: 'out-of-stock', available };
    this.stock.set(line.productId, available - line.quantity);
    const reservation: Reservation = { orderId, ...line, status: 'RESERVED', reservedAt: new Date().toISOString() };
    this.reservations.set(key, reservation);
    return { outcome: 'reserved', reservation: { ...reservation } };
  }

  async listReservations(orderId: string): Promise<Reservation[]> {
    return [...this.reservations.values()].filter((r) => r.orderId === orderId).map((r) => ({ ...r }));
  }

  async markOrderReleased(orderId: string): Promise<void> {
    this.releasedOrders.add(orderId);
  }

  async releaseReservation(reservation: Reservation): Promise<ReleaseAttempt> {
    const stored = this.reservations.get(`${reservation.orderId}|${reservation.productId}`);
    if (!stored || stored.status !== 'RESERVED' || stored.quantity !== reservation.quantity) return 'already-released';
    stored.status = 'RELEASED';
    stored.releasedAt = new Date().toISOString();
    this.stock.set(reservation.productId, (this.stock.get(reservation.productId) ?? 0) + reservation.quantity);
    return 'released';
  }

  async getStock(productId: string): Promise<StockLevel | undefined> {
    const available = this.stock.get(productId);
    return available === undefined ? undefined : { productId, available };
  }
}
