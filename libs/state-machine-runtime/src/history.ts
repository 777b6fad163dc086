/**
 * Execution history in the shape of Step Functions' GetExecutionHistory: the same event type
 * names, the same `<type>EventDetails` fields, ids chained by previousEventId.
 * Payloads (`input`, `output`, `parameters`, assigned variables) are JSON text, produced on
 * first read so recording history costs little when nobody reads it.
 */
import { toJsonText, type Json } from './json';

export type HistoryEventType =
  | 'ExecutionStarted'
  | 'ExecutionSucceeded'
  | 'ExecutionFailed'
  | 'ExecutionAborted'
  | 'ExecutionTimedOut'
  | 'PassStateEntered'
  | 'PassStateExited'
  | 'TaskStateEntered'
  | 'TaskStateExited'
  | 'TaskStateAborted'
  | 'ChoiceStateEntered'
  | 'ChoiceStateExited'
  | 'WaitStateEntered'
  | 'WaitStateExited'
  | 'WaitStateAborted'
  | 'SucceedStateEntered'
  | 'SucceedStateExited'
  | 'FailStateEntered'
  | 'ParallelStateEntered'
  | 'ParallelStateExited'
  | 'ParallelStateStarted'
  | 'ParallelStateSucceeded'
  | 'ParallelStateFailed'
  | 'ParallelStateAborted'
  | 'MapStateEntered'
  | 'MapStateExited'
  | 'MapStateStarted'
  | 'MapStateSucceeded'
  | 'MapStateFailed'
  | 'MapStateAborted'
  | 'MapIterationStarted'
  | 'MapIterationSucceeded'
  | 'MapIterationFailed'
  | 'MapIterationAborted'
  | 'TaskScheduled'
  | 'TaskStarted'
  | 'TaskSubmitted'
  | 'TaskSucceeded'
  | 'TaskFailed'
  | 'TaskTimedOut'
  | 'LambdaFunctionScheduled'
  | 'LambdaFunctionStarted'
  | 'LambdaFunctionSucceeded'
  | 'LambdaFunctionFailed'
  | 'LambdaFunctionTimedOut'
  | 'MapRunStarted'
  | 'MapRunSucceeded'
  | 'MapRunFailed'
  | 'EvaluationFailed';

export interface HistoryEventExecutionDataDetails {
  truncated: boolean;
}

export interface ExecutionStartedEventDetails {
  input: string;
  inputDetails: HistoryEventExecutionDataDetails;
  roleArn: string;
}
export interface ExecutionSucceededEventDetails {
  output: string;
  outputDetails: HistoryEventExecutionDataDetails;
}
export interface ExecutionFailedEventDetails {
  error?: string;
  cause?: string;
}
export type ExecutionAbortedEventDetails = ExecutionFailedEventDetails;
export type ExecutionTimedOutEventDetails = ExecutionFailedEventDetails;

export interface StateEnteredEventDetails {
  name: string;
  input: string;
  inputDetails: HistoryEventExecutionDataDetails;
}
export interface StateExitedEventDetails {
  name: string;
  output: string;
  outputDetails: HistoryEventExecutionDataDetails;
  /** Variables the state assigned, each value as JSON text. */
  assignedVariables?: Record<string, string>;
  assignedVariablesDetails?: HistoryEventExecutionDataDetails;
}
export interface MapStateStartedEventDetails {
  length: number;
}
export interface MapIterationEventDetails {
  name: string;
  index: number;
}
export interface MapRunStartedEventDetails {
  mapRunArn: string;
}
export interface TaskScheduledEventDetails {
  resourceType: string;
  resource: string;
  region: string;
  parameters: string;
  timeoutInSeconds?: number;
  heartbeatInSeconds?: number;
}
export interface TaskStartedEventDetails {
  resourceType: string;
  resource: string;
}
export interface TaskSucceededEventDetails {
  resourceType: string;
  resource: string;
  output: string;
  outputDetails: HistoryEventExecutionDataDetails;
}
export interface TaskFailedEventDetails {
  resourceType: string;
  resource: string;
  error?: string;
  cause?: string;
}
export type TaskTimedOutEventDetails = TaskFailedEventDetails;
export type TaskSubmittedEventDetails = TaskSucceededEventDetails;
export interface LambdaFunctionScheduledEventDetails {
  resource: string;
  input: string;
  inputDetails: HistoryEventExecutionDataDetails;
  timeoutInSeconds?: number;
}
export interface LambdaFunctionSucceededEventDetails {
  output: string;
  outputDetails: HistoryEventExecutionDataDetails;
}
export interface LambdaFunctionFailedEventDetails {
  error?: string;
  cause?: string;
}
export type LambdaFunctionTimedOutEventDetails = LambdaFunctionFailedEventDetails;
export interface EvaluationFailedEventDetails {
  error: string;
  cause?: string;
  location?: string;
  state: string;
}

