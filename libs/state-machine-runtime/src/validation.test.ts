import { describe, expect, it } from 'vitest';
import { StateMachineDefinitionError, type DefinitionDiagnostic } from './errors';
import { compileStateMachine } from './state-machine';
import { testResources } from './test-support';

function diagnostics(definition: unknown): DefinitionDiagnostic[] {
  try {
    compileStateMachine(definition, { integrations: testResources({ ok: async () => 1 }) });
  } catch (error) {
    if (error instanceof StateMachineDefinitionError) return [...error.diagnostics];
    throw error;
  }
  return [];
}

const machine = (states: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ StartAt: Object.keys(states)[0], States: states, ...extra });

describe('definition validation', () => {
  it('accepts a valid definition, as an object or as JSON text', () => {
    const def = machine({ A: { Type: 'Pass', End: true } });
    expect(diagnostics(def)).toEqual([]);
    expect(compileStateMachine(JSON.stringify(def)).queryLanguage).toBe('JSONPath');
  });

  it('names the state, the field and the location of each problem, all at once', () => {
    const found = diagnostics(
      machine({
        A: { Type: 'Pass', Next: 'Nowhere' },
        B: { Type: 'Wait', End: true },
        C: { Type: 'Bogus' },
      }),
    );
    expect(found).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ stateName: 'A', field: 'Next', location: '/States/A/Next', code: 'MISSING_TRANSITION_TARGET' }),
        expect.objectContaining({ stateName: 'B', location: '/States/B', message: expect.stringContaining('exactly one of Seconds') }),
        expect.objectContaining({ stateName: 'C', field: 'Type' }),
      ]),
    );
    for (const d of found) expect(d.message).toMatch(/State '|is not reachable|No state ends/);
  });

  it('reports a bad StartAt, unreachable states, and a workflow that never ends', () => {
    expect(diagnostics({ StartAt: 'X', States: { A: { Type: 'Pass', End: true } } })[0]).toMatchObject({ code: 'MISSING_TRANSITION_TARGET', location: '/StartAt' });
    expect(diagnostics(machine({ A: { Type: 'Pass', End: true }, Orphan: { Type: 'Pass', End: true } }))).toEqual([
      expect.objectContaining({ stateName: 'Orphan', message: expect.stringContaining('not reachable') }),
    ]);
    expect(diagnostics(machine({ A: { Type: 'Pass', Next: 'A' } }))).toEqual([expect.objectContaining({ code: 'MISSING_END_STATE' })]);
  });

  it('checks fields against the state type and the query language', () => {
    expect(diagnostics(machine({ A: { Type: 'Pass', Resource: 'x', End: true } }))[0]).toMatchObject({ stateName: 'A', field: 'Resource' });
    expect(diagnostics(machine({ A: { Type: 'Pass', Output: {}, End: true } }))[0]?.message).toContain(
      "field 'Output' is only supported for the 'JSONata' QueryLanguage",
    );
    expect(diagnostics(machine({ A: { Type: 'Pass', InputPath: '$', End: true } }, { QueryLanguage: 'JSONata' }))[0]?.message).toContain(
      "field 'InputPath' is only supported for the 'JSONPath' QueryLanguage",
    );
    expect(diagnostics(machine({ A: { Type: 'Pass', QueryLanguage: 'JSONPath', End: true } }, { QueryLanguage: 'JSONata' }))[0]?.message).toContain(
      "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine",
    );
    expect(diagnostics(machine({ A: { Type: 'Succeed', End: true } }))[0]).toMatchObject({ field: 'End' });
    expect(diagnostics(machine({ A: { Type: 'Pass', Next: 'B', End: true }, B: { Type: 'Succeed' } }))[0]?.message).toContain("'Next' or 'End', not both");
  });

  it('parses every path, intrinsic and JSONata expression', () => {
    expect(diagnostics(machine({ A: { Type: 'Pass', InputPath: 'not a path', End: true } }))[0]).toMatchObject({ field: 'InputPath' });
    expect(diagnostics(machine({ A: { Type: 'Pass', Parameters: { 'x.$': 'States.Nope()' }, End: true } }))[0]).toMatchObject({
      stateName: 'A',
      field: 'Parameters/x.$',
    });
    expect(diagnostics(machine({ A: { Type: 'Pass', ResultPath: '$$.x', End: true } }))[0]).toMatchObject({ field: 'ResultPath' });
    const bad = diagnostics(machine({ A: { Type: 'Pass', Output: { v: '{% $states.input.( %}' }, End: true } }, { QueryLanguage: 'JSONata' }));
    expect(bad[0]).toMatchObject({ code: 'INVALID_JSONATA_EXPRESSION', stateName: 'A', field: 'Output/v', location: '/States/A/Output/v' });
    const topLevel = diagnostics(machine({ A: { Type: 'Pass', Output: '{% input.a %}', End: true } }, { QueryLanguage: 'JSONata' }));
    expect(topLevel[0]).toMatchObject({ code: 'UNSUPPORTED_JSONATA_EXPRESSION', message: expect.stringContaining("Reference to 'input' at the top level") });
    const errorOutput = diagnostics(machine({ A: { Type: 'Pass', Output: '{% $states.errorOutput %}', End: true } }, { QueryLanguage: 'JSONata' }));
    expect(errorOutput[0]?.message).toContain('$states.errorOutput');
  });

  it('validates Retry and Catch', () => {
    const state = (extra: Record<string, unknown>) => machine({ T: { Type: 'Task', Resource: 'arn:aws:states:::test:ok', End: true, ...extra } });
    expect(diagnostics(state({ Retry: [{ ErrorEquals: [] }] }))[0]).toMatchObject({ stateName: 'T', field: 'Retry[0].ErrorEquals' });
    expect(diagnostics(state({ Retry: [{ ErrorEquals: ['States.ALL'] }, { ErrorEquals: ['X'] }] }))[0]?.message).toContain('last');
    expect(diagnostics(state({ Retry: [{ ErrorEquals: ['X'], BackoffRate: 0.5 }] }))[0]).toMatchObject({ field: 'Retry[0].BackoffRate' });
    expect(diagnostics(state({ Retry: [{ ErrorEquals: ['X'], JitterStrategy: 'SOME' }] }))[0]).toMatchObject({ field: 'Retry[0].JitterStrategy' });
    expect(diagnostics(state({ Catch: [{ ErrorEquals: ['States.ALL', 'X'], Next: 'T' }] }))[0]?.message).toContain('alone');
    expect(diagnostics(state({ Catch: [{ ErrorEquals: ['X'], Next: 'Missing' }] }))[0]).toMatchObject({ field: 'Catch[0].Next', code: 'MISSING_TRANSITION_TARGET' });
  });

  it('validates timeouts and heartbeats', () => {
    const state = (extra: Record<string, unknown>) => machine({ T: { Type: 'Task', Resource: 'arn:aws:states:::test:ok', End: true, ...extra } });
    expect(diagnostics(state({ TimeoutSeconds: 0 }))[0]).toMatchObject({ field: 'TimeoutSeconds' });
    expect(diagnostics(state({ TimeoutSeconds: 10, HeartbeatSeconds: 10 }))[0]).toMatchObject({ field: 'HeartbeatSeconds', message: expect.stringContaining('smaller than TimeoutSeconds') });
    expect(diagnostics(state({ TimeoutSeconds: 5, TimeoutSecondsPath: '$.t' }))[0]?.message).toContain('cannot both be set');
    expect(diagnostics(machine({ A: { Type: 'Pass', End: true } }, { TimeoutSeconds: -1 }))[0]).toMatchObject({ location: '/TimeoutSeconds' });
  });

  it('refuses an unknown Task resource at compile time, listing what is registered', () => {
    const found = diagnostics(machine({ T: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', End: true } }));
    expect(found[0]).toMatchObject({ code: 'UNKNOWN_RESOURCE', stateName: 'T', field: 'Resource' });
    expect(found[0]?.message).toContain('arn:aws:states:::test:ok');
    const lambda = diagnostics(machine({ T: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:unknown', End: true } }));
    expect(lambda[0]).toMatchObject({ code: 'UNKNOWN_RESOURCE' });
    const sync = diagnostics(machine({ T: { Type: 'Task', Resource: 'arn:aws:states:::test:ok.sync', End: true } }));
    expect(sync[0]?.message).toContain('.sync');
  });

  it('validates choice rules and Map/Parallel containers', () => {
    expect(diagnostics(machine({ C: { Type: 'Choice', Choices: [{ Variable: '$.a', Next: 'E' }] }, E: { Type: 'Succeed' } }))[0]).toMatchObject({
      stateName: 'C',
      message: expect.stringContaining('comparison operator'),
    });
    expect(diagnostics(machine({ C: { Type: 'Choice', Choices: [{ Variable: '$.a', NumericEquals: 'x', Next: 'E' }] }, E: { Type: 'Succeed' } }))[0]).toMatchObject({
      field: 'Choices[0].NumericEquals',
    });
    expect(diagnostics(machine({ M: { Type: 'Map', End: true } }))[0]).toMatchObject({ field: 'ItemProcessor' });
    const inner = diagnostics(machine({ M: { Type: 'Map', ItemProcessor: { StartAt: 'I', States: { I: { Type: 'Pass', Next: 'Gone' } } }, End: true } }));
    expect(inner[0]).toMatchObject({ stateName: 'I', location: '/States/M/ItemProcessor/States/I/Next' });
    expect(diagnostics(machine({ P: { Type: 'Parallel', Branches: [], End: true } }))[0]).toMatchObject({ field: 'Branches' });
  });

  it('validates variable names', () => {
    expect(diagnostics(machine({ A: { Type: 'Pass', Assign: { '1bad': 1 }, End: true } }))[0]).toMatchObject({ field: 'Assign/1bad' });
  });

  it('explains a definition that is not JSON', () => {
    expect(() => compileStateMachine('{ nope')).toThrowError(/not valid JSON/);
  });
});
