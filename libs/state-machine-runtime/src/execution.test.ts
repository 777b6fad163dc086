import { describe, expect, it } from 'vitest';
import { VirtualClock } from './clock';
import { InvalidExecutionInputError, InvalidExecutionNameError, compileStateMachine } from './state-machine';
import { eventTypes, runMachine, single, testResources } from './test-support';

describe('execution results and history', () => {
  it("records GetExecutionHistory's events: types, ids, previousEventId, details as JSON text, timestamps", async () => {
    const clock = new VirtualClock(Date.UTC(2024, 5, 1));
    const def = { QueryLanguage: 'JSONata', StartAt: 'A', States: { A: { Type: 'Pass', Assign: { v: 1 }, Output: { n: '{% $states.input.n %}' }, Next: 'W' }, W: { Type: 'Wait', Seconds: 2, End: true } } };
    const result = await runMachine(def, { n: 5 }, { clock, stateMachineName: 'Orders', roleArn: 'arn:aws:iam::1:role/r' }, { name: 'exec-1' });
    expect(result).toMatchObject({
      status: 'SUCCEEDED',
      output: { n: 5 },
      stateTransitions: 2,
      name: 'exec-1',
      executionArn: 'arn:aws:states:us-east-1:123456789012:execution:Orders:exec-1',
    });
    expect(result.history).toEqual([
      {
        timestamp: new Date('2024-06-01T00:00:00.000Z'),
        type: 'ExecutionStarted',
        id: 1,
        previousEventId: 0,
        executionStartedEventDetails: { input: '{"n":5}', inputDetails: { truncated: false }, roleArn: 'arn:aws:iam::1:role/r' },
      },
      {
        timestamp: new Date('2024-06-01T00:00:00.000Z'),
        type: 'PassStateEntered',
        id: 2,
        previousEventId: 0,
        stateEnteredEventDetails: { name: 'A', input: '{"n":5}', inputDetails: { truncated: false } },
      },
      {
        timestamp: new Date('2024-06-01T00:00:00.000Z'),
        type: 'PassStateExited',
        id: 3,
        previousEventId: 2,
        stateExitedEventDetails: {
          name: 'A',
          output: '{"n":5}',
          outputDetails: { truncated: false },
          assignedVariables: { v: '1' },
          assignedVariablesDetails: { truncated: false },
        },
      },
      {
        timestamp: new Date('2024-06-01T00:00:00.000Z'),
        type: 'WaitStateEntered',
        id: 4,
        previousEventId: 3,
        stateEnteredEventDetails: { name: 'W', input: '{"n":5}', inputDetails: { truncated: false } },
      },
      {
        timestamp: new Date('2024-06-01T00:00:02.000Z'),
        type: 'WaitStateExited',
        id: 5,
        previousEventId: 4,
        stateExitedEventDetails: { name: 'W', output: '{"n":5}', outputDetails: { truncated: false } },
      },
      {
        timestamp: new Date('2024-06-01T00:00:02.000Z'),
        type: 'ExecutionSucceeded',
        id: 6,
        previousEventId: 5,
        executionSucceededEventDetails: { output: '{"n":5}', outputDetails: { truncated: false } },
      },
    ]);
    expect(result.startDate).toEqual(new Date('2024-06-01T00:00:00.000Z'));
    expect(result.stopDate).toEqual(new Date('2024-06-01T00:00:02.000Z'));
  });

  it('can skip history recording (machine-wide or per execution)', async () => {
    const def = single({ Type: 'Pass' });
    expect((await runMachine(def, {}, { recordHistory: false })).history).toEqual([]);
    const machine = compileStateMachine(def);
    expect((await machine.execute({}, { recordHistory: false })).history).toEqual([]);
    expect((await machine.execute({})).history).toHaveLength(4);
  });

  it('reports failures with error and cause in ExecutionFailed', async () => {
    const result = await runMachine(single({ Type: 'Fail', Error: 'E', Cause: 'C' }));
    expect(result.history.at(-1)).toMatchObject({ type: 'ExecutionFailed', executionFailedEventDetails: { error: 'E', cause: 'C' } });
  });

  it('builds the context object ($$ / $states.context)', async () => {
    const def = single({ Type: 'Pass', Parameters: { 'ctx.$': '$$' } });
    const result = await runMachine(def, { a: 1 }, { clock: new VirtualClock(Date.UTC(2024, 0, 1)), stateMachineName: 'M', accountId: '111111111111', region: 'eu-west-1' }, { name: 'e' });
    expect(result.output).toEqual({
      ctx: {
        Execution: {
          Id: 'arn:aws:states:eu-west-1:111111111111:execution:M:e',
          Input: { a: 1 },
          StartTime: '2024-01-01T00:00:00.000Z',
          Name: 'e',
          RoleArn: 'arn:aws:iam::111111111111:role/StepFunctions-M-role',
          RedriveCount: 0,
        },
        StateMachine: { Id: 'arn:aws:states:eu-west-1:111111111111:stateMachine:M', Name: 'M' },
        State: { Name: 'S', EnteredTime: '2024-01-01T00:00:00.000Z' },
      },
    });
  });

  it('gives an Express execution its ARN form and no RedriveCount, as AWS does', async () => {
    const def = single({ Type: 'Pass', Parameters: { 'execution.$': '$$.Execution' } });
    const options = { stateMachineName: 'M', accountId: '111111111111', region: 'eu-west-1', type: 'EXPRESS' as const };
    const result = await runMachine(def, {}, options, { name: 'e' });
    const execution = (result.output as { execution: Record<string, unknown> }).execution;
    expect(execution['Id']).toMatch(/^arn:aws:states:eu-west-1:111111111111:express:M:e:[0-9a-f-]{36}$/);
    expect(execution).not.toHaveProperty('RedriveCount');
    expect(result.executionArn).toBe(execution['Id']);
    const given = await runMachine(def, {}, options, { name: 'e', executionArn: 'arn:aws:states:eu-west-1:111111111111:express:M:e:given' });
    expect((given.output as { execution: { Id: string } }).execution.Id).toBe('arn:aws:states:eu-west-1:111111111111:express:M:e:given');
  });

  it("tells a state's data at each processing step, and starts with the variables given (TestState's needs)", async () => {
    const integrations = testResources({ echo: async (p) => ({ echoed: p }) });
    const def = single({
      Type: 'Task',
      Resource: 'arn:aws:states:::test:echo',
      InputPath: '$.in',
      Parameters: { 'v.$': '$', 'seed.$': '$seed' },
      ResultSelector: { 'got.$': '$.echoed' },
      ResultPath: '$.out',
      Assign: { 'last.$': '$.echoed.v' },
    });
    const seen: Record<string, unknown> = {};
    const result = await runMachine(def, { in: 7 }, { integrations }, { variables: { seed: 'planted' }, onInspection: (state, step, value) => (seen[`${state}.${step}`] = value) });
    expect(result.output).toEqual({ in: 7, out: { got: { v: 7, seed: 'planted' } } });
    expect(seen).toEqual({
      'S.afterInputPath': 7,
      'S.afterParameters': { v: 7, seed: 'planted' },
      'S.result': { echoed: { v: 7, seed: 'planted' } },
      'S.afterResultSelector': { got: { v: 7, seed: 'planted' } },
      'S.afterResultPath': { in: 7, out: { got: { v: 7, seed: 'planted' } } },
      'S.assignedVariables': { last: 7 },
    });
  });

  it('copies the input: the caller may change its object afterwards', async () => {
    const input = { list: [1] };
    const machine = compileStateMachine(single({ Type: 'Wait', Seconds: 1 }), { waitScale: 0 });
    const pending = machine.execute(input);
    input.list.push(2);
    expect((await pending).output).toEqual({ list: [1] });
    await expect(machine.execute({ big: BigInt(1) })).rejects.toBeInstanceOf(InvalidExecutionInputError);
    await expect(machine.execute({}, { name: 'has space' })).rejects.toBeInstanceOf(InvalidExecutionNameError);
    await expect(machine.execute({}, { name: 'x'.repeat(81) })).rejects.toBeInstanceOf(InvalidExecutionNameError);
  });
});

