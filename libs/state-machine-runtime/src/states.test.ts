import { describe, expect, it } from 'vitest';
import { VirtualClock } from './clock';
import { compileStateMachine } from './state-machine';
import { eventTypes, runMachine, single, testResources } from './test-support';

describe('Pass', () => {
  it('JSONPath: InputPath, Parameters, Result, ResultPath, OutputPath', async () => {
    const input = { order: { id: 'o-1', lines: 2 }, other: true };
    expect((await runMachine(single({ Type: 'Pass' }), input)).output).toEqual(input);
    expect((await runMachine(single({ Type: 'Pass', InputPath: '$.order' }), input)).output).toEqual({ id: 'o-1', lines: 2 });
    expect((await runMachine(single({ Type: 'Pass', InputPath: null }), input)).output).toEqual({});
    expect((await runMachine(single({ Type: 'Pass', Result: { fixed: 1 }, ResultPath: '$.extra' }), input)).output).toEqual({ ...input, extra: { fixed: 1 } });
    expect((await runMachine(single({ Type: 'Pass', Result: 'x', ResultPath: null }), input)).output).toEqual(input);
    expect(
      (await runMachine(single({ Type: 'Pass', Parameters: { 'id.$': '$.order.id', static: 'v', 'ctx.$': '$$.State.Name' }, ResultPath: '$.p', OutputPath: '$.p' }), input))
        .output,
    ).toEqual({ id: 'o-1', static: 'v', ctx: 'S' });
    expect((await runMachine(single({ Type: 'Pass', OutputPath: null }), input)).output).toEqual({});
  });

  it('JSONata: Output template over $states.input (default: the input)', async () => {
    const def = single({ Type: 'Pass', Output: { n: '{% $states.input.n + 1 %}', name: '{% $states.context.State.Name %}' } }, 'JSONata');
    expect((await runMachine(def, { n: 1 })).output).toEqual({ n: 2, name: 'S' });
    expect((await runMachine(single({ Type: 'Pass' }, 'JSONata'), [1, 2])).output).toEqual([1, 2]);
    expect((await runMachine(single({ Type: 'Pass', Output: '{% $states.input[1] %}' }, 'JSONata'), [1, 2])).output).toBe(2);
  });

  it('fails with States.Runtime when a path finds nothing', async () => {
    const result = await runMachine(single({ Type: 'Pass', InputPath: '$.missing' }), {});
    expect(result).toMatchObject({
      status: 'FAILED',
      error: 'States.Runtime',
      cause: "An error occurred while executing the state 'S' (entered at the event id #2). Invalid path '$.missing' : No results for path: $['missing']",
    });
  });
});

