import {
  CreateStateMachineCommand,
  DeleteStateMachineCommand,
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  InvalidDefinition,
  SFNClient,
  StartExecutionCommand,
  StartSyncExecutionCommand,
  StateMachineAlreadyExists,
  StateMachineDoesNotExist,
  StopExecutionCommand,
  TestStateCommand,
  UpdateStateMachineCommand,
  ValidationException,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalStepFunctions } from './local-step-functions';
import { type StepFunctionsEndpoint, startStepFunctionsEndpoint } from './step-functions-endpoint';

// The whole life of a machine made through the API, and TestState, with the real SDK.

const service = new LocalStepFunctions({
  region: 'eu-west-1',
  accountId: '111122223333',
  integrations: { lambdaFunctions: { double: async (event: unknown) => ({ doubled: 2 * Number((event as { n: number }).n) }) } },
});
let endpoint: StepFunctionsEndpoint;
let sfn: SFNClient;

beforeAll(async () => {
  endpoint = await startStepFunctionsEndpoint(service);
  sfn = new SFNClient({ endpoint: endpoint.endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, disableHostPrefix: true });
});
afterAll(async () => {
  sfn.destroy();
  await endpoint.stop();
  await service.stop();
});

const doubler = {
  StartAt: 'Double',
  States: {
    Double: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'double', 'Payload.$': '$' }, ResultSelector: { 'value.$': '$.Payload.doubled' }, End: true },
  },
};

describe('machines made through the API', () => {
  it('creates an EXPRESS machine and runs it with StartSyncExecution (its Lambda task through the given integrations)', async () => {
    const created = await sfn.send(new CreateStateMachineCommand({ name: 'Doubler', definition: JSON.stringify(doubler), roleArn: 'arn:aws:iam::111122223333:role/r', type: 'EXPRESS' }));
    expect(created.stateMachineArn).toBe('arn:aws:states:eu-west-1:111122223333:stateMachine:Doubler');
    const result = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn: created.stateMachineArn, input: '{"n":21}' }));
    expect(result.status).toBe('SUCCEEDED');
    expect(JSON.parse(result.output ?? '')).toEqual({ value: 42 });
    await expect(sfn.send(new CreateStateMachineCommand({ name: 'Doubler', definition: JSON.stringify(doubler), roleArn: 'r', type: 'EXPRESS' }))).rejects.toBeInstanceOf(
      StateMachineAlreadyExists,
    );
  });

  it('refuses a definition AWS would refuse, with InvalidDefinition naming the problem', async () => {
    const bad = { StartAt: 'Missing', States: { A: { Type: 'Pass', End: true } } };
    const error = await sfn.send(new CreateStateMachineCommand({ name: 'Bad', definition: JSON.stringify(bad), roleArn: 'r' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidDefinition);
    expect((error as Error).message).toMatch(/^Invalid State Machine Definition: '.*Missing/);
    await expect(sfn.send(new CreateStateMachineCommand({ name: 'Bad', definition: '{not json', roleArn: 'r' }))).rejects.toBeInstanceOf(InvalidDefinition);
  });

  it('runs a STANDARD machine with StartExecution, then describes it and gives its history (paged)', async () => {
    const waitThenPass = {
      StartAt: 'Wait',
      States: { Wait: { Type: 'Wait', Seconds: 0, Next: 'Done' }, Done: { Type: 'Pass', Result: { ok: true }, End: true } },
    };
    const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: 'Standard', definition: JSON.stringify(waitThenPass), roleArn: 'r' }));
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'one', input: '{"x":1}' }));
    await service.describeExecution(executionArn ?? '').done;
    expect(await sfn.send(new DescribeExecutionCommand({ executionArn }))).toMatchObject({ status: 'SUCCEEDED', output: '{"ok":true}' });
    const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    expect(history.events?.map((e) => e.type)).toEqual([
      'ExecutionStarted',
      'WaitStateEntered',
      'WaitStateExited',
      'PassStateEntered',
      'PassStateExited',
      'ExecutionSucceeded',
    ]);
    expect(history.events?.[0]?.timestamp).toBeInstanceOf(Date);
    expect(history.events?.[0]?.executionStartedEventDetails?.input).toBe('{"x":1}');
    const first = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 4, reverseOrder: true }));
    expect(first.events?.map((e) => e.id)).toEqual([6, 5, 4, 3]);
    const rest = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 4, reverseOrder: true, nextToken: first.nextToken }));
    expect(rest.events?.map((e) => e.id)).toEqual([2, 1]);
    expect(rest.nextToken).toBeUndefined();
  });

  it('stops a running execution (ABORTED with the error and cause given), updates and deletes a machine', async () => {
    const slow = { StartAt: 'Wait', States: { Wait: { Type: 'Wait', Seconds: 600, End: true } } };
    const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: 'Slow', definition: JSON.stringify(slow), roleArn: 'r' }));
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn }));
    const stopped = await sfn.send(new StopExecutionCommand({ executionArn, error: 'Operator.Stop', cause: 'no longer needed' }));
    expect(stopped.stopDate).toBeInstanceOf(Date);
    expect(await sfn.send(new DescribeExecutionCommand({ executionArn }))).toMatchObject({ status: 'ABORTED', error: 'Operator.Stop', cause: 'no longer needed' });

    const updated = await sfn.send(new UpdateStateMachineCommand({ stateMachineArn, definition: JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', Result: 'new', End: true } } }) }));
    expect(updated.updateDate).toBeInstanceOf(Date);
    const next = await sfn.send(new StartExecutionCommand({ stateMachineArn }));
    await service.describeExecution(next.executionArn ?? '').done;
    expect((await sfn.send(new DescribeExecutionCommand({ executionArn: next.executionArn }))).output).toBe('"new"');

    await sfn.send(new DeleteStateMachineCommand({ stateMachineArn }));
    await expect(sfn.send(new StartExecutionCommand({ stateMachineArn }))).rejects.toBeInstanceOf(StateMachineDoesNotExist);
  });
});

