import { describe, expect, it } from 'vitest';
import { type ProcessedEventLog, processOnce } from './process-once';

/** The port's contract, in memory (the DynamoDB adapter is tested on DynamoDB Local). */
function memoryLog(): ProcessedEventLog & { claimed: Set<string> } {
  const claimed = new Set<string>();
  return {
    claimed,
    claim: async (consumer, eventId) => {
      const key = `${consumer}/${eventId}`;
      if (claimed.has(key)) return false;
      claimed.add(key);
      return true;
    },
    release: async (consumer, eventId) => {
      claimed.delete(`${consumer}/${eventId}`);
    },
  };
}

describe('processOnce', () => {
  it('runs the work for the first delivery of an event id and answers duplicate() for the others', async () => {
    const log = memoryLog();
    let runs = 0;
    const once = (consumer: string, eventId: string) => processOnce(log, consumer, eventId, () => ++runs, () => 'duplicate' as const);
    expect(await once('metrics', 'e1')).toBe(1);
    expect(await once('metrics', 'e1')).toBe('duplicate');
    // Another event, or the same event for another consumer: runs.
    expect(await once('metrics', 'e2')).toBe(2);
    expect(await once('mailer', 'e1')).toBe(3);
    expect(runs).toBe(3);
  });

  it('releases the claim when the work fails, so the retry runs it', async () => {
    const log = memoryLog();
    const failure = new Error('downstream unavailable');
    await expect(processOnce(log, 'metrics', 'e1', () => Promise.reject(failure), () => 'duplicate')).rejects.toBe(failure);
    expect(log.claimed.size).toBe(0);
    expect(await processOnce(log, 'metrics', 'e1', () => 'ran', () => 'duplicate')).toBe('ran');
    expect(log.claimed.has('metrics/e1')).toBe(true);
  });

  it('does not run the work when the claim cannot be written', async () => {
    const failing: ProcessedEventLog = { claim: () => Promise.reject(new Error('throttled')), release: async () => undefined };
    let ran = false;
    await expect(processOnce(failing, 'metrics', 'e1', () => (ran = true), () => 'duplicate')).rejects.toThrow('throttled');
    expect(ran).toBe(false);
  });
});
