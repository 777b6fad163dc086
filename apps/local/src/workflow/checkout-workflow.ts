import type { SyncExecutionResult } from '@orderflow/order-workflow';
import type { StateMachine } from '@orderflow/state-machine-runtime';
import type { LocalLog } from '../log';
import { type ExecutionRecord, ExecutionStore } from './executions';

/** Executions run at once by default; the rest wait in FIFO order (`--max-executions`). */
export const DEFAULT_MAX_CONCURRENT_EXECUTIONS = 16;

export interface LocalStateMachineOptions {
  /** Executions kept for inspection (default 200). */
  executionsKept?: number;
  /**
   * At most this many executions run at once; later ones wait in FIFO order, the wait part of
   * their latency (0: no bound). One process runs every execution, so without a bound 200
   * concurrent checkouts each get 1/200 of one core, and their payment calls time out.
   */
  maxConcurrentExecutions?: number;
}

export interface ExecutionConcurrency {
  /** The bound (null: none). */
  limit: number | null;
  running: number;
  queued: number;
  /** The most executions ever waiting at once, and the longest wait (ms), since the start. */
  peakQueued: number;
  longestWaitMs: number;
}

/**
 * StartSyncExecution on the local state machine: runs the execution to its end, keeps it
 * for inspection, logs one line, and answers as the API does (output as JSON text).
 * Executions beyond the concurrency bound wait their turn (like invocations of a function
 * with reserved concurrency, queued instead of throttled).
 */
export class LocalStateMachine {
  readonly executions: ExecutionStore;
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly abort = new AbortController();
  private limit: number;
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private peakQueued = 0;
  private longestWaitMs = 0;
  /** Executions not yet answered, by name: resolves once the execution's answer is complete. */
  private readonly answered = new Map<string, Promise<void>>();

  constructor(
    readonly machine: StateMachine,
    private readonly log: LocalLog,
    options: LocalStateMachineOptions = {},
  ) {
    this.executions = new ExecutionStore(options.executionsKept ?? 200);
    const limit = options.maxConcurrentExecutions ?? DEFAULT_MAX_CONCURRENT_EXECUTIONS;
    if (!Number.isInteger(limit) || limit < 0) throw new RangeError(`maxConcurrentExecutions must be a whole number from 0, not ${limit}`);
    this.limit = limit === 0 ? Infinity : limit;
  }

  /**
   * Resolves once the named execution has answered (its record is final), or at once if it
   * is not running: the local bus holds the events an execution puts until then.
   */
  answeredPromise(name: string): Promise<void> {
    return this.answered.get(name) ?? Promise.resolve();
  }

  /** Running and waiting executions, for the inspection API. */
  concurrency(): ExecutionConcurrency {
    return {
      limit: Number.isFinite(this.limit) ? this.limit : null,
      running: this.running,
      queued: this.waiting.length,
      peakQueued: this.peakQueued,
      longestWaitMs: Math.round(this.longestWaitMs),
    };
  }

  /** Resolves when the execution may run (at once under the bound, else in arrival order). */
  private acquire(): Promise<void> | undefined {
    if (this.running < this.limit && this.waiting.length === 0) {
      this.running += 1;
      return undefined;
    }
    return new Promise<void>((resolve) => {
      this.waiting.push(() => {
        this.running += 1;
        resolve();
      });
      this.peakQueued = Math.max(this.peakQueued, this.waiting.length);
    });
  }

  private release(): void {
    this.running -= 1;
    while (this.running < this.limit && this.waiting.length > 0) this.waiting.shift()?.();
  }

  get definition(): unknown {
    return this.machine.definition;
  }

  async startSyncExecution(input: unknown, name: string): Promise<SyncExecutionResult & { record: ExecutionRecord }> {
    const receivedAt = performance.now();
    const customerId = customerOf(input);
    let answer!: () => void;
    const done = new Promise<void>((resolve) => (answer = resolve));
    // Names are unique per request; should two overlap, the later one is waited for.
    this.answered.set(name, done);
    try {
      return await this.runExecution(input, name, receivedAt, customerId);
    } finally {
      if (this.answered.get(name) === done) this.answered.delete(name);
      answer();
    }
  }

