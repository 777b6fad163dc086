import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from './executions';
import { accessLogLine, checkoutLogVolume, logCostPerMillion, logSettingsFromTemplate, workflowLogLines } from './log-model';

const history: HistoryEvent[] = [
  { id: 1, previousEventId: 0, type: 'ExecutionStarted', timestamp: '2026-12-02T10:00:00.000Z', executionStartedEventDetails: { input: '{"card":"secret"}', roleArn: 'arn:role' } },
  { id: 2, previousEventId: 1, type: 'TaskStateEntered', timestamp: '2026-12-02T10:00:00.010Z', stateEnteredEventDetails: { name: 'SaveOrder', input: '{}' } },
  { id: 3, previousEventId: 2, type: 'LambdaFunctionFailed', timestamp: '2026-12-02T10:00:00.020Z', lambdaFunctionFailedEventDetails: { error: 'Boom', cause: 'no' } },
  { id: 4, previousEventId: 3, type: 'ExecutionFailed', timestamp: '2026-12-02T10:00:00.030Z', executionFailedEventDetails: { error: 'Boom' } },
];

describe('workflowLogLines', () => {
  it('logs what the level asks for, without execution data unless included', () => {
    expect(workflowLogLines(history, 'ALL', false)).toHaveLength(4);
    expect(workflowLogLines(history, 'ERROR', false).map((l) => (JSON.parse(l) as { type: string }).type)).toEqual(['LambdaFunctionFailed', 'ExecutionFailed']);
    expect(workflowLogLines(history, 'FATAL', false).map((l) => (JSON.parse(l) as { type: string }).type)).toEqual(['ExecutionFailed']);
    expect(workflowLogLines(history, 'OFF', false)).toEqual([]);
    const [started] = workflowLogLines(history, 'ALL', false);
    expect(started).not.toContain('secret');
    expect(JSON.parse(started ?? '{}')).toMatchObject({ id: '1', type: 'ExecutionStarted', details: { roleArn: 'arn:role' }, previous_event_id: '0' });
    expect(workflowLogLines(history, 'ALL', true)[0]).toContain('secret');
  });
});

describe('accessLogLine', () => {
  it('fills the stage format with a checkout\'s values', () => {
    const line = accessLogLine('{"requestId":"$context.requestId","status":"$context.status","odd":"$context.unknown.thing"}');
    expect(JSON.parse(line)).toEqual({ requestId: expect.stringMatching(/^[0-9a-f-]{36}$/), status: '201', odd: '-' });
  });
});

describe('logSettingsFromTemplate', () => {
  it('reads the level, execution data, tracing and the access format; assumes production defaults without a template', () => {
    const dir = mkdtempSync(join(tmpdir(), 'log-model-'));
    const path = join(dir, 'template.json');
    writeFileSync(
      path,
      JSON.stringify({
        Resources: {
          M: { Type: 'AWS::StepFunctions::StateMachine', Properties: { LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: true } } },
          S: { Type: 'AWS::ApiGateway::Stage', Properties: { AccessLogSetting: { Format: '{"s":"$context.status"}' } } },
          F: { Type: 'AWS::Lambda::Function', Properties: { TracingConfig: { Mode: 'PassThrough' } } },
          PriceCartFunction4EA469D1: { Type: 'AWS::Lambda::Function', Properties: { LoggingConfig: { LogFormat: 'JSON', SystemLogLevel: 'WARN' } } },
          RecordMetricsFunction61A0ADAE: { Type: 'AWS::Lambda::Function', Properties: { LoggingConfig: { LogGroup: 'x' } } },
          VerboseFunction1234ABCD: { Type: 'AWS::Lambda::Function', Properties: { LoggingConfig: { LogFormat: 'JSON', SystemLogLevel: 'INFO' } } },
        },
      }),
    );
    expect(logSettingsFromTemplate(path).settings).toEqual({
      stateMachineLevel: 'ALL',
      includeExecutionData: true,
      tracing: false,
      accessLogFormat: '{"s":"$context.status"}',
      // Only a function whose system lines are filtered (JSON, above INFO) writes none of Lambda's lines.
      quietFunctions: ['PriceCart'],
    });
    expect(logSettingsFromTemplate(undefined).settings.stateMachineLevel).toBe('ERROR');
  });
});

describe('checkoutLogVolume and logCostPerMillion', () => {
  it('adds the sources with the per-event overhead, and prices a GiB at $0.50', () => {
    const volume = checkoutLogVolume({ lines: 2, bytes: 300 }, 0, { events: 1, bytes: 100 }, { stateMachineLevel: 'ERROR', includeExecutionData: false, tracing: false, accessLogFormat: undefined, quietFunctions: [] });
    expect(volume.totalBytes).toBe(300 + 2 * 26 + 100 + 26);
    expect(logCostPerMillion(1024 ** 3 / 1e6, false)).toEqual({ logs: 0.5, xray: 0 });
    expect(logCostPerMillion(0, true).xray).toBeCloseTo(0.25);
  });
});
