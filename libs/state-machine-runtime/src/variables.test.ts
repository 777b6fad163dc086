import { describe, expect, it } from 'vitest';
import { runMachine, testResources } from './test-support';

describe('variables (Assign)', () => {
  it('every expression of a state sees the values as they were on entering it', async () => {
    const def = {
      QueryLanguage: 'JSONata',
      StartAt: 'Init',
      States: {
        Init: { Type: 'Pass', Assign: { x: 1, y: 10 }, Next: 'Swap' },
        Swap: {
          Type: 'Pass',
          Assign: { x: '{% $y %}', y: '{% $x %}', sum: '{% $x + $y %}' },
          Output: { xOnEntry: '{% $x %}', yOnEntry: '{% $y %}' },
          Next: 'Read',
        },
        Read: { Type: 'Pass', Output: { x: '{% $x %}', y: '{% $y %}', sum: '{% $sum %}', previous: '{% $states.input %}' }, End: true },
      },
    };
    expect((await runMachine(def)).output).toEqual({ x: 10, y: 1, sum: 11, previous: { xOnEntry: 1, yOnEntry: 10 } });
  });

  it('JSONPath Assign reads $ (the result), $$ and variables, with literals kept', async () => {
    const def = {
      StartAt: 'A',
      States: {
        A: { Type: 'Pass', Result: { answer: 42 }, Assign: { 'fromResult.$': '$.answer', 'state.$': '$$.State.Name', literal: { k: [1] } }, Next: 'B' },
        B: { Type: 'Pass', Assign: { 'copy.$': '$fromResult', 'formatted.$': "States.Format('{}-{}', $fromResult, $state)" }, Next: 'C' },
        C: { Type: 'Pass', Parameters: { 'copy.$': '$copy', 'formatted.$': '$formatted', 'deep.$': '$literal.k[0]' }, End: true },
      },
    };
    expect((await runMachine(def)).output).toEqual({ copy: 42, formatted: '42-A', deep: 1 });
  });

  it('JSONPath Task Assign reads the raw result, before ResultSelector', async () => {
    const def = {
      StartAt: 'T',
      States: {
        T: { Type: 'Task', Resource: 'arn:aws:states:::test:r', ResultSelector: { 'picked.$': '$.a' }, Assign: { 'raw.$': '$.b' }, Next: 'R' },
        R: { Type: 'Pass', Parameters: { 'raw.$': '$raw', 'out.$': '$' }, End: true },
      },
    };
    const result = await runMachine(def, {}, { integrations: testResources({ r: async () => ({ a: 1, b: 2 }) }) });
    expect(result.output).toEqual({ raw: 2, out: { picked: 1 } });
  });

  it('Map iterations and Parallel branches read outer variables but cannot write them', async () => {
    const def = {
      QueryLanguage: 'JSONata',
      StartAt: 'Init',
      States: {
        Init: { Type: 'Pass', Assign: { total: 100, label: 'outer' }, Next: 'Each' },
        Each: {
          Type: 'Map',
          Items: '{% [1, 2, 3] %}',
          ItemProcessor: {
            StartAt: 'Add',
            States: {
              Add: { Type: 'Pass', Assign: { total: '{% $total + $states.input %}', label: 'inner' }, Next: 'Report' },
              Report: { Type: 'Pass', Output: { total: '{% $total %}', label: '{% $label %}' }, End: true },
            },
          },
          Next: 'Both',
        },
        Both: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'B1', States: { B1: { Type: 'Pass', Assign: { label: 'branch 1' }, Next: 'B1r' }, B1r: { Type: 'Pass', Output: '{% $label %}', End: true } } },
            { StartAt: 'B2', States: { B2: { Type: 'Pass', Output: '{% $label %}', End: true } } },
          ],
          Output: { iterations: '{% $states.input %}', branches: '{% $states.result %}', total: '{% $total %}', label: '{% $label %}' },
          End: true,
        },
      },
    };
    expect((await runMachine(def)).output).toEqual({
      iterations: [
        { total: 101, label: 'inner' },
        { total: 102, label: 'inner' },
        { total: 103, label: 'inner' },
      ],
      branches: ['branch 1', 'outer'],
      total: 100,
      label: 'outer',
    });
  });

  it('an undefined variable fails the field with States.QueryEvaluationError', async () => {
    const def = { QueryLanguage: 'JSONata', StartAt: 'A', States: { A: { Type: 'Pass', Output: { v: '{% $never %}' }, End: true } } };
    expect(await runMachine(def)).toMatchObject({
      status: 'FAILED',
      error: 'States.QueryEvaluationError',
      cause: "An error occurred while executing the state 'A' (entered at the event id #2). The JSONata expression '$never' specified for the field 'Output/v' returned nothing (undefined).",
    });
  });

  it('a failed state assigns nothing; the history shows what each state assigned', async () => {
    const def = {
      QueryLanguage: 'JSONata',
      StartAt: 'A',
      States: {
        A: { Type: 'Pass', Assign: { ok: true }, Next: 'B' },
        B: { Type: 'Pass', Assign: { ok: false, bad: '{% $nope %}' }, End: true },
      },
    };
    const result = await runMachine(def);
    expect(result.status).toBe('FAILED');
    const exited = result.history.filter((e) => e.type === 'PassStateExited');
    expect(exited).toHaveLength(1);
    expect(exited[0]?.stateExitedEventDetails?.assignedVariables).toEqual({ ok: 'true' });
    expect(exited[0]?.stateExitedEventDetails?.assignedVariablesDetails).toEqual({ truncated: false });
  });
});
