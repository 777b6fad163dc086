import { existsSync, readFileSync } from 'node:fs';
import { functionNameFromArn, type HistoryEvent } from './executions';

/**
 * What a checkout writes to CloudWatch Logs (and X-Ray) in AWS, at the deployed settings.
 *
 * Measured: the handlers' own lines (Powertools JSON and EMF metrics, at the template's
 * POWERTOOLS_LOG_LEVEL), taken off the local stack's stdout per checkout; the workflow's
 * history events, shaped as Step Functions logs them and filtered by the template's log level.
 * Modelled: Lambda's own lines per invocation and API Gateway's access log line, rendered from
 * the template's format with typical values. Prices: us-east-1, checked 2026-11.
 */
export const LOG_PRICES = {
  /** CloudWatch Logs ingestion (Standard class; Lambda's and Step Functions' vended logs: first tier), per GB. */
  ingestPerGb: 0.5,
  /** X-Ray traces recorded, per million. */
  xrayTracesPerMillion: 5.0,
} as const;

export const LOG_ASSUMPTIONS = {
  /** Bytes CloudWatch counts per log event on top of its message (PutLogEvents' own accounting). */
  eventOverheadBytes: 26,
  /** Share of checkouts X-Ray records under its default rule (1 a second, then 5%), at volume. */
  xraySampledShare: 0.05,
} as const;

export type StateMachineLogLevel = 'ALL' | 'ERROR' | 'FATAL' | 'OFF';

export interface LogSettings {
  stateMachineLevel: StateMachineLogLevel;
  includeExecutionData: boolean;
  /** X-Ray active on the functions, the state machine or the API. */
  tracing: boolean;
  /** The API stage's access log format (`$context.*` placeholders), if it logs access. */
  accessLogFormat: string | undefined;
  /** Functions (by name) whose Lambda lines (START, END, REPORT) are filtered out: JSON format, system level above INFO. */
  quietFunctions: readonly string[];
}

/** The production defaults, for when no template is at hand. */
export const DEFAULT_LOG_SETTINGS: LogSettings = { stateMachineLevel: 'ERROR', includeExecutionData: false, tracing: true, accessLogFormat: undefined, quietFunctions: [] };

interface TemplateResource {
  Type?: string;
  Properties?: Record<string, unknown>;
}

/** The log and tracing settings a synthesized template deploys. */
export function logSettingsFromTemplate(path: string | undefined): { settings: LogSettings; source: string } {
  if (!path || !existsSync(path)) return { settings: DEFAULT_LOG_SETTINGS, source: 'no template: production defaults assumed' };
  const template = JSON.parse(readFileSync(path, 'utf8')) as { Resources?: Record<string, TemplateResource> };
  const resources = Object.values(template.Resources ?? {});
  const machine = resources.find((r) => r.Type === 'AWS::StepFunctions::StateMachine')?.Properties ?? {};
  const logging = machine['LoggingConfiguration'] as { Level?: StateMachineLogLevel; IncludeExecutionData?: boolean } | undefined;
  const stage = resources.find((r) => r.Type === 'AWS::ApiGateway::Stage')?.Properties ?? {};
  const tracing =
    resources.some((r) => r.Type === 'AWS::Lambda::Function' && (r.Properties?.['TracingConfig'] as { Mode?: string } | undefined)?.Mode === 'Active') ||
    (machine['TracingConfiguration'] as { Enabled?: boolean } | undefined)?.Enabled === true ||
    stage['TracingEnabled'] === true;
  const quietFunctions = Object.entries(template.Resources ?? {})
    .filter(([, r]) => {
      const config = r.Type === 'AWS::Lambda::Function' ? (r.Properties?.['LoggingConfig'] as { LogFormat?: string; SystemLogLevel?: string } | undefined) : undefined;
      return config?.LogFormat === 'JSON' && config.SystemLogLevel !== undefined && !['DEBUG', 'INFO'].includes(config.SystemLogLevel);
    })
    .map(([id]) => functionNameFromArn(id));
  return {
    settings: {
      quietFunctions,
      stateMachineLevel: logging?.Level ?? 'OFF',
      includeExecutionData: logging?.IncludeExecutionData ?? false,
      tracing,
      accessLogFormat: (stage['AccessLogSetting'] as { Format?: string } | undefined)?.Format,
    },
    source: `the synthesized template (${path})`,
  };
}

const REQUEST_ID = '8f0c3c1e-6a7b-4b8e-9d3c-2f1a5e7b9c10';

/** Lambda's own lines for one invocation (text format): START, END, REPORT, and the XRAY line with tracing. */
export function lambdaPlatformLines(tracing: boolean): string[] {
  return [
    `START RequestId: ${REQUEST_ID} Version: 12`,
    `END RequestId: ${REQUEST_ID}`,
    `REPORT RequestId: ${REQUEST_ID}\tDuration: 23.45 ms\tBilled Duration: 24 ms\tMemory Size: 512 MB\tMax Memory Used: 98 MB\t${
      tracing ? '\nXRAY TraceId: 1-6745a1b2-3c4d5e6f7a8b9c0d1e2f3a4b\tSegmentId: 5e6f7a8b9c0d1e2f\tSampled: true\t' : ''
    }`,
  ];
}