  private async runExecution(
    input: unknown,
    name: string,
    receivedAt: number,
    customerId: string | undefined,
  ): Promise<SyncExecutionResult & { record: ExecutionRecord }> {
    const waiting = this.acquire();
    const queued: ExecutionRecord = {
      name,
      executionArn: `${this.machine.stateMachineArn.replace(':stateMachine:', ':express:')}:${name}`,
      status: waiting ? 'QUEUED' : 'RUNNING',
      startDate: new Date().toISOString(),
      stopDate: undefined,
      durationMs: undefined,
      queuedMs: undefined,
      stateTransitions: undefined,
      input,
      output: undefined,
      error: undefined,
      cause: undefined,
      httpStatus: undefined,
      orderId: undefined,
      customerId,
      history: [],
    };
    this.executions.put(queued);
    let running = queued;
    let queuedMs = 0;
    const run = (async () => {
      if (waiting) {
        await waiting;
        queuedMs = performance.now() - receivedAt;
        this.longestWaitMs = Math.max(this.longestWaitMs, queuedMs);
        running = { ...queued, status: 'RUNNING', startDate: new Date().toISOString(), queuedMs: Math.round(queuedMs) };
        this.executions.put(running);
      }
      try {
        return await this.machine.execute(input, { name, signal: this.abort.signal });
      } finally {
        this.release();
      }
    })();
    this.inFlight.add(run);
    let result: Awaited<typeof run>;
    try {
      result = await run;
    } finally {
      this.inFlight.delete(run);
    }
    const output = result.output === undefined ? undefined : JSON.stringify(result.output);
    const record: ExecutionRecord = {
      ...running,
      queuedMs: Math.round(queuedMs),
      executionArn: result.executionArn,
      status: result.status,
      startDate: result.startDate.toISOString(),
      stopDate: result.stopDate.toISOString(),
      durationMs: result.stopDate.getTime() - result.startDate.getTime(),
      stateTransitions: result.stateTransitions,
      output,
      error: result.error,
      cause: result.cause,
      httpStatus: httpStatusOf(result.output),
      orderId: orderIdOf(result.output) ?? orderIdInHistory(result.history),
      errorCode: errorCodeOf(result.output),
      // The runtime shapes the history (JSON text of every input and output) when first read:
      // only the inspection API reads it, so a checkout that is never inspected skips that.
      get history() {
        return result.history;
      },
    };
    this.executions.put(record);
    this.log.execution({
      name,
      status: record.status,
      durationMs: record.durationMs ?? 0,
      ...(queuedMs >= 1 ? { queuedMs: Math.round(queuedMs) } : {}),
      stateTransitions: record.stateTransitions ?? 0,
      httpStatus: record.httpStatus,
      orderId: record.orderId,
      error: record.error,
    });
    return { status: result.status, output, error: result.error, cause: result.cause, record };
  }

  /** Aborts the executions still running or waiting (shutdown) and waits for them to stop. */
  async stop(): Promise<void> {
    this.abort.abort();
    // The waiting ones start, see the abort and stop at once (ABORTED).
    this.limit = Infinity;
    this.waiting.splice(0).forEach((start) => start());
    await Promise.allSettled([...this.inFlight]);
  }
}

/** The customer the checkout is for: the signed-in caller (the authorizer's), else the body's. */
function customerOf(input: unknown): string | undefined {
  const { body, authorizedCustomerId } = (input ?? {}) as { body?: { customerId?: unknown }; authorizedCustomerId?: unknown };
  if (typeof authorizedCustomerId === 'string' && authorizedCustomerId !== '') return authorizedCustomerId;
  return typeof body?.customerId === 'string' ? body.customerId : undefined;
}

function httpStatusOf(output: unknown): number | undefined {
  const status = (output as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** The catalogue code of an error answer (`{"error": {"code": ...}}`), for the inspection page. */
function errorCodeOf(output: unknown): string | undefined {
  const body = (output as { body?: unknown } | null)?.body;
  if (typeof body !== 'string') return undefined;
  try {
    const code = (JSON.parse(body) as { error?: { code?: unknown } }).error?.code;
    return typeof code === 'string' ? code : undefined;
  } catch {
    return undefined;
  }
}

function orderIdOf(output: unknown): string | undefined {
  const body = (output as { body?: unknown } | null)?.body;
  if (typeof body !== 'string') return undefined;
  try {
    const parsed = JSON.parse(body) as { orderId?: unknown };
    return typeof parsed.orderId === 'string' ? parsed.orderId : undefined;
  } catch {
    return undefined;
  }
}

const ORDER_ID = /"orderId":"(ord_[0-9A-Za-z]+)"/;

/** The order id the workflow generated, from the first task that was given one. */
function orderIdInHistory(history: ExecutionRecord['history']): string | undefined {
  for (const event of history) {
    const text = event.taskScheduledEventDetails?.parameters ?? event.stateExitedEventDetails?.output;
    const match = text ? ORDER_ID.exec(text) : null;
    if (match) return match[1];
  }
  return undefined;
}
