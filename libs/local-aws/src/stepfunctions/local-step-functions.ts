import { randomUUID } from 'node:crypto';
import type { ExecutionStatus, StateMachine } from '@orderflow/state-machine-runtime';

export type StateMachineType = 'STANDARD' | 'EXPRESS';

/** How an execution ended, as a runner reports it (the runtime's ExecutionResult is one). */
export interface ExecutionOutcome {
  status: ExecutionStatus;
  output?: unknown;
  error?: string | undefined;
  cause?: string | undefined;
  startDate: Date;
  stopDate: Date;
}

/**
 * Runs one execution of a hosted machine. The default runs the compiled machine in-process; a
 * host may pass its own (a queue with a concurrency bound, an inspection store).
 */
export type ExecutionRunner = (input: unknown, options: { name: string; signal: AbortSignal }) => Promise<ExecutionOutcome>;

export interface HostStateMachineInput {
  name: string;
  type: StateMachineType;
  /** The definition as JSON text (what Describe answers). */
  definition: string;
  machine: StateMachine;
  roleArn?: string;
  run?: ExecutionRunner;
}

export interface HostedStateMachine {
  name: string;
  arn: string;
  type: StateMachineType;
  definition: string;
  roleArn: string;
  creationDate: Date;
  machine: StateMachine;
  run: ExecutionRunner;
}

export interface ExecutionRecord {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus | 'RUNNING';
  startDate: Date;
  stopDate?: Date;
  /** The input as JSON text. */
  input: string;
  /** The output as JSON text (SUCCEEDED). */
  output?: string;
  error?: string;
  cause?: string;
  /** Settles when the execution has ended. */
  done: Promise<ExecutionRecord>;
}

/** An error of the Step Functions API: `name` is AWS's error type (what the SDK's error is named). */
export class StepFunctionsError extends Error {
  constructor(
    override readonly name: string,
    message: string,
  ) {
    super(message);
  }
}

export interface LocalStepFunctionsOptions {
  region?: string;
  accountId?: string;
  /** Finished executions kept for Describe (oldest forgotten first). Default 1000. */
  executionsKept?: number;
}

const FORBIDDEN_IN_NAME = /[\s<>{}[\]?*"#%\\^|~`$&,;:/]/;

/** AWS's rule for machine and execution names: 1 to 80 characters; no whitespace, brackets, wildcards, special or control characters. */
export function isValidName(name: string): boolean {
  if (name.length < 1 || name.length > 80 || FORBIDDEN_IN_NAME.test(name)) return false;
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    if (code <= 0x1f || (code >= 0x7f && code <= 0x9f)) return false;
  }
  return true;
}

/**
 * Step Functions on this machine, knowing nothing of what its machines do: it hosts compiled
 * state machines under AWS's ARNs and runs executions of them as the service does (names,
 * STANDARD and EXPRESS ARN forms, asynchronous StartExecution, StartSyncExecution for EXPRESS
 * only). The AWS-protocol endpoint (`startStepFunctionsEndpoint`) serves it to the SDK and CLI.
 */
export class LocalStepFunctions {
  readonly region: string;
  readonly accountId: string;
  private readonly machines = new Map<string, HostedStateMachine>();
  private readonly executions = new Map<string, ExecutionRecord>();
  private readonly executionsKept: number;
  private readonly abort = new AbortController();

  constructor(options: LocalStepFunctionsOptions = {}) {
    this.region = options.region ?? 'us-east-1';
    this.accountId = options.accountId ?? '000000000000';
    this.executionsKept = options.executionsKept ?? 1000;
  }

  stateMachineArn(name: string): string {
    return `arn:aws:states:${this.region}:${this.accountId}:stateMachine:${name}`;
  }

  hostStateMachine(input: HostStateMachineInput): HostedStateMachine {
    if (!isValidName(input.name)) throw new StepFunctionsError('InvalidName', `Invalid Name: '${input.name}'`);
    const arn = this.stateMachineArn(input.name);
    if (this.machines.has(arn)) throw new StepFunctionsError('StateMachineAlreadyExists', `State Machine Already Exists: '${arn}'`);
    const machine = input.machine;
    const hosted: HostedStateMachine = {
      name: input.name,
      arn,
      type: input.type,
      definition: input.definition,
      roleArn: input.roleArn ?? `arn:aws:iam::${this.accountId}:role/${input.name}-role`,
      creationDate: new Date(),
      machine,
      run: input.run ?? ((executionInput, options) => machine.execute(executionInput, options)),
    };
    this.machines.set(arn, hosted);
    return hosted;
  }

