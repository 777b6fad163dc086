import { describe, expect, it } from 'vitest';
import type { LambdaContext } from './integrations/lambda';
import { compileStateMachine, type StateMachine } from './state-machine';
import { TaskTokenNotFoundError } from './task-tokens';

/** A Lambda that hands its token to `onToken` (like a worker picking up a job). */
function machineWith(onToken: (token: string, machine: StateMachine) => void, extra: Record<string, unknown> = {}): StateMachine {
  const holder: { machine?: StateMachine } = {};
  const functions = {
    worker: async (event: { token: string }, _context: LambdaContext) => {
      setTimeout(() => onToken(event.token, holder.machine as StateMachine), 10);
      return { queued: true };
    },
  };
  const machine = compileStateMachine(
    {
      StartAt: 'Wait for approval',
      States: {
        'Wait for approval': {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
          Parameters: { FunctionName: 'worker', Payload: { 'token.$': '$$.Task.Token', 'order.$': '$.order' } },
          End: true,
          ...extra,
        },
      },
    },
    { integrations: { lambdaFunctions: functions } },
  );
  holder.machine = machine;
  return machine;
}

describe('.waitForTaskToken', () => {
  it('waits for sendTaskSuccess and continues with its output', async () => {
    const machine = machineWith((token, m) => m.sendTaskSuccess(token, '{"approved": true}'));
    const result = await machine.execute({ order: 'o-1' });
    expect(result).toMatchObject({ status: 'SUCCEEDED', output: { approved: true } });
    expect(result.history.map((e) => e.type)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSubmitted',
      'TaskSucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
    const submitted = result.history.find((e) => e.type === 'TaskSubmitted')?.taskSubmittedEventDetails;
    expect(JSON.parse(submitted?.output as string)).toMatchObject({ Payload: { queued: true }, StatusCode: 200 });
  });

  it('fails with the error and cause of sendTaskFailure', async () => {
    const machine = machineWith((token, m) => m.sendTaskFailure(token, 'Rejected', 'not today'));
    expect(await machine.execute({ order: 'o-2' })).toMatchObject({ status: 'FAILED', error: 'Rejected', cause: 'not today' });
  });

  it('times out with States.HeartbeatTimeout when heartbeats stop, and heartbeats keep it alive', async () => {
    const silent = machineWith(() => undefined, { HeartbeatSeconds: 1, TimeoutSeconds: 10 });
    expect(await silent.execute({ order: 'o-3' })).toMatchObject({ status: 'FAILED', error: 'States.HeartbeatTimeout' });

    const beating = machineWith(
      (token, m) => {
        const beat = setInterval(() => m.sendTaskHeartbeat(token), 250);
        setTimeout(() => {
          clearInterval(beat);
          m.sendTaskSuccess(token, { done: 1 });
        }, 2500);
      },
      { HeartbeatSeconds: 2, TimeoutSeconds: 10 },
    );
    expect(await beating.execute({ order: 'o-4' })).toMatchObject({ status: 'SUCCEEDED', output: { done: 1 } });
  }, 10_000);

  it('refuses tokens nobody waits for', () => {
    const machine = machineWith(() => undefined);
    expect(() => machine.sendTaskSuccess('nope', '{}')).toThrowError(TaskTokenNotFoundError);
  });

  it('is refused at compile time for integrations without callbacks', () => {
    expect(() =>
      compileStateMachine(
        { StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:getItem.waitForTaskToken', Parameters: { TableName: 't', Key: {} }, End: true } } },
        { integrations: { dynamoDb: { send: async () => ({}) } } },
      ),
    ).toThrowError(/does not support the '.waitForTaskToken'/);
  });
});
