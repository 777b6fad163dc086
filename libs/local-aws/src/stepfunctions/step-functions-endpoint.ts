import { answerOperations, type AwsJsonAnswer, type AwsJsonServer, type AwsJsonServerOptions, startAwsJsonServer } from '../aws-json/aws-json-server';
import type { HistoryEvent } from '@orderflow/state-machine-runtime';
import { type ExecutionRecord, type HostedStateMachine, type LocalStepFunctions, type StateMachineType, StepFunctionsError } from './local-step-functions';
import { type TestStateRequest, testState } from './test-state';

/**
 * Step Functions' API as AWS serves it (JSON 1.0, `X-Amz-Target: AWSStepFunctions.<Operation>`),
 * in front of a LocalStepFunctions: the real `@aws-sdk/client-sfn` and the AWS CLI talk to it with
 * an endpoint override. Timestamps are epoch seconds, errors AWS's types.
 */

const TARGET_PREFIX = 'AWSStepFunctions.';

type Input = Record<string, unknown>;
type Operation = (service: LocalStepFunctions, input: Input) => unknown;

const epochSeconds = (date: Date) => date.getTime() / 1000;

function text(input: Input, key: string, required = true): string | undefined {
  const value = input[key];
  if (value === undefined || value === null) {
    if (required) throw new StepFunctionsError('ValidationException', `1 validation error detected: Value null at '${key.charAt(0).toLowerCase()}${key.slice(1)}' failed to satisfy constraint: Member must not be null`);
    return undefined;
  }
  if (typeof value !== 'string') throw new StepFunctionsError('ValidationException', `${key} must be a string`);
  return value;
}

function stateMachineJson(machine: HostedStateMachine) {
  return {
    stateMachineArn: machine.arn,
    name: machine.name,
    status: 'ACTIVE',
    definition: machine.definition,
    roleArn: machine.roleArn,
    type: machine.type,
    creationDate: epochSeconds(machine.creationDate),
  };
}

function executionJson(record: ExecutionRecord) {
  return {
    executionArn: record.executionArn,
    stateMachineArn: record.stateMachineArn,
    name: record.name,
    status: record.status,
    startDate: epochSeconds(record.startDate),
    ...(record.stopDate ? { stopDate: epochSeconds(record.stopDate) } : {}),
    input: record.input,
    inputDetails: { included: true },
    ...(record.output !== undefined ? { output: record.output, outputDetails: { included: true } } : {}),
    ...(record.error !== undefined ? { error: record.error } : {}),
    ...(record.cause !== undefined ? { cause: record.cause } : {}),
  };
}

function machineType(input: Input): StateMachineType {
  const type = text(input, 'type', false) ?? 'STANDARD';
  if (type !== 'STANDARD' && type !== 'EXPRESS') throw new StepFunctionsError('ValidationException', `1 validation error detected: Value '${type}' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, EXPRESS]`);
  return type;
}

/** A history event as the API sends it: the timestamp in epoch seconds. */
function historyEventJson(event: HistoryEvent): Record<string, unknown> {
  const json = JSON.parse(JSON.stringify(event)) as Record<string, unknown>;
  json['timestamp'] = epochSeconds(event.timestamp);
  return json;
}

/** Page tokens are the offset of the next event, opaque to the caller. */
const pageToken = (offset: number) => Buffer.from(JSON.stringify({ offset })).toString('base64url');
function offsetOf(token: string | undefined): number {
  if (token === undefined) return 0;
  try {
    const { offset } = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { offset?: unknown };
    if (typeof offset === 'number' && Number.isInteger(offset) && offset >= 0) return offset;
  } catch {
    // answered below
  }
  throw new StepFunctionsError('InvalidToken', 'Invalid Token');
}