/** API Gateway's access log line for one checkout, from the stage's format. */
export function accessLogLine(format: string): string {
  const values: Record<string, string> = {
    'context.requestId': REQUEST_ID,
    'context.identity.sourceIp': '203.0.113.42',
    'context.identity.user': '-',
    'context.identity.caller': '-',
    'context.requestTime': '02/Dec/2026:10:15:30 +0000',
    'context.httpMethod': 'POST',
    'context.resourcePath': '/orders',
    'context.status': '201',
    'context.protocol': 'HTTP/1.1',
    'context.responseLength': '640',
  };
  return format.replace(/\$(context(?:\.[A-Za-z]+)+)/g, (_, name: string) => values[name] ?? '-');
}

const LOGGED_AT: Record<StateMachineLogLevel, (type: string) => boolean> = {
  ALL: () => true,
  ERROR: (type) => /(Failed|TimedOut|Aborted)$/.test(type),
  FATAL: (type) => /^Execution(Failed|TimedOut|Aborted)$/.test(type),
  OFF: () => false,
};
/** What includeExecutionData=false leaves out of an event's details. */
const EXECUTION_DATA = new Set(['input', 'output', 'inputDetails', 'outputDetails', 'parameters']);
const EXECUTION_ARN = 'arn:aws:states:us-east-1:123456789012:express:Orderflow-prod-CheckoutStateMachine875B8FB9-AbCdEfGh1234:checkout-0123456789abcdef:4a7b9c2d-1e3f-4a5b-8c6d-7e8f9a0b1c2d';

/** The lines Step Functions writes for an execution's history at `level`, shaped as in its CloudWatch log group. */
export function workflowLogLines(events: readonly HistoryEvent[], level: StateMachineLogLevel, includeExecutionData: boolean): string[] {
  return events
    .filter((event) => LOGGED_AT[level](event.type))
    .map((event) => {
      const detailsKey = Object.keys(event).find((key) => key.endsWith('EventDetails'));
      const details = Object.fromEntries(
        Object.entries((detailsKey ? event[detailsKey] : {}) as Record<string, unknown>).filter(([key]) => includeExecutionData || !EXECUTION_DATA.has(key)),
      );
      return JSON.stringify({
        id: String(event.id),
        type: event.type,
        details,
        previous_event_id: String(event.previousEventId),
        event_timestamp: String(Date.parse(event.timestamp) || 0),
        execution_arn: EXECUTION_ARN,
        redrive_count: '0',
      });
    });
}

/** A checkout's log volume by source: events and bytes as ingested (message + overhead). */
export interface CheckoutLogVolume {
  handlers: { events: number; bytes: number };
  lambdaPlatform: { events: number; bytes: number };
  workflow: { events: number; bytes: number };
  apiAccess: { events: number; bytes: number };
  totalBytes: number;
}

const ingested = (lines: readonly string[]) => ({
  events: lines.length,
  bytes: lines.reduce((sum, line) => sum + Buffer.byteLength(line) + LOG_ASSUMPTIONS.eventOverheadBytes, 0),
});

/**
 * One checkout's log volume: its handlers' measured lines, Lambda's lines for each of its
 * `invocations` (of functions not in `quietFunctions`), the workflow's history lines at the deployed level (`workflow`: their
 * events and message bytes, from `workflowLogLines`), and one access log line.
 */
export function checkoutLogVolume(
  measured: { lines: number; bytes: number },
  invocations: number,
  workflowLines: { events: number; bytes: number },
  settings: LogSettings,
): CheckoutLogVolume {
  const overhead = LOG_ASSUMPTIONS.eventOverheadBytes;
  const handlers = { events: measured.lines, bytes: measured.bytes + measured.lines * overhead };
  const platform = ingested(lambdaPlatformLines(settings.tracing));
  const lambdaPlatform = { events: platform.events * invocations, bytes: platform.bytes * invocations };
  const workflow = { events: workflowLines.events, bytes: workflowLines.bytes + workflowLines.events * overhead };
  const apiAccess = settings.accessLogFormat ? ingested([accessLogLine(settings.accessLogFormat)]) : { events: 0, bytes: 0 };
  return { handlers, lambdaPlatform, workflow, apiAccess, totalBytes: handlers.bytes + lambdaPlatform.bytes + workflow.bytes + apiAccess.bytes };
}

/** Dollars per million checkouts for `bytes` of logs each, and for X-Ray when tracing is on. */
export function logCostPerMillion(bytesPerCheckout: number, tracing: boolean): { logs: number; xray: number } {
  return {
    logs: (bytesPerCheckout * 1_000_000 * LOG_PRICES.ingestPerGb) / 1024 ** 3,
    xray: tracing ? LOG_ASSUMPTIONS.xraySampledShare * LOG_PRICES.xrayTracesPerMillion : 0,
  };
}
