import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoDbInventoryRepository } from './dynamodb-inventory-repository';

const cancelled = (codes: string[]) =>
  new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

/** Answers transactions from a script: each entry is an error to throw, or undefined to commit. */
function scripted(script: (Error | undefined)[]) {
  const sent: unknown[] = [];
  const client = {
    async send(command: unknown) {
      if (!(command instanceof TransactWriteCommand)) throw new Error('unexpected command');
      sent.push(command);
      const next = script.shift();
      if (next) throw next;
      return {};
    },
  };
  const delays: number[] = [];
  // The adapter only calls send(); this fake implements exactly that.
  const repo = new DynamoDbInventoryRepository(client as unknown as DynamoDBDocumentClient, 'inventory-unit', {
    retry: { maxAttempts: 4 },
    sleep: async (ms) => void delays.push(ms),
  });
  return { repo, sent, delays };
}

describe('DynamoDbInventoryRepository transaction conflicts', () => {
  it('retries a reservation that collided with a concurrent transaction, with backoff', async () => {
    const { repo, sent, delays } = scripted([
      cancelled(['TransactionConflict', 'None', 'None']),
      cancelled(['None', 'TransactionConflict', 'None']),
      undefined,
    ]);
    const attempt = await repo.reserveLine('ord_0123456789abcdef', { productId: 'mug', quantity: 1 });
    expect(attempt.outcome).toBe('reserved');
    expect(sent).toHaveLength(3);
    expect(delays).toHaveLength(2);
  });

  it('retries when a conflict hides whether another condition really failed', async () => {
    const { repo, sent } = scripted([cancelled(['ConditionalCheckFailed', 'TransactionConflict', 'None']), undefined]);
    expect((await repo.reserveLine('ord_0123456789abcdef', { productId: 'mug', quantity: 1 })).outcome).toBe('reserved');
    expect(sent).toHaveLength(2);
  });

  it('gives up after maxAttempts and throws the last cancellation (transient: the caller may retry)', async () => {
    const { repo, sent } = scripted(Array.from({ length: 10 }, () => cancelled(['TransactionConflict', 'None', 'None'])));
    await expect(repo.reserveLine('ord_0123456789abcdef', { productId: 'mug', quantity: 1 })).rejects.toBeInstanceOf(
      TransactionCanceledException,
    );
    expect(sent).toHaveLength(4);
  });

  it('retries a release that collided, and reports a lost race as already released', async () => {
    const reservation = {
      orderId: 'ord_0123456789abcdef',
      productId: 'mug',
      quantity: 1,
      status: 'RESERVED' as const,
      reservedAt: new Date().toISOString(),
    };
    const { repo, sent } = scripted([cancelled(['None', 'TransactionConflict']), cancelled(['None', 'ConditionalCheckFailed'])]);
    expect(await repo.releaseReservation(reservation)).toBe('already-released');
    expect(sent).toHaveLength(2);
  });
});
