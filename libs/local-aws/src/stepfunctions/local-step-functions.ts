import { randomUUID } from 'node:crypto';
import {
  compileStateMachine,
  createIntegrations,
  type ExecutionStatus,
  type HistoryEvent,
  type IntegrationRegistry,
  type IntegrationsOptions,
  type StateMachine,
  StateMachineDefinitionError,
  TaskFailure,
} from '@orderflow/state-machine-runtime';

export type StateMachineType = 'STANDARD' | 'EXPRESS';

/** How an execution ended, as a runner reports it (the runtime's ExecutionResult is one). */
export interface ExecutionOutcome {
  status: ExecutionStatus;
  /** The output value (SUCCEEDED). */
  output?: unknown;
  /** Or the output as JSON text already (a host that keeps it so). */
  outputJson?: string | undefined;
  error?: string | undefined;
  cause?: string | undefined;
  startDate: Date;
  stopDate: Date;
  /** GetExecutionHistory's events, when the runner kept them. */
  history?: HistoryEvent[];
}

/**
 * Runs one execution of a hosted machine. The default runs the compiled machine in-process; a
 * host may pass its own (a queue with a concurrency bound, an inspection store).
 */
export type ExecutionRunner = (input: unknown, options: { name: string; signal: AbortSignal; executionArn: string }) => Promise<ExecutionOutcome>;

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
  updateDate?: Date;
  machine: StateMachine;
  run: ExecutionRunner;
  /** Whether it came from CreateStateMachine (then Update/Delete may change it). */
  created: boolean;
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
  /** GetExecutionHistory's events once it has ended (when the runner kept them). */
  history?: HistoryEvent[];
  /** Settles when the execution has ended. */
  done: Promise<ExecutionRecord>;
  /** Stops it (StopExecution). */
  stop: (error?: string, cause?: string) => void;
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
  /**
   * What the Task states of machines made by CreateStateMachine call (Lambda functions by ARN
   * or name, an EventBridge publisher, a DynamoDB client...). A resource nothing here serves is
   * accepted, as AWS accepts any ARN, and fails when a task calls it.
   */
  integrations?: IntegrationsOptions;
  /** Multiplies Wait and Retry delays of created machines (default 1). */
  waitScale?: number;
}