describe('TestState', () => {
  const task = {
    Type: 'Task',
    Resource: 'arn:aws:states:::lambda:invoke',
    Parameters: { FunctionName: 'pricing', 'Payload.$': '$.cart' },
    ResultSelector: { 'total.$': '$.Payload.total' },
    ResultPath: '$.priced',
    Retry: [{ ErrorEquals: ['Lambda.TooManyRequestsException'], MaxAttempts: 2 }],
    Catch: [{ ErrorEquals: ['Pricing.Unknown'], ResultPath: '$.error', Next: 'Reject' }],
    Next: 'Charge',
  };
  const input = JSON.stringify({ cart: ['mug'] });

  it('runs a Task alone with a mocked result: output, next state, and the data at each step (DEBUG)', async () => {
    const answer = await sfn.send(
      new TestStateCommand({ definition: JSON.stringify(task), input, inspectionLevel: 'DEBUG', mock: { result: JSON.stringify({ StatusCode: 200, Payload: { total: 1299 } }) } }),
    );
    expect(answer.status).toBe('SUCCEEDED');
    expect(answer.nextState).toBe('Charge');
    expect(JSON.parse(answer.output ?? '')).toEqual({ cart: ['mug'], priced: { total: 1299 } });
    expect(answer.inspectionData).toMatchObject({
      input,
      afterInputPath: input,
      afterParameters: JSON.stringify({ FunctionName: 'pricing', Payload: ['mug'] }),
      result: JSON.stringify({ StatusCode: 200, Payload: { total: 1299 } }),
      afterResultSelector: '{"total":1299}',
      afterResultPath: JSON.stringify({ cart: ['mug'], priced: { total: 1299 } }),
    });
    const info = await sfn.send(new TestStateCommand({ definition: JSON.stringify(task), input, mock: { result: '{"StatusCode":200,"Payload":{"total":1}}' } }));
    expect(info.inspectionData).toBeUndefined();
  });

  it('reports a mocked error caught by a Catch (CAUGHT_ERROR, the catcher\'s next state and output), one a Retry would retry (RETRIABLE), and one nothing handles (FAILED)', async () => {
    const caught = await sfn.send(new TestStateCommand({ definition: JSON.stringify(task), input, mock: { errorOutput: { error: 'Pricing.Unknown', cause: 'no price for mug' } } }));
    expect(caught).toMatchObject({ status: 'CAUGHT_ERROR', nextState: 'Reject', error: 'Pricing.Unknown', cause: 'no price for mug' });
    expect(JSON.parse(caught.output ?? '')).toEqual({ cart: ['mug'], error: { Error: 'Pricing.Unknown', Cause: 'no price for mug' } });

    const throttled = { errorOutput: { error: 'Lambda.TooManyRequestsException', cause: 'slow down' } };
    expect(await sfn.send(new TestStateCommand({ definition: JSON.stringify(task), input, mock: throttled }))).toMatchObject({ status: 'RETRIABLE', error: 'Lambda.TooManyRequestsException' });
    const exhausted = await sfn.send(new TestStateCommand({ definition: JSON.stringify(task), input, mock: throttled, stateConfiguration: { retrierRetryCount: 2 } }));
    expect(exhausted).toMatchObject({ status: 'FAILED', error: 'Lambda.TooManyRequestsException', cause: 'slow down' });
  });

  it('tests a state by name inside a whole definition, with variables, in JSONata', async () => {
    const machine = {
      QueryLanguage: 'JSONata',
      StartAt: 'Route',
      States: {
        Route: {
          Type: 'Choice',
          Choices: [{ Condition: '{% $states.input.total > $limit %}', Next: 'Review', Assign: { flagged: true } }],
          Default: 'Accept',
        },
        Review: { Type: 'Pass', End: true },
        Accept: { Type: 'Pass', End: true },
      },
    };
    const over = await sfn.send(
      new TestStateCommand({ definition: JSON.stringify(machine), stateName: 'Route', input: '{"total":500}', variables: '{"limit":100}', inspectionLevel: 'DEBUG' }),
    );
    expect(over).toMatchObject({ status: 'SUCCEEDED', nextState: 'Review', output: '{"total":500}' });
    expect(JSON.parse(over.inspectionData?.variables ?? '')).toEqual({ limit: 100, flagged: true });
    const under = await sfn.send(new TestStateCommand({ definition: JSON.stringify(machine), stateName: 'Route', input: '{"total":50}', variables: '{"limit":100}' }));
    expect(under.nextState).toBe('Accept');
  });

  it('validates mocks against the API model of the action (STRICT by default, PRESENT, NONE) and refuses what AWS refuses', async () => {
    const send = (mock: object, extra: object = {}) => sfn.send(new TestStateCommand({ definition: JSON.stringify(task), input, mock, ...extra }));
    await expect(send({ result: '{"Payload":{"total":1}}' })).rejects.toThrow(/'StatusCode' is required/);
    expect((await send({ result: '{"Payload":{"total":1}}', fieldValidationMode: 'PRESENT' })).status).toBe('SUCCEEDED');
    await expect(send({ result: '{"StatusCode":"200"}', fieldValidationMode: 'PRESENT' })).rejects.toThrow(/'StatusCode' must be an integer/);
    await expect(send({ result: '{"Surprise":1,"StatusCode":200}' })).rejects.toBeInstanceOf(ValidationException);
    expect((await send({ result: '{"Surprise":1,"Payload":{"total":1}}', fieldValidationMode: 'NONE' })).status).toBe('SUCCEEDED');
    await expect(send({ result: '{}', errorOutput: { error: 'E' } })).rejects.toThrow(/either a result or an errorOutput/);
    await expect(sfn.send(new TestStateCommand({ definition: '{"Type":"Pass","End":true}', mock: { result: '{}' } }))).rejects.toThrow(/only for Task, Map and Parallel/);
    await expect(sfn.send(new TestStateCommand({ definition: JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', End: true } } }) }))).rejects.toThrow(/stateName is required/);
    await expect(sfn.send(new TestStateCommand({ definition: '{"Type":"Pass","Bogus":1,"End":true}' }))).rejects.toBeInstanceOf(InvalidDefinition);
  });

  it('mocks the result of a Map state as a whole', async () => {
    const map = {
      Type: 'Map',
      ItemsPath: '$.items',
      ItemProcessor: { StartAt: 'Each', States: { Each: { Type: 'Pass', End: true } } },
      ResultPath: '$.results',
      End: true,
    };
    const answer = await sfn.send(new TestStateCommand({ definition: JSON.stringify(map), input: '{"items":[1,2]}', mock: { result: '[10,20]' } }));
    expect(answer).toMatchObject({ status: 'SUCCEEDED' });
    expect(answer.nextState).toBeUndefined();
    expect(JSON.parse(answer.output ?? '')).toEqual({ items: [1, 2], results: [10, 20] });
  });
});