describe('Task', () => {
  const echo = testResources({ echo: async (p) => ({ got: p }) });

  it('JSONPath: Parameters, ResultSelector, ResultPath, OutputPath and Task events', async () => {
    const result = await runMachine(
      single({
        Type: 'Task',
        Resource: 'arn:aws:states:::test:echo',
        Parameters: { 'id.$': '$.id' },
        ResultSelector: { 'echoed.$': '$.got.id' },
        ResultPath: '$.task',
      }),
      { id: 7 },
      { integrations: echo },
    );
    expect(result.output).toEqual({ id: 7, task: { echoed: 7 } });
    expect(eventTypes(result)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
    const scheduled = result.history[2]?.taskScheduledEventDetails;
    expect(scheduled).toEqual({ resourceType: 'test', resource: 'echo', region: 'us-east-1', parameters: '{"id":7}' });
  });

  it('JSONata: Arguments, $states.result, Output (default: the result)', async () => {
    const withOutput = single(
      { Type: 'Task', Resource: 'arn:aws:states:::test:echo', Arguments: { v: '{% $states.input.v * 2 %}' }, Output: { r: '{% $states.result.got.v %}', i: '{% $states.input.v %}' } },
      'JSONata',
    );
    expect((await runMachine(withOutput, { v: 4 }, { integrations: echo })).output).toEqual({ r: 8, i: 4 });
    const defaults = single({ Type: 'Task', Resource: 'arn:aws:states:::test:echo' }, 'JSONata');
    expect((await runMachine(defaults, { v: 1 }, { integrations: echo })).output).toEqual({ got: { v: 1 } });
  });

  it('fails a task that exceeds TimeoutSeconds with States.Timeout', async () => {
    const slow = testResources({ slow: (_p, ctx) => new Promise((resolve) => setTimeout(resolve, 5000).unref?.() ?? ctx) });
    const result = await runMachine(single({ Type: 'Task', Resource: 'arn:aws:states:::test:slow', TimeoutSeconds: 1 }), {}, { integrations: slow });
    expect(result).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
    expect(eventTypes(result)).toContain('TaskTimedOut');
  }, 10_000);

  it('maps errors thrown by an integration to Error/Cause', async () => {
    const failing = testResources({
      boom: async () => {
        throw Object.assign(new Error('it broke'), { name: 'Custom.Error' });
      },
    });
    const result = await runMachine(single({ Type: 'Task', Resource: 'arn:aws:states:::test:boom' }), {}, { integrations: failing });
    expect(result).toMatchObject({ status: 'FAILED', error: 'Custom.Error', cause: 'it broke' });
  });
});

describe('Choice', () => {
  const choice = (rule: Record<string, unknown>) => ({
    StartAt: 'C',
    States: {
      C: { Type: 'Choice', Choices: [{ ...rule, Next: 'Yes' }], Default: 'No' },
      Yes: { Type: 'Pass', Result: 'yes', End: true },
      No: { Type: 'Pass', Result: 'no', End: true },
    },
  });
  const decide = async (rule: Record<string, unknown>, input: unknown): Promise<unknown> => (await runMachine(choice(rule), input)).output;

  const cases: [Record<string, unknown>, unknown, string][] = [
    [{ Variable: '$.s', StringEquals: 'a' }, { s: 'a' }, 'yes'],
    [{ Variable: '$.s', StringEquals: 'a' }, { s: 1 }, 'no'],
    [{ Variable: '$.s', StringLessThan: 'b' }, { s: 'a' }, 'yes'],
    [{ Variable: '$.s', StringGreaterThanEquals: 'b' }, { s: 'a' }, 'no'],
    [{ Variable: '$.s', StringMatches: 'log-*.txt' }, { s: 'log-2024.txt' }, 'yes'],
    [{ Variable: '$.s', StringMatches: 'a\\*' }, { s: 'a*' }, 'yes'],
    [{ Variable: '$.s', StringMatches: 'a\\*' }, { s: 'ab' }, 'no'],
    [{ Variable: '$.n', NumericEquals: 3 }, { n: 3.0 }, 'yes'],
    [{ Variable: '$.n', NumericLessThan: 3 }, { n: '2' }, 'no'],
    [{ Variable: '$.n', NumericGreaterThan: 3 }, { n: 4 }, 'yes'],
    [{ Variable: '$.n', NumericLessThanEqualsPath: '$.m' }, { n: 4, m: 4 }, 'yes'],
    [{ Variable: '$.b', BooleanEquals: false }, { b: false }, 'yes'],
    [{ Variable: '$.b', BooleanEqualsPath: '$.c' }, { b: true, c: false }, 'no'],
    [{ Variable: '$.t', TimestampEquals: '2024-01-01T00:00:00Z' }, { t: '2024-01-01T01:00:00+01:00' }, 'yes'],
    [{ Variable: '$.t', TimestampLessThan: '2024-01-01T00:00:00Z' }, { t: '2023-12-31T23:59:59.999999999Z' }, 'yes'],
    [{ Variable: '$.t', TimestampGreaterThan: '2024-01-01T00:00:00Z' }, { t: 'not a date' }, 'no'],
    [{ Variable: '$.x', IsNull: true }, { x: null }, 'yes'],
    [{ Variable: '$.x', IsPresent: false }, {}, 'yes'],
    [{ Variable: '$.x', IsNumeric: true }, { x: 1.5 }, 'yes'],
    [{ Variable: '$.x', IsString: true }, { x: 1 }, 'no'],
    [{ Variable: '$.x', IsBoolean: true }, { x: true }, 'yes'],
    [{ Variable: '$.x', IsTimestamp: true }, { x: '2016-03-14T01:59:00Z' }, 'yes'],
    [{ Variable: '$.x', IsTimestamp: true }, { x: '2016-13-14T01:59:00Z' }, 'no'],
    [{ And: [{ Variable: '$.n', NumericGreaterThan: 1 }, { Variable: '$.n', NumericLessThan: 5 }] }, { n: 3 }, 'yes'],
    [{ Or: [{ Variable: '$.n', NumericEquals: 1 }, { Variable: '$.n', NumericEquals: 2 }] }, { n: 3 }, 'no'],
    [{ Not: { Variable: '$.n', NumericEquals: 1 } }, { n: 3 }, 'yes'],
  ];
  for (const [rule, input, expected] of cases) {
    it(`JSONPath ${JSON.stringify(rule)} on ${JSON.stringify(input)} -> ${expected}`, async () => {
      expect(await decide(rule, input)).toBe(expected);
    });
  }

  it('JSONPath: a missing Variable is States.Runtime; no match and no Default is States.NoChoiceMatched', async () => {
    expect(await runMachine(choice({ Variable: '$.missing', StringEquals: 'a' }), {})).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    const noDefault = { StartAt: 'C', States: { C: { Type: 'Choice', Choices: [{ Variable: '$.a', NumericEquals: 1, Next: 'E' }] }, E: { Type: 'Succeed' } } };
    expect(await runMachine(noDefault, { a: 2 })).toMatchObject({ status: 'FAILED', error: 'States.NoChoiceMatched' });
  });

  it('JSONata: Condition, and the matched rule Output/Assign (Default uses the state-level ones)', async () => {
    const def = {
      QueryLanguage: 'JSONata',
      StartAt: 'C',
      States: {
        C: {
          Type: 'Choice',
          Choices: [{ Condition: '{% $states.input.n > 10 %}', Output: { size: 'big' }, Assign: { picked: 'rule' }, Next: 'Done' }],
          Default: 'Done',
          Output: { size: 'small' },
          Assign: { picked: 'default' },
        },
        Done: { Type: 'Pass', Output: { size: '{% $states.input.size %}', picked: '{% $picked %}' }, End: true },
      },
    };
    expect((await runMachine(def, { n: 11 })).output).toEqual({ size: 'big', picked: 'rule' });
    expect((await runMachine(def, { n: 1 })).output).toEqual({ size: 'small', picked: 'default' });
    const notBoolean = {
      QueryLanguage: 'JSONata',
      StartAt: 'C',
      States: { C: { Type: 'Choice', Choices: [{ Condition: '{% $states.input.n %}', Next: 'E' }] }, E: { Type: 'Succeed' } },
    };
    expect(await runMachine(notBoolean, { n: 1 })).toMatchObject({ status: 'FAILED', error: 'States.QueryEvaluationError' });
  });
});

describe('Wait', () => {
  it('waits Seconds, SecondsPath, Timestamp and TimestampPath on the injected clock', async () => {
    const clock = new VirtualClock(Date.UTC(2024, 0, 1));
    const def = {
      StartAt: 'A',
      States: {
        A: { Type: 'Wait', Seconds: 3, Next: 'B' },
        B: { Type: 'Wait', SecondsPath: '$.s', Next: 'C' },
        C: { Type: 'Wait', Timestamp: '2024-01-01T00:01:00Z', Next: 'D' },
        D: { Type: 'Wait', TimestampPath: '$.until', End: true },
      },
    };
    const result = await runMachine(def, { s: 7, until: '2024-01-01T00:01:30.5Z' }, { clock, waitScale: 1 });
    expect(result.status).toBe('SUCCEEDED');
    expect(clock.sleeps).toEqual([3000, 7000, 50_000, 30_500]);
  });

  it('carries the time waited inside Map iterations and Parallel branches on to the next states', async () => {
    const clock = new VirtualClock(Date.UTC(2024, 0, 1));
    const def = {
      StartAt: 'P',
      States: {
        P: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'W1', States: { W1: { Type: 'Wait', Seconds: 60, End: true } } },
            { StartAt: 'M', States: { M: { Type: 'Map', ItemProcessor: { StartAt: 'W2', States: { W2: { Type: 'Wait', Seconds: 90, End: true } } }, End: true } } },
          ],
          Next: 'After',
        },
        After: { Type: 'Pass', Parameters: { 'at.$': '$$.State.EnteredTime' }, End: true },
      },
    };
    const result = await runMachine(def, [1, 2], { clock, waitScale: 0 });
    expect(result.output).toEqual({ at: '2024-01-01T00:01:30.000Z' });
  });

  it('keeps execution time when waits are scaled to zero', async () => {
    const clock = new VirtualClock(Date.UTC(2024, 0, 1));
    const def = single({ Type: 'Wait', Seconds: 3600 });
    const result = await runMachine(def, {}, { clock, waitScale: 0 });
    expect(clock.sleeps).toEqual([]);
    expect(result.stopDate.getTime() - result.startDate.getTime()).toBe(3_600_000);
    const exited = result.history.find((e) => e.type === 'WaitStateExited');
    expect(exited?.timestamp.toISOString()).toBe('2024-01-01T01:00:00.000Z');
  });

  it('JSONata: Seconds and Timestamp expressions; invalid values fail', async () => {
    const clock = new VirtualClock(Date.UTC(2024, 0, 1));
    const seconds = single({ Type: 'Wait', Seconds: '{% $states.input.delay * 2 %}' }, 'JSONata');
    await runMachine(seconds, { delay: 2 }, { clock, waitScale: 1 });
    expect(clock.sleeps).toEqual([4000]);
    const bad = single({ Type: 'Wait', Timestamp: '{% $states.input.when %}' }, 'JSONata');
    expect(await runMachine(bad, { when: '2016-13-05T21:29:29Z' })).toMatchObject({
      status: 'FAILED',
      error: 'States.QueryEvaluationError',
      cause: "An error occurred while executing the state 'S' (entered at the event id #2). The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: 2016-13-05T21:29:29Z",
    });
  });

  it('rejects a fractional SecondsPath value like AWS', async () => {
    const result = await runMachine(single({ Type: 'Wait', SecondsPath: '$.s' }), { s: 1.5 });
    expect(result.cause).toMatch(/The SecondsPath parameter cannot be parsed as a long value: \$\.s == 1\.5$/);
  });
});

