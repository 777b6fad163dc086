import { type AwsJsonAnswer, awsJsonError, type AwsJsonServer, type AwsJsonServerOptions, startAwsJsonServer } from '../aws-json/aws-json-server';
import { type ExecutionRecord, type HostedStateMachine, type LocalStepFunctions, StepFunctionsError } from './local-step-functions';

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

const OPERATIONS: Record<string, Operation> = {
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

export async function answerStepFunctions(service: LocalStepFunctions, target: string, input: Input | undefined): Promise<AwsJsonAnswer> {
  const operation = target.startsWith(TARGET_PREFIX) ? OPERATIONS[target.slice(TARGET_PREFIX.length)] : undefined;
  if (!operation) {
    return awsJsonError('UnknownOperationException', `${target || 'This operation'} is not available on the local Step Functions (${STEP_FUNCTIONS_OPERATIONS.join(', ')}).`);
  }
  if (!input) return awsJsonError('SerializationException', 'The request body is not JSON.');
  try {
    return { status: 200, body: await operation(service, input) };
  } catch (error) {
    if (error instanceof StepFunctionsError) return awsJsonError(error.name, error.message);
    throw error;
  }
}

export type StepFunctionsEndpoint = AwsJsonServer;

/** Serves a LocalStepFunctions over AWS's protocol; `AWS_ENDPOINT_URL_SFN` points the SDK at it. */
export function startStepFunctionsEndpoint(service: LocalStepFunctions, options: Omit<AwsJsonServerOptions, 'contentType'> = {}): Promise<StepFunctionsEndpoint> {
  return startAwsJsonServer((request) => answerStepFunctions(service, request.target, request.json()), {
    ...options,
    contentType: 'application/x-amz-json-1.0',
  });
}