const OPERATIONS: Record<string, Operation> = {
  CreateStateMachine: (service, input) => {
    const hosted = service.createStateMachine({
      name: text(input, 'name') as string,
      definition: text(input, 'definition') as string,
      type: machineType(input),
      ...(text(input, 'roleArn', false) ? { roleArn: text(input, 'roleArn') as string } : {}),
    });
    return { stateMachineArn: hosted.arn, creationDate: epochSeconds(hosted.creationDate) };
  },
  UpdateStateMachine: (service, input) => {
    const definition = text(input, 'definition', false);
    const roleArn = text(input, 'roleArn', false);
    const hosted = service.updateStateMachine(text(input, 'stateMachineArn') as string, {
      ...(definition !== undefined ? { definition } : {}),
      ...(roleArn !== undefined ? { roleArn } : {}),
    });
    return { updateDate: epochSeconds(hosted.updateDate ?? new Date()) };
  },
  DeleteStateMachine: (service, input) => {
    service.deleteStateMachine(text(input, 'stateMachineArn') as string);
    return {};
  },
  StopExecution: async (service, input) => {
    const arn = text(input, 'executionArn') as string;
    const record = service.describeExecution(arn);
    if (service.describeStateMachine(record.stateMachineArn).type === 'EXPRESS') {
      throw new StepFunctionsError('StateMachineTypeNotSupported', 'This operation is not supported by this type of state machine');
    }
    const stopped = await service.stopExecution(arn, { error: text(input, 'error', false), cause: text(input, 'cause', false) });
    return { stopDate: epochSeconds(stopped.stopDate ?? new Date()) };
  },
  GetExecutionHistory: (service, input) => {
    const arn = text(input, 'executionArn') as string;
    const record = service.describeExecution(arn);
    if (service.describeStateMachine(record.stateMachineArn).type === 'EXPRESS') {
      throw new StepFunctionsError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    }
    let events = (record.history ?? []).map(historyEventJson);
    if (input['reverseOrder'] === true) events = events.reverse();
    if (input['includeExecutionData'] === false) {
      events = events.map((event) => JSON.parse(JSON.stringify(event, (key, value: unknown) => (['input', 'output', 'parameters'].includes(key) && typeof value === 'string' ? undefined : value))) as Record<string, unknown>);
    }
    const max = typeof input['maxResults'] === 'number' && input['maxResults'] > 0 ? Math.min(input['maxResults'], 1000) : 100;
    const offset = offsetOf(text(input, 'nextToken', false));
    const page = events.slice(offset, offset + max);
    return { events: page, ...(offset + max < events.length ? { nextToken: pageToken(offset + max) } : {}) };
  },
  TestState: (service, input) => {
    const request: TestStateRequest = { definition: text(input, 'definition') as string };
    for (const key of ['input', 'stateName', 'variables', 'roleArn', 'context'] as const) {
      const value = text(input, key, false);
      if (value !== undefined) request[key] = value;
    }
    const level = text(input, 'inspectionLevel', false);
    if (level !== undefined) request.inspectionLevel = level as NonNullable<TestStateRequest['inspectionLevel']>;
    if (input['mock'] !== undefined) request.mock = input['mock'] as NonNullable<TestStateRequest['mock']>;
    if (input['stateConfiguration'] !== undefined) request.stateConfiguration = input['stateConfiguration'] as NonNullable<TestStateRequest['stateConfiguration']>;
    return testState(request, (definition, integrations) => service.compile(definition, 'TestState', 'STANDARD', integrations));
  },

  ListStateMachines: (service) => ({
    stateMachines: service.listStateMachines().map((m) => ({
      stateMachineArn: m.arn,
      name: m.name,
      type: m.type,
      creationDate: epochSeconds(m.creationDate),
    })),
  }),
  DescribeStateMachine: (service, input) => stateMachineJson(service.describeStateMachine(text(input, 'stateMachineArn') as string)),
  StartExecution: (service, input) => {
    const record = service.startExecution(text(input, 'stateMachineArn') as string, { input: text(input, 'input', false), name: text(input, 'name', false) });
    return { executionArn: record.executionArn, startDate: epochSeconds(record.startDate) };
  },
  StartSyncExecution: async (service, input) => {
    const record = await service.startSyncExecution(text(input, 'stateMachineArn') as string, {
      input: text(input, 'input', false),
      name: text(input, 'name', false),
    });
    const { inputDetails: _inputDetails, ...json } = executionJson(record);
    return json;
  },
  DescribeExecution: (service, input) => {
    const record = service.describeExecution(text(input, 'executionArn') as string);
    if (service.describeStateMachine(record.stateMachineArn).type === 'EXPRESS') {
      // As AWS: an Express execution is not kept by the service (its logs are).
      throw new StepFunctionsError('ExecutionDoesNotExist', `Execution Does Not Exist: '${record.executionArn}'`);
    }
    return executionJson(record);
  },
  ListExecutions: (service, input) => {
    const arn = text(input, 'stateMachineArn') as string;
    if (service.describeStateMachine(arn).type === 'EXPRESS') {
      throw new StepFunctionsError('StateMachineTypeNotSupported', 'This operation is not supported by this type of state machine');
    }
    const status = text(input, 'statusFilter', false);
    return {
      executions: service
        .listExecutions(arn)
        .filter((e) => status === undefined || e.status === status)
        .map((e) => ({
          executionArn: e.executionArn,
          stateMachineArn: e.stateMachineArn,
          name: e.name,
          status: e.status,
          startDate: epochSeconds(e.startDate),
          ...(e.stopDate ? { stopDate: epochSeconds(e.stopDate) } : {}),
        })),
    };
  },
};

/** The operations this endpoint answers (the others answer UnknownOperationException). */
export const STEP_FUNCTIONS_OPERATIONS = Object.keys(OPERATIONS);

export function answerStepFunctions(service: LocalStepFunctions, target: string, input: Input | undefined): Promise<AwsJsonAnswer> {
  return answerOperations(
    { target, input },
    { serviceName: 'Step Functions', targetPrefix: TARGET_PREFIX, operations: OPERATIONS, service, isServiceError: (error) => error instanceof StepFunctionsError },
  );
}

export type StepFunctionsEndpoint = AwsJsonServer;

/** Serves a LocalStepFunctions over AWS's protocol; `AWS_ENDPOINT_URL_SFN` points the SDK at it. */
export function startStepFunctionsEndpoint(service: LocalStepFunctions, options: Omit<AwsJsonServerOptions, 'contentType'> = {}): Promise<StepFunctionsEndpoint> {
  return startAwsJsonServer((request) => answerStepFunctions(service, request.target, request.json()), {
    ...options,
    contentType: 'application/x-amz-json-1.0',
  });
}