describe('Succeed and Fail', () => {
  it('Succeed ends with its (filtered) input', async () => {
    expect((await runMachine(single({ Type: 'Succeed', OutputPath: '$.a' }), { a: 1 })).output).toBe(1);
    expect((await runMachine(single({ Type: 'Succeed', Output: '{% $states.input.a %}' }, 'JSONata'), { a: 2 })).output).toBe(2);
  });

  it('Fail reports Error and Cause: literal, path, intrinsic, expression', async () => {
    expect(await runMachine(single({ Type: 'Fail', Error: 'E', Cause: 'C' }))).toMatchObject({ status: 'FAILED', error: 'E', cause: 'C' });
    expect(await runMachine(single({ Type: 'Fail', ErrorPath: '$.e', CausePath: "States.Format('bad {}', $.id)" }), { e: 'Err', id: 7 })).toMatchObject({
      error: 'Err',
      cause: 'bad 7',
    });
    const jsonata = single({ Type: 'Fail', Error: "{% 'E' & $states.input.n %}", Cause: '{% $string($states.input) %}' }, 'JSONata');
    expect(await runMachine(jsonata, { n: 1 })).toMatchObject({ error: 'E1', cause: '{"n":1}' });
    const onlyCause = await runMachine(single({ Type: 'Fail', Cause: 'why' }));
    expect(onlyCause).toMatchObject({ status: 'FAILED', cause: 'why' });
    expect(onlyCause.error).toBeUndefined();
    expect(eventTypes(onlyCause)).toEqual(['ExecutionStarted', 'FailStateEntered', 'ExecutionFailed']);
  });
});