/** One entry of the execution history (GetExecutionHistory's HistoryEvent). */
export interface HistoryEvent {
  timestamp: Date;
  type: HistoryEventType;
  id: number;
  previousEventId: number;
  executionStartedEventDetails?: ExecutionStartedEventDetails;
  executionSucceededEventDetails?: ExecutionSucceededEventDetails;
  executionFailedEventDetails?: ExecutionFailedEventDetails;
  executionAbortedEventDetails?: ExecutionAbortedEventDetails;
  executionTimedOutEventDetails?: ExecutionTimedOutEventDetails;
  stateEnteredEventDetails?: StateEnteredEventDetails;
  stateExitedEventDetails?: StateExitedEventDetails;
  mapStateStartedEventDetails?: MapStateStartedEventDetails;
  mapIterationStartedEventDetails?: MapIterationEventDetails;
  mapIterationSucceededEventDetails?: MapIterationEventDetails;
  mapIterationFailedEventDetails?: MapIterationEventDetails;
  mapIterationAbortedEventDetails?: MapIterationEventDetails;
  mapRunStartedEventDetails?: MapRunStartedEventDetails;
  taskScheduledEventDetails?: TaskScheduledEventDetails;
  taskStartedEventDetails?: TaskStartedEventDetails;
  taskSubmittedEventDetails?: TaskSubmittedEventDetails;
  taskSucceededEventDetails?: TaskSucceededEventDetails;
  taskFailedEventDetails?: TaskFailedEventDetails;
  taskTimedOutEventDetails?: TaskTimedOutEventDetails;
  lambdaFunctionScheduledEventDetails?: LambdaFunctionScheduledEventDetails;
  lambdaFunctionSucceededEventDetails?: LambdaFunctionSucceededEventDetails;
  lambdaFunctionFailedEventDetails?: LambdaFunctionFailedEventDetails;
  lambdaFunctionTimedOutEventDetails?: LambdaFunctionTimedOutEventDetails;
  evaluationFailedEventDetails?: EvaluationFailedEventDetails;
}

/**
 * An event as recorded: payload fields hold the JSON values themselves. Recording is one small
 * object per event; the AWS shape (JSON text, Date timestamps) is built when history is read.
 */
export class RecordedEvent {
  constructor(
    readonly type: HistoryEventType,
    readonly id: number,
    readonly previousEventId: number,
    readonly time: number,
    readonly detailsKey: keyof HistoryEvent | undefined,
    readonly details: Record<string, unknown> | undefined,
  ) {}
}

const PAYLOAD_FIELDS: Record<string, ('input' | 'output' | 'parameters')[]> = {
  executionStartedEventDetails: ['input'],
  executionSucceededEventDetails: ['output'],
  stateEnteredEventDetails: ['input'],
  stateExitedEventDetails: ['output'],
  taskScheduledEventDetails: ['parameters'],
  taskSucceededEventDetails: ['output'],
  taskSubmittedEventDetails: ['output'],
  lambdaFunctionScheduledEventDetails: ['input'],
  lambdaFunctionSucceededEventDetails: ['output'],
};

function materializeDetails(key: string, raw: Record<string, unknown>): Record<string, unknown> {
  const payloads = PAYLOAD_FIELDS[key];
  if (payloads === undefined) return { ...raw };
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(raw)) {
    if (field === 'assignedVariables') continue;
    if ((payloads as string[]).includes(field)) {
      out[field] = toJsonText(value as Json);
      if (field === 'input') out['inputDetails'] = { truncated: false };
      else if (field === 'output') out['outputDetails'] = { truncated: false };
    } else out[field] = value;
  }
  const assigned = raw['assignedVariables'] as Record<string, Json> | undefined;
  if (assigned !== undefined) {
    const texts: Record<string, string> = {};
    for (const name of Object.keys(assigned)) texts[name] = toJsonText(assigned[name]);
    out['assignedVariables'] = texts;
    out['assignedVariablesDetails'] = { truncated: false };
  }
  return out;
}

/** The GetExecutionHistory shape of a recorded event. */
export function materializeEvent(event: RecordedEvent): HistoryEvent {
  const out: HistoryEvent = {
    timestamp: new Date(event.time),
    type: event.type,
    id: event.id,
    previousEventId: event.previousEventId,
  };
  if (event.detailsKey !== undefined) {
    (out as unknown as Record<string, unknown>)[event.detailsKey] = materializeDetails(event.detailsKey, event.details ?? {});
  }
  return out;
}

/** A JSON-safe copy of an event (timestamps as ISO text), e.g. for printing. */
export function plainHistoryEvent(event: HistoryEvent): Record<string, unknown> {
  return JSON.parse(JSON.stringify(event)) as Record<string, unknown>;
}