  listStateMachines(): HostedStateMachine[] {
    return [...this.machines.values()];
  }

  describeStateMachine(arn: string): HostedStateMachine {
    const hosted = this.machines.get(arn);
    if (!hosted) throw new StepFunctionsError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
    return hosted;
  }

  /** StartExecution: the execution runs on; the answer is its ARN and start. */
  startExecution(arn: string, request: { input?: string | undefined; name?: string | undefined } = {}): ExecutionRecord {
    const hosted = this.describeStateMachine(arn);
    const name = request.name ?? randomUUID();
    if (!isValidName(name)) throw new StepFunctionsError('InvalidName', `Invalid Name: '${name}'`);
    const inputText = request.input ?? '{}';
    let input: unknown;
    try {
      input = JSON.parse(inputText) as unknown;
    } catch {
      throw new StepFunctionsError('InvalidExecutionInput', 'Invalid State Machine Execution Input: the input is not JSON');
    }
    const executionArn =
      hosted.type === 'EXPRESS'
        ? `arn:aws:states:${this.region}:${this.accountId}:express:${hosted.name}:${name}:${randomUUID()}`
        : `arn:aws:states:${this.region}:${this.accountId}:execution:${hosted.name}:${name}`;
    if (this.executions.has(executionArn)) {
      throw new StepFunctionsError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    }
    const record: ExecutionRecord = {
      executionArn,
      stateMachineArn: arn,
      name,
      status: 'RUNNING',
      startDate: new Date(),
      input: inputText,
      done: undefined as unknown as Promise<ExecutionRecord>,
    };
    record.done = hosted
      .run(input, { name, signal: this.abort.signal })
      .then(
        (outcome) => {
          record.status = outcome.status;
          record.stopDate = outcome.stopDate;
          if (outcome.output !== undefined) record.output = typeof outcome.output === 'string' ? outcome.output : JSON.stringify(outcome.output);
          if (outcome.error !== undefined) record.error = outcome.error;
          if (outcome.cause !== undefined) record.cause = outcome.cause;
          return record;
        },
        (error: unknown) => {
          record.status = 'FAILED';
          record.stopDate = new Date();
          record.error = 'States.Runtime';
          record.cause = (error as Error).message;
          return record;
        },
      );
    this.executions.set(executionArn, record);
    this.forgetOldest();
    return record;
  }

  /** StartSyncExecution: EXPRESS machines only; answers when the execution has ended. */
  async startSyncExecution(arn: string, request: { input?: string | undefined; name?: string | undefined } = {}): Promise<ExecutionRecord> {
    const hosted = this.describeStateMachine(arn);
    if (hosted.type !== 'EXPRESS') {
      throw new StepFunctionsError('StateMachineTypeNotSupported', 'This operation is not supported by this type of state machine');
    }
    return this.startExecution(arn, request).done;
  }

  describeExecution(executionArn: string): ExecutionRecord {
    const record = this.executions.get(executionArn);
    if (!record) throw new StepFunctionsError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
    return record;
  }

  /** Executions of a machine, newest first. */
  listExecutions(stateMachineArn: string): ExecutionRecord[] {
    this.describeStateMachine(stateMachineArn);
    return [...this.executions.values()].filter((e) => e.stateMachineArn === stateMachineArn).reverse();
  }

  /** Stops every running execution (shutdown) and waits for them. */
  async stop(): Promise<void> {
    this.abort.abort();
    await Promise.allSettled([...this.executions.values()].map((e) => e.done));
  }

  private forgetOldest(): void {
    if (this.executions.size <= this.executionsKept) return;
    for (const [arn, record] of this.executions) {
      if (this.executions.size <= this.executionsKept) break;
      if (record.status !== 'RUNNING') this.executions.delete(arn);
    }
  }
}
