import type { ExecutionResult, HistoryEvent } from '@orderflow/state-machine-runtime';

/**
 * Recent executions of the checkout, kept in memory for the inspection API (an Express
 * workflow keeps no history in AWS either, only in its logs).
 */

export interface ExecutionRecord {
  name: string;
  executionArn: string;
  /** QUEUED: waiting for a slot under the concurrency bound (see LocalStateMachine). */
  status: ExecutionResult['status'] | 'RUNNING' | 'QUEUED';
  /** When it was received (QUEUED) or started running. */
  startDate: string;
  stopDate: string | undefined;
  /** The execution's own duration (the runtime's), without the wait. */
  durationMs: number | undefined;
  /** How long it waited for a slot before running. */
  queuedMs: number | undefined;
  stateTransitions: number | undefined;
  input: unknown;
  /** The output as StartSyncExecution returns it: JSON text. */
  output: string | undefined;
  error: string | undefined;
  cause: string | undefined;
  /** The HTTP answer the gateway gave for it. */
  httpStatus: number | undefined;
  /** The error code of the answer, when it was an error (PAYMENT_DECLINED...). */
  errorCode?: string | undefined;
  orderId: string | undefined;
  customerId: string | undefined;
  history: HistoryEvent[];
}

export interface ExecutionSummary {
  name: string;
  status: ExecutionRecord['status'];
  startDate: string;
  stopDate: string | undefined;
  durationMs: number | undefined;
  queuedMs: number | undefined;
  stateTransitions: number | undefined;
  httpStatus: number | undefined;
  errorCode: string | undefined;
  orderId: string | undefined;
  customerId: string | undefined;
  error: string | undefined;
}

export function summarize(record: ExecutionRecord): ExecutionSummary {
  return {
    name: record.name,
    status: record.status,
    startDate: record.startDate,
    stopDate: record.stopDate,
    durationMs: record.durationMs,
    queuedMs: record.queuedMs,
    stateTransitions: record.stateTransitions,
    httpStatus: record.httpStatus,
    errorCode: record.errorCode,
    orderId: record.orderId,
    customerId: record.customerId,
    error: record.error,
  };
}

export class ExecutionStore {
  private readonly records = new Map<string, ExecutionRecord>();

  constructor(private readonly capacity = 200) {}

  put(record: ExecutionRecord): void {
    this.records.delete(record.name);
    this.records.set(record.name, record);
    while (this.records.size > this.capacity) {
      const oldest = this.records.keys().next().value;
      if (oldest === undefined) break;
      this.records.delete(oldest);
    }
  }

  get(name: string): ExecutionRecord | undefined {
    return this.records.get(name);
  }

  /** Newest first. */
  list(limit = this.capacity): ExecutionRecord[] {
    return [...this.records.values()].reverse().slice(0, limit);
  }
}
