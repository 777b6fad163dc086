/** Time as the runtime sees it: injectable so tests control Wait and Retry delays. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms` milliseconds; rejects with the signal's reason when it aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new Error('Aborted');
}

/** Real time: Date.now() and setTimeout. */
export const systemClock: Clock = {
  now: Date.now,
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, Math.max(0, ms));
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(abortReason(signal as AbortSignal));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  },
};

/**
 * A clock that never waits: `sleep` records the delay, advances `now()` by it and resolves on
 * the next tick. Use it to assert exact Wait/Retry delays without spending them.
 */
export class VirtualClock implements Clock {
  private current: number;
  /** Every delay requested, in order (milliseconds). */
  readonly sleeps: number[] = [];

  constructor(start: number | Date = Date.UTC(2024, 0, 1)) {
    this.current = typeof start === 'number' ? start : start.getTime();
  }

  now(): number {
    return this.current;
  }

  /** Moves time forward without a sleep (e.g. to simulate work). */
  advance(ms: number): void {
    this.current += ms;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    this.sleeps.push(ms);
    this.current += Math.max(0, ms);
    return new Promise((resolve) => setImmediate(resolve));
  }
}
