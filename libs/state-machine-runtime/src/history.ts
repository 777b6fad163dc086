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
  taskSucceededEventDetails?: TaskSucceededEventDetails;
  taskFailedEventDetails?: TaskFailedEventDetails;
  taskTimedOutEventDetails?: TaskTimedOutEventDetails;
  lambdaFunctionScheduledEventDetails?: LambdaFunctionScheduledEventDetails;
  lambdaFunctionSucceededEventDetails?: LambdaFunctionSucceededEventDetails;
  lambdaFunctionFailedEventDetails?: LambdaFunctionFailedEventDetails;
  lambdaFunctionTimedOutEventDetails?: LambdaFunctionTimedOutEventDetails;
  evaluationFailedEventDetails?: EvaluationFailedEventDetails;
}

export const NOT_TRUNCATED: HistoryEventExecutionDataDetails = Object.freeze({ truncated: false }) as HistoryEventExecutionDataDetails;

export function stateEnteredDetails(name: string, input: Json): StateEnteredEventDetails {
  let text: string | undefined;
  return {
    name,
    get input(): string {
      return (text ??= toJsonText(input));
    },
    inputDetails: NOT_TRUNCATED,
  };
}

export function stateExitedDetails(name: string, output: Json, assigned: Record<string, Json> | undefined): StateExitedEventDetails {
  let text: string | undefined;
  const details: StateExitedEventDetails = {
    name,
    get output(): string {
      return (text ??= toJsonText(output));
    },
    outputDetails: NOT_TRUNCATED,
  };
  if (assigned !== undefined) {
    let texts: Record<string, string> | undefined;
    Object.defineProperty(details, 'assignedVariables', {
      enumerable: true,
      get(): Record<string, string> {
        if (texts === undefined) {
          texts = {};
          for (const key of Object.keys(assigned)) texts[key] = toJsonText(assigned[key]);
        }
        return texts;
      },
    });
    details.assignedVariablesDetails = NOT_TRUNCATED;
  }
  return details;
}

/** Output-carrying details (`output` + `outputDetails`), serialized lazily. */
export function outputDetails(output: Json): { output: string; outputDetails: HistoryEventExecutionDataDetails } {
  let text: string | undefined;
  return {
    get output(): string {
      return (text ??= toJsonText(output));
    },
    outputDetails: NOT_TRUNCATED,
  };
}

/** `{ input, inputDetails }` details, serialized lazily. */
export function inputDetails(input: Json): { input: string; inputDetails: HistoryEventExecutionDataDetails } {
  let text: string | undefined;
  return {
    get input(): string {
      return (text ??= toJsonText(input));
    },
    inputDetails: NOT_TRUNCATED,
  };
}

/** Materializes lazy fields: a plain, JSON-safe copy of an event (what GetExecutionHistory returns). */
export function plainHistoryEvent(event: HistoryEvent): HistoryEvent {
  return JSON.parse(JSON.stringify(event), (key, value: unknown) =>
    key === 'timestamp' && typeof value === 'string' ? new Date(value) : value,
  ) as HistoryEvent;
}