describe('time and quotas', () => {
  it('$now() and $millis() tell the execution time (the injected clock, with scaled waits skipped)', async () => {
    const clock = new VirtualClock(Date.UTC(2024, 0, 1));
    const def = {
      QueryLanguage: 'JSONata',
      StartAt: 'A',
      States: {
        A: { Type: 'Pass', Output: { at: '{% $now() %}' }, Next: 'W' },
        W: { Type: 'Wait', Seconds: 90, Next: 'B' },
        B: { Type: 'Pass', Output: { first: '{% $states.input.at %}', after: '{% $millis() %}', day: "{% $now('[Y0001]-[M01]-[D01]') %}" }, End: true },
      },
    };
    const result = await runMachine(def, {}, { clock, waitScale: 0 });
    expect(result.output).toEqual({ first: '2024-01-01T00:00:00.000Z', after: Date.UTC(2024, 0, 1, 0, 1, 30), day: '2024-01-01' });
  });

  it('enforces the 256 KiB payload quota with States.DataLimitExceeded (not catchable)', async () => {
    const integrations = testResources({ big: async () => ({ data: 'x'.repeat(300_000) }) });
    const def = {
      StartAt: 'T',
      States: { T: { Type: 'Task', Resource: 'arn:aws:states:::test:big', Catch: [{ ErrorEquals: ['States.ALL'], Next: 'C' }], End: true }, C: { Type: 'Pass', End: true } },
    };
    expect(await runMachine(def, {}, { integrations })).toMatchObject({ status: 'FAILED', error: 'States.DataLimitExceeded' });
    expect((await runMachine(def, {}, { integrations, payloadSizeLimit: false })).status).toBe('SUCCEEDED');
    await expect(runMachine(single({ Type: 'Pass' }), { data: 'x'.repeat(300_000) })).rejects.toBeInstanceOf(InvalidExecutionInputError);
  });

  it("fails any state whose output passes the quota — a Pass's Result, a result merged into a large input — and nothing catches it", async () => {
    const big = { Type: 'Pass', Result: { data: 'x'.repeat(300_000) }, End: true };
    expect(await runMachine(single(big))).toMatchObject({ status: 'FAILED', error: 'States.DataLimitExceeded', cause: expect.stringContaining("'S'") });
    const half = 'y'.repeat(150_000);
    const merged = { StartAt: 'A', States: { A: { Type: 'Pass', Result: half, ResultPath: '$.second', End: true } } };
    expect(await runMachine(merged, { first: half })).toMatchObject({ status: 'FAILED', error: 'States.DataLimitExceeded' });
    const jsonata = { QueryLanguage: 'JSONata', StartAt: 'A', States: { A: { Type: 'Pass', Output: "{% $pad('', 270000, 'z') %}", End: true } } };
    expect(await runMachine(jsonata)).toMatchObject({ status: 'FAILED', error: 'States.DataLimitExceeded' });
    expect((await runMachine(merged, { first: 'small' })).status).toBe('SUCCEEDED');
  });
});