describe('Parallel', () => {
  const branch = (name: string, state: Record<string, unknown>) => ({ StartAt: name, States: { [name]: { ...state, End: true } } });

  it('JSONPath: runs every branch on the same input and collects results in order', async () => {
    const def = single({
      Type: 'Parallel',
      Parameters: { 'v.$': '$.v' },
      Branches: [branch('A', { Type: 'Pass', OutputPath: '$.v' }), branch('B', { Type: 'Pass', Result: 'b' })],
      ResultSelector: { 'first.$': '$[0]', 'second.$': '$[1]' },
    });
    const result = await runMachine(def, { v: 1 });
    expect(result.output).toEqual({ first: 1, second: 'b' });
    expect(eventTypes(result)).toEqual([
      'ExecutionStarted',
      'ParallelStateEntered',
      'ParallelStateStarted',
      'PassStateEntered',
      'PassStateExited',
      'PassStateEntered',
      'PassStateExited',
      'ParallelStateSucceeded',
      'ParallelStateExited',
      'ExecutionSucceeded',
    ]);
  });

  it('JSONata: Arguments and Output over $states.result', async () => {
    const def = single(
      {
        Type: 'Parallel',
        Arguments: { n: '{% $states.input.n %}' },
        Branches: [branch('A', { Type: 'Pass', Output: '{% $states.input.n + 1 %}' }), branch('B', { Type: 'Pass', Output: '{% $states.input.n * 10 %}' })],
        Output: { sum: '{% $sum($states.result) %}' },
      },
      'JSONata',
    );
    expect((await runMachine(def, { n: 2 })).output).toEqual({ sum: 23 });
  });

  it('fails with the failing branch error and stops the others', async () => {
    let ran = 0;
    const integrations = testResources({
      slow: async () => {
        await new Promise((r) => setTimeout(r, 50));
        ran++;
        return 1;
      },
    });
    const def = single({
      Type: 'Parallel',
      Branches: [
        { StartAt: 'Boom', States: { Boom: { Type: 'Fail', Error: 'Broken', Cause: 'branch 0' } } },
        { StartAt: 'T1', States: { T1: { Type: 'Task', Resource: 'arn:aws:states:::test:slow', Next: 'T2' }, T2: { Type: 'Task', Resource: 'arn:aws:states:::test:slow', End: true } } },
      ],
    });
    const result = await runMachine(def, {}, { integrations });
    expect(result).toMatchObject({ status: 'FAILED', error: 'Broken', cause: 'branch 0' });
    expect(ran).toBeLessThan(2);
    expect(eventTypes(result)).toContain('ParallelStateFailed');
  });
});