/** A CreateStateMachine/UpdateStateMachine definition the runtime refuses: AWS's InvalidDefinition text. */
function invalidDefinition(error: StateMachineDefinitionError): StepFunctionsError {
  const problems = error.diagnostics.map((d) => `${d.code}: ${d.message}${d.location ? ` at ${d.location}` : ''}`);
  return new StepFunctionsError('InvalidDefinition', `Invalid State Machine Definition: '${problems.join(', ')}'`);
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
  private readonly integrations: IntegrationRegistry;
  private readonly waitScale: number;

  constructor(options: LocalStepFunctionsOptions = {}) {
    this.region = options.region ?? 'us-east-1';
    this.accountId = options.accountId ?? '000000000000';
    this.executionsKept = options.executionsKept ?? 1000;
    this.waitScale = options.waitScale ?? 1;
    this.integrations = createIntegrations(options.integrations ?? {}).use({
      description: 'any other resource (fails when a task calls it)',
      resolve: (resource) => ({
        resourceType: 'local',
        resourceName: resource,
        invoke: () => {
          throw new TaskFailure('States.Runtime', `No local integration serves '${resource}': give it to LocalStepFunctions (integrations)`);
        },
      }),
    });
  }

  /** Compiles a definition for CreateStateMachine/UpdateStateMachine/TestState: InvalidDefinition as AWS names it. */
  compile(definition: string, name: string, type: StateMachineType, integrations: IntegrationRegistry = this.integrations, roleArn?: string): StateMachine {
    try {
      return compileStateMachine(definition, {
        integrations,
        ...(roleArn ? { roleArn } : {}),
        stateMachineName: name,
        region: this.region,
        accountId: this.accountId,
        type,
        waitScale: this.waitScale,
      });
    } catch (error) {
      if (error instanceof StateMachineDefinitionError) throw invalidDefinition(error);
      throw error;
    }
  }

  /** CreateStateMachine: a definition (JSON text) the service keeps and runs. */
  createStateMachine(request: { name: string; definition: string; type?: StateMachineType; roleArn?: string }): HostedStateMachine {
    const type = request.type ?? 'STANDARD';
    if (!isValidName(request.name)) throw new StepFunctionsError('InvalidName', `Invalid Name: '${request.name}'`);
    const machine = this.compile(request.definition, request.name, type, this.integrations, request.roleArn);
    const hosted = this.hostStateMachine({ name: request.name, type, definition: request.definition, machine, ...(request.roleArn ? { roleArn: request.roleArn } : {}) });
    hosted.created = true;
    return hosted;
  }

  /** UpdateStateMachine: a new definition (or role) for later executions; running ones go on with theirs. */
  updateStateMachine(arn: string, request: { definition?: string; roleArn?: string }): HostedStateMachine {
    const hosted = this.describeStateMachine(arn);
    if (!hosted.created) {
      throw new StepFunctionsError('ValidationException', `'${hosted.name}' is hosted from a template here: change the template and restart instead`);
    }
    if (request.definition === undefined && request.roleArn === undefined) {
      throw new StepFunctionsError('MissingRequiredParameter', 'Either the definition, the role ARN, the LoggingConfiguration, or the TracingConfiguration must be specified');
    }
    if (request.definition !== undefined) {
      const machine = this.compile(request.definition, hosted.name, hosted.type, this.integrations, request.roleArn ?? hosted.roleArn);
      hosted.definition = request.definition;
      hosted.machine = machine;
      hosted.run = (input, options) => machine.execute(input, options);
    }
    if (request.roleArn !== undefined) hosted.roleArn = request.roleArn;
    hosted.updateDate = new Date();
    return hosted;
  }

  /** DeleteStateMachine: gone for new executions; running ones finish. */
  deleteStateMachine(arn: string): void {
    const hosted = this.machines.get(arn);
    // AWS answers a delete of an unknown machine with success.
    if (!hosted) return;
    if (!hosted.created) {
      throw new StepFunctionsError('ValidationException', `'${hosted.name}' is hosted from a template here: remove it from the template instead`);
    }
    this.machines.delete(arn);
    // Its executions go with it here (AWS keeps them a while), so the name can be used again at once.
    for (const [executionArn, record] of this.executions) if (record.stateMachineArn === arn) this.executions.delete(executionArn);
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
      created: false,
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
    const stopper = new AbortController();
    const signal = AbortSignal.any([this.abort.signal, stopper.signal]);
    let stoppedWith: { error?: string | undefined; cause?: string | undefined } | undefined;
    const record: ExecutionRecord = {
      executionArn,
      stateMachineArn: arn,
      name,
      status: 'RUNNING',
      startDate: new Date(),
      input: inputText,
      done: undefined as unknown as Promise<ExecutionRecord>,
      stop: (error, cause) => {
        stoppedWith = { error, cause };
        stopper.abort();
      },
    };
    record.done = hosted
      .run(input, { name, signal, executionArn })
      .then(
        (outcome) => {
          record.status = outcome.status;
          record.stopDate = outcome.stopDate;
          if (outcome.outputJson !== undefined) record.output = outcome.outputJson;
          else if (outcome.output !== undefined) record.output = JSON.stringify(outcome.output);
          if (outcome.error !== undefined) record.error = outcome.error;
          if (outcome.cause !== undefined) record.cause = outcome.cause;
          if (outcome.history !== undefined) record.history = outcome.history;
          if (outcome.status === 'ABORTED' && stoppedWith) {
            if (stoppedWith.error !== undefined) record.error = stoppedWith.error;
            if (stoppedWith.cause !== undefined) record.cause = stoppedWith.cause;
          }
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

  /** StopExecution: a running STANDARD execution ends ABORTED, with the error and cause given. */
  async stopExecution(executionArn: string, request: { error?: string | undefined; cause?: string | undefined } = {}): Promise<ExecutionRecord> {
    const record = this.describeExecution(executionArn);
    if (record.status === 'RUNNING') {
      record.stop(request.error, request.cause);
      await record.done;
    }
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