describe('stopping executions', () => {
  it('aborts via an AbortSignal: status ABORTED, ExecutionAborted event, task told to stop', async () => {
    let taskSignal: AbortSignal | undefined;
    const integrations = testResources({
      hang: (_p, ctx) => {
        taskSignal = ctx.signal;
        return new Promise(() => undefined);
      },
    });
    const controller = new AbortController();
    const machine = compileStateMachine(single({ Type: 'Task', Resource: 'arn:aws:states:::test:hang' }), { integrations });
    const pending = machine.execute({}, { signal: controller.signal });
    await new Promise((r) => setTimeout(r, 20));
    controller.abort();
    const result = await pending;
    expect(result.status).toBe('ABORTED');
    expect(eventTypes(result).at(-1)).toBe('ExecutionAborted');
    expect(taskSignal?.aborted).toBe(true);
  });

  it('aborts a long Wait at once, and an already-aborted signal stops before any state', async () => {
    const controller = new AbortController();
    const machine = compileStateMachine(single({ Type: 'Wait', Seconds: 3600 }), { waitScale: 1 });
    const pending = machine.execute({}, { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    expect((await pending).status).toBe('ABORTED');
    expect((await machine.execute({}, { signal: AbortSignal.abort() })).stateTransitions).toBe(0);
  });

  it('times out by the machine TimeoutSeconds in execution time (scaled waits keep the semantics)', async () => {
    const def = { TimeoutSeconds: 5, StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 10, Next: 'Never' }, Never: { Type: 'Pass', End: true } } };
    const clock = new VirtualClock();
    const result = await runMachine(def, {}, { clock, waitScale: 0 });
    expect(result).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
    expect(result.stopDate.getTime() - result.startDate.getTime()).toBe(5000);
    expect(eventTypes(result)).toEqual(['ExecutionStarted', 'WaitStateEntered', 'ExecutionTimedOut']);
  });

  it('times out a long-running task by the machine TimeoutSeconds in real time', async () => {
    const integrations = testResources({ hang: () => new Promise(() => undefined) });
    const def = { TimeoutSeconds: 1, StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:states:::test:hang', End: true } } };
    const started = Date.now();
    const result = await runMachine(def, {}, { integrations });
    expect(result.status).toBe('TIMED_OUT');
    expect(Date.now() - started).toBeLessThan(5000);
  }, 10_000);

  it('ends an endless loop of synchronous states when aborted', async () => {
    const controller = new AbortController();
    const def = { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Choice', Choices: [{ Variable: '$.stop', IsPresent: true, Next: 'E' }], Default: 'A' }, E: { Type: 'Succeed' } } };
    const pending = runMachine(def, {}, { recordHistory: false }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const result = await pending;
    expect(result.status).toBe('ABORTED');
    expect(result.stateTransitions).toBeGreaterThan(100);
  });

  it('reports each state as it is entered, nested ones too; a stop there runs nothing of that state, and no Catch', async () => {
    const calls: string[] = [];
    const integrations = testResources({ work: (p) => (calls.push(String((p as { item: unknown }).item)), p) });
    const def = {
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map',
          ItemsPath: '$.items',
          ItemSelector: { 'item.$': '$$.Map.Item.Value' },
          MaxConcurrency: 1,
          ItemProcessor: { StartAt: 'Work', States: { Work: { Type: 'Task', Resource: 'arn:aws:states:::test:work', End: true } } },
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }],
          Next: 'After',
        },
        After: { Type: 'Pass', End: true },
        Caught: { Type: 'Pass', End: true },
      },
    };
    const machine = compileStateMachine(def, { integrations });
    const seen: string[] = [];
    const all = await machine.execute({ items: [1, 2] }, { onStateEntered: (name) => seen.push(name) });
    expect(all.status).toBe('SUCCEEDED');
    expect(seen).toEqual(['Each', 'Work', 'Work', 'After']);

    calls.length = 0;
    const controller = new AbortController();
    let works = 0;
    const killed = await machine.execute(
      { items: [1, 2] },
      { signal: controller.signal, onStateEntered: (name) => name === 'Work' && ++works === 2 && controller.abort() },
    );
    expect(killed.status).toBe('ABORTED');
    expect(calls).toEqual(['1']);
    expect(eventTypes(killed)).not.toContain('PassStateEntered');
  });
});