describe('Map', () => {
  const processor = (state: Record<string, unknown>) => ({ ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'Item', States: { Item: { ...state, End: true } } });

  it('JSONPath: ItemsPath, ItemSelector with $$.Map.Item, results in order, events', async () => {
    const def = single({
      Type: 'Map',
      ItemsPath: '$.items',
      ItemSelector: { 'value.$': '$$.Map.Item.Value', 'index.$': '$$.Map.Item.Index', 'tag.$': '$.tag' },
      ItemProcessor: processor({ Type: 'Pass' }),
    });
    const result = await runMachine(def, { items: ['a', 'b'], tag: 't' });
    expect(result.output).toEqual([
      { value: 'a', index: 0, tag: 't' },
      { value: 'b', index: 1, tag: 't' },
    ]);
    expect(eventTypes(result).filter((t) => t.startsWith('Map'))).toEqual([
      'MapStateEntered',
      'MapStateStarted',
      'MapIterationStarted',
      'MapIterationSucceeded',
      'MapIterationStarted',
      'MapIterationSucceeded',
      'MapStateSucceeded',
      'MapStateExited',
    ]);
    expect(result.history.find((e) => e.type === 'MapStateStarted')?.mapStateStartedEventDetails).toEqual({ length: 2 });
  });

  it('the older Iterator and Parameters still work', async () => {
    const def = single({ Type: 'Map', Parameters: { 'v.$': '$$.Map.Item.Value' }, Iterator: { StartAt: 'I', States: { I: { Type: 'Pass', End: true } } } });
    expect((await runMachine(def, [1, 2])).output).toEqual([{ v: 1 }, { v: 2 }]);
  });

  it('JSONata: Items, ItemSelector with $states.context.Map.Item, Output', async () => {
    const def = single(
      {
        Type: 'Map',
        Items: '{% $states.input.lines %}',
        ItemSelector: { sku: '{% $states.context.Map.Item.Value.sku %}', position: '{% $states.context.Map.Item.Index + 1 %}' },
        ItemProcessor: processor({ Type: 'Pass' }),
        Output: { count: '{% $count($states.result) %}', lines: '{% $states.result %}' },
      },
      'JSONata',
    );
    expect((await runMachine(def, { lines: [{ sku: 'a' }, { sku: 'b' }] })).output).toEqual({
      count: 2,
      lines: [
        { sku: 'a', position: 1 },
        { sku: 'b', position: 2 },
      ],
    });
  });

  it('respects MaxConcurrency', async () => {
    let running = 0;
    let peak = 0;
    const integrations = testResources({
      work: async () => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 5));
        running--;
        return 'ok';
      },
    });
    const def = (max: number) => single({ Type: 'Map', MaxConcurrency: max, ItemProcessor: processor({ Type: 'Task', Resource: 'arn:aws:states:::test:work' }) });
    await runMachine(def(2), [1, 2, 3, 4, 5, 6], { integrations });
    expect(peak).toBe(2);
    peak = 0;
    await runMachine(def(0), [1, 2, 3, 4, 5, 6], { integrations });
    expect(peak).toBe(6);
  });

  it('fails with the iteration error (inline) or ExceedToleratedFailureThreshold (tolerance)', async () => {
    const failing = processor({ Type: 'Choice', Choices: [{ Variable: '$', NumericEquals: 3, Next: 'Bad' }], Default: 'Ok' });
    const states = { Item: { Type: 'Choice', Choices: [{ Variable: '$', NumericEquals: 3, Next: 'Bad' }], Default: 'Ok' }, Bad: { Type: 'Fail', Error: 'Three' }, Ok: { Type: 'Pass', End: true } };
    void failing;
    const inline = single({ Type: 'Map', ItemProcessor: { StartAt: 'Item', States: states } });
    expect(await runMachine(inline, [1, 2, 3])).toMatchObject({ status: 'FAILED', error: 'Three' });
    const tolerant = single({ Type: 'Map', ToleratedFailureCount: 1, ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'Item', States: states } });
    const tolerated = await runMachine(tolerant, [1, 3, 2]);
    expect(tolerated.status).toBe('SUCCEEDED');
    expect(tolerated.output).toEqual([1, { Error: 'Three', Cause: '' }, 2]);
    expect(await runMachine(tolerant, [3, 3, 2])).toMatchObject({ status: 'FAILED', error: 'States.ExceedToleratedFailureThreshold' });
  });

  it('rejects a non-array input', async () => {
    expect(await runMachine(single({ Type: 'Map', ItemProcessor: processor({ Type: 'Pass' }) }), { a: 1 })).toMatchObject({
      status: 'FAILED',
      error: 'States.Runtime',
    });
    const jsonata = single({ Type: 'Map', Items: '{% $states.input.a %}', ItemProcessor: processor({ Type: 'Pass' }) }, 'JSONata');
    expect(await runMachine(jsonata, { a: 1 })).toMatchObject({
      status: 'FAILED',
      error: 'States.QueryEvaluationError',
      cause: "An error occurred while executing the state 'S' (entered at the event id #2). The JSONata expression '$states.input.a' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was 'number' for value: 1",
    });
  });

  it('batches items with ItemBatcher', async () => {
    const def = single({
      Type: 'Map',
      ItemBatcher: { MaxItemsPerBatch: 2, BatchInput: { 'source.$': '$.source' } },
      ItemsPath: '$.items',
      ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' }, StartAt: 'I', States: { I: { Type: 'Pass', End: true } } },
    });
    expect((await runMachine(def, { items: [1, 2, 3], source: 's' })).output).toEqual([
      { Items: [1, 2], BatchInput: { source: 's' } },
      { Items: [3], BatchInput: { source: 's' } },
    ]);
  });
});

describe('a compiled machine', () => {
  it('runs many executions concurrently without sharing state', async () => {
    const machine = compileStateMachine(
      {
        QueryLanguage: 'JSONata',
        StartAt: 'A',
        States: {
          A: { Type: 'Pass', Assign: { mine: '{% $states.input.id %}' }, Next: 'W' },
          W: { Type: 'Wait', Seconds: 1, Next: 'B' },
          B: { Type: 'Pass', Output: { id: '{% $mine %}' }, End: true },
        },
      },
      { waitScale: 0 },
    );
    const results = await Promise.all(Array.from({ length: 50 }, (_, id) => machine.execute({ id })));
    expect(results.map((r) => (r.output as { id: number }).id)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });
});
