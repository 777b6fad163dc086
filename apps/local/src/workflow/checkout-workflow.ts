import type { SyncExecutionResult } from '@orderflow/order-workflow';
import type { StateMachine } from '@orderflow/state-machine-runtime';
import type { LocalLog } from '../log';
import { type ExecutionRecord, ExecutionStore } from './executions';

/**
 * StartSyncExecution on the local state machine: runs the execution to its end, keeps it
 * for inspection, logs one line, and answers as the API does (output as JSON text).
 */
export class LocalStateMachine {
  readonly executions: ExecutionStore;
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly abort = new AbortController();

  constructor(
    readonly machine: StateMachine,
    private readonly log: LocalLog,
    capacity = 200,
  ) {
    this.executions = new ExecutionStore(capacity);
  }

  get definition(): unknown {
    return this.machine.definition;
  }

  async startSyncExecution(input: unknown, name: string): Promise<SyncExecutionResult & { record: ExecutionRecord }> {
    const startDate = new Date();
    const customerId = customerOf(input);
    const running: ExecutionRecord = {
      name,
      executionArn: `${this.machine.stateMachineArn.replace(':stateMachine:', ':express:')}:${name}`,
      status: 'RUNNING',
      startDate: startDate.toISOString(),
      stopDate: undefined,
      durationMs: undefined,
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
    this.executions.put(running);
    const work = this.machine.execute(input, { name, signal: this.abort.signal });
    this.inFlight.add(work);
    let result: Awaited<typeof work>;
    try {
      result = await work;
    } finally {
      this.inFlight.delete(work);
    }
    const output = result.output === undefined ? undefined : JSON.stringify(result.output);
    const record: ExecutionRecord = {
      ...running,
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
      history: result.history,
    };
    this.executions.put(record);
    this.log.execution({
      name,
      status: record.status,
      durationMs: record.durationMs ?? 0,
      stateTransitions: record.stateTransitions ?? 0,
      httpStatus: record.httpStatus,
      orderId: record.orderId,
      error: record.error,
    });
    return { status: result.status, output, error: result.error, cause: result.cause, record };
  }

  /** Aborts the executions still running (shutdown) and waits for them to stop. */
  async stop(): Promise<void> {
    this.abort.abort();
    await Promise.allSettled([...this.inFlight]);
  }
}

function customerOf(input: unknown): string | undefined {
  const body = (input as { body?: { customerId?: unknown } } | null)?.body;
  return typeof body?.customerId === 'string' ? body.customerId : undefined;
}

function httpStatusOf(output: unknown): number | undefined {
  const status = (output as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
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
