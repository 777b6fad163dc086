import { describe, expect, it } from 'vitest';
import { InMemoryPendingQueue } from '../test/in-memory-pending-queue';
import { drainPending } from './drain-pending';

interface Item {
  key: { PK: string; SK: string };
  pendingSince?: string;
  attempts: number;
  outcome: 'ok' | 'retry' | 'final';
}

const item = (id: string, pendingSince: string, outcome: Item['outcome']): Item => ({ key: { PK: id, SK: 'X' }, pendingSince, attempts: 0, outcome });

const work = {
  id: (e: Item) => e.key.PK,
  run: async (e: Item) => {
    if (e.outcome === 'retry') throw new Error('provider unavailable');
    if (e.outcome === 'final') throw new RangeError('never');
    return e.key.PK;
  },
  isFinal: (error: unknown) => error instanceof RangeError,
};

describe('drainPending: what a run leaves pending, and since when', () => {
  it('names the oldest of what stays pending: a failure to retry, one another run holds, those deferred', async () => {
    const queue = new InMemoryPendingQueue<Item>([
      item('a', '2026-01-01T00:00:03.000Z', 'ok'),
      item('b', '2026-01-01T00:00:05.000Z', 'retry'),
      item('c', '2026-01-01T00:00:01.000Z', 'final'),
      item('d', '2026-01-01T00:00:04.000Z', 'ok'),
    ]);
    // d is held by another run.
    const held = queue.items.get('d');
    if (held) held.leaseUntil = new Date(Date.now() + 60_000);
    const result = await drainPending(queue, work);
    expect(result.done).toEqual(['a']);
    expect(result.skipped).toBe(1);
    // c was set aside (final), a is done: the oldest left pending is d, then b.
    expect(result.oldestLeftPendingSince).toBe('2026-01-01T00:00:04.000Z');
  });

  it('counts what it had to defer, and says nothing when nothing is left', async () => {
    const deferred = new InMemoryPendingQueue<Item>([item('a', '2026-01-01T00:00:02.000Z', 'ok'), item('b', '2026-01-01T00:00:01.500Z', 'ok')]);
    let budget = 1;
    const stopped = await drainPending(deferred, work, { shouldStop: () => budget-- <= 0 });
    expect(stopped).toMatchObject({ done: ['a'], deferred: 1, oldestLeftPendingSince: '2026-01-01T00:00:01.500Z' });
    const clean = await drainPending(new InMemoryPendingQueue<Item>([item('a', '2026-01-01T00:00:00.000Z', 'ok')]), work);
    expect(clean).not.toHaveProperty('oldestLeftPendingSince');
  });
});
