import type { PendingEntry, PendingQueue } from '../use-cases/drain-pending';

type Held<E> = E & { status: string; attempts: number; leaseUntil?: Date | undefined; lastError?: string };

/** Pending items in memory with the table's rules: pending until done or set aside; a lease blocks other runs. */
export class InMemoryPendingQueue<E extends PendingEntry & { attempts: number }> implements PendingQueue<E> {
  readonly items = new Map<string, Held<E>>();

  constructor(entries: E[]) {
    for (const e of entries) this.items.set(e.key.PK, { ...e, status: 'PENDING' });
  }

  async pending(limit: number): Promise<E[]> {
    return [...this.items.values()].filter((i) => i.status === 'PENDING').slice(0, limit);
  }

  async claim(e: E, now: Date, leaseUntil: Date): Promise<boolean> {
    const item = this.items.get(e.key.PK);
    if (!item || item.status !== 'PENDING' || (item.leaseUntil && item.leaseUntil >= now)) return false;
    Object.assign(item, { leaseUntil, attempts: item.attempts + 1 });
    return true;
  }

  /** Marks the entry done with `status` (what the kind calls done: PUBLISHED, DONE). */
  protected done(e: E, status: string, details: Record<string, unknown> = {}): void {
    const item = this.items.get(e.key.PK);
    if (item) Object.assign(item, { status, leaseUntil: undefined, ...details });
  }

  async markFailed(e: E, error: string, _now: Date, final: boolean): Promise<void> {
    const item = this.items.get(e.key.PK);
    if (item) Object.assign(item, { lastError: error, leaseUntil: undefined, ...(final ? { status: 'FAILED' } : {}) });
  }
}
