import {
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  ExecutionDoesNotExist,
  ListStateMachinesCommand,
  SFNClient,
  StartExecutionCommand,
  StartSyncExecutionCommand,
  StateMachineDoesNotExist,
  StateMachineTypeNotSupported,
} from '@aws-sdk/client-sfn';
import { compileStateMachine } from '@orderflow/state-machine-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalStepFunctions } from './local-step-functions';
import { type StepFunctionsEndpoint, startStepFunctionsEndpoint } from './step-functions-endpoint';

// The real SDK against the endpoint, as a project would use it.

const service = new LocalStepFunctions({ region: 'eu-west-1', accountId: '111122223333' });
let endpoint: StepFunctionsEndpoint;
let sfn: SFNClient;

const greet = {
  QueryLanguage: 'JSONata',
  StartAt: 'Greet',
  States: { Greet: { Type: 'Pass', Output: '{% {"greeting": "hello " & $states.input.who} %}', End: true } },
};
const failing = { StartAt: 'Boom', States: { Boom: { Type: 'Fail', Error: 'Custom.Error', Cause: 'on purpose' } } };
const host = (name: string, type: 'STANDARD' | 'EXPRESS', definition: object) =>
  service.hostStateMachine({ name, type, definition: JSON.stringify(definition), machine: compileStateMachine(definition, { stateMachineName: name }) });

beforeAll(async () => {
  host('Greeter', 'EXPRESS', greet);
  host('GreeterStandard', 'STANDARD', greet);
  host('Failing', 'STANDARD', failing);
  endpoint = await startStepFunctionsEndpoint(service);
  // StartSyncExecution goes to `sync-states.<region>`: the host prefix must be off for a local endpoint.
  sfn = new SFNClient({ endpoint: endpoint.endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, disableHostPrefix: true });
});
afterAll(async () => {
  sfn.destroy();
  await endpoint.stop();
  await service.stop();
});

describe('the local Step Functions endpoint, through @aws-sdk/client-sfn', () => {
  it('lists and describes the hosted machines', async () => {
    const list = await sfn.send(new ListStateMachinesCommand({}));
    expect(list.stateMachines?.map((m) => [m.name, m.type])).toEqual([
      ['Greeter', 'EXPRESS'],
      ['GreeterStandard', 'STANDARD'],
      ['Failing', 'STANDARD'],
    ]);
    const described = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: service.stateMachineArn('Greeter') }));
    expect(described).toMatchObject({ name: 'Greeter', type: 'EXPRESS', status: 'ACTIVE', stateMachineArn: 'arn:aws:states:eu-west-1:111122223333:stateMachine:Greeter' });
    expect(JSON.parse(described.definition ?? '')).toEqual(greet);
    expect(described.creationDate).toBeInstanceOf(Date);
  });

  it('runs an EXPRESS machine with StartSyncExecution: output, status, Express ARN', async () => {
    const result = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn: service.stateMachineArn('Greeter'), input: '{"who":"ada"}', name: 'first' }));
    expect(result.status).toBe('SUCCEEDED');
    expect(JSON.parse(result.output ?? '')).toEqual({ greeting: 'hello ada' });
    expect(result.executionArn).toMatch(/^arn:aws:states:eu-west-1:111122223333:express:Greeter:first:[0-9a-f-]{36}$/);
    expect(result.stopDate?.getTime()).toBeGreaterThanOrEqual(result.startDate?.getTime() ?? Infinity);
    await expect(sfn.send(new StartSyncExecutionCommand({ stateMachineArn: service.stateMachineArn('GreeterStandard') }))).rejects.toBeInstanceOf(StateMachineTypeNotSupported);
  });

  it('starts a STANDARD execution, then describes it once it ended; a failure keeps its error and cause', async () => {
    const started = await sfn.send(new StartExecutionCommand({ stateMachineArn: service.stateMachineArn('GreeterStandard'), input: '{"who":"grace"}', name: 'run-1' }));
    expect(started.executionArn).toBe('arn:aws:states:eu-west-1:111122223333:execution:GreeterStandard:run-1');
    await service.describeExecution(started.executionArn ?? '').done;
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn: started.executionArn }));
    expect(described).toMatchObject({ status: 'SUCCEEDED', name: 'run-1', input: '{"who":"grace"}' });
    expect(JSON.parse(described.output ?? '')).toEqual({ greeting: 'hello grace' });

    const failed = await sfn.send(new StartExecutionCommand({ stateMachineArn: service.stateMachineArn('Failing') }));
    await service.describeExecution(failed.executionArn ?? '').done;
    expect(await sfn.send(new DescribeExecutionCommand({ executionArn: failed.executionArn }))).toMatchObject({ status: 'FAILED', error: 'Custom.Error', cause: 'on purpose' });
  });

  it("answers AWS's errors: unknown machine, unknown execution, an Express execution (not kept by the service)", async () => {
    await expect(sfn.send(new StartExecutionCommand({ stateMachineArn: service.stateMachineArn('Nope') }))).rejects.toBeInstanceOf(StateMachineDoesNotExist);
    await expect(sfn.send(new DescribeExecutionCommand({ executionArn: 'arn:aws:states:eu-west-1:111122223333:execution:Greeter:none' }))).rejects.toBeInstanceOf(ExecutionDoesNotExist);
    const express = await sfn.send(new StartExecutionCommand({ stateMachineArn: service.stateMachineArn('Greeter'), input: '{"who":"x"}' }));
    await expect(sfn.send(new DescribeExecutionCommand({ executionArn: express.executionArn }))).rejects.toBeInstanceOf(ExecutionDoesNotExist);
    const raw = await fetch(endpoint.endpoint, { method: 'POST', headers: { 'X-Amz-Target': 'AWSStepFunctions.TagResource' }, body: '{}' });
    expect(raw.status).toBe(400);
    expect(await raw.json()).toMatchObject({ __type: 'UnknownOperationException' });
  });
});
