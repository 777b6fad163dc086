/** The error names the Amazon States Language reserves (prefix `States.`). */
export const StatesErrors = {
  ALL: 'States.ALL',
  DataLimitExceeded: 'States.DataLimitExceeded',
  ExceedToleratedFailureThreshold: 'States.ExceedToleratedFailureThreshold',
  HeartbeatTimeout: 'States.HeartbeatTimeout',
  IntrinsicFailure: 'States.IntrinsicFailure',
  ItemReaderFailed: 'States.ItemReaderFailed',
  NoChoiceMatched: 'States.NoChoiceMatched',
  ParameterPathFailure: 'States.ParameterPathFailure',
  Permissions: 'States.Permissions',
  QueryEvaluationError: 'States.QueryEvaluationError',
  ResultPathMatchFailure: 'States.ResultPathMatchFailure',
  ResultWriterFailed: 'States.ResultWriterFailed',
  Runtime: 'States.Runtime',
  TaskFailed: 'States.TaskFailed',
  Timeout: 'States.Timeout',
  BranchFailed: 'States.BranchFailed',
} as const;

/**
 * A failure inside an execution: the `Error` and `Cause` a Retrier/Catcher matches and an
 * execution reports. Thrown through the interpreter; never escapes `execute()`.
 */
export class ExecutionFailure extends Error {
  override name = 'ExecutionFailure';
  readonly error: string | undefined;
  override readonly cause: string | undefined;
  /** Set when the interpreter raised it itself (cause gets the "error occurred while executing" prefix). */
  readonly fromRuntime: boolean;

  constructor(error: string | undefined, cause: string | undefined, fromRuntime = false) {
    super(`${error ?? '(no error)'}: ${cause ?? '(no cause)'}`);
    this.error = error;
    this.cause = cause;
    this.fromRuntime = fromRuntime;
  }
}

/** A failure the interpreter itself raises while evaluating a state (paths, expressions, types). */
export function runtimeFailure(error: string, cause: string): ExecutionFailure {
  return new ExecutionFailure(error, cause, true);
}

/**
 * Throw this from a custom integration or a Lambda handler to fail the task with an exact
 * `Error` and `Cause` (no Lambda error mapping is applied).
 */
export class TaskFailure extends Error {
  override name = 'TaskFailure';
  readonly error: string;
  readonly errorCause: string | undefined;

  constructor(error: string, cause?: string) {
    super(cause ? `${error}: ${cause}` : error);
    this.error = error;
    this.errorCause = cause;
  }
}

/** One problem found in a definition: where (JSON pointer into the definition) and what. */
export interface DefinitionDiagnostic {
  /** AWS-style code, e.g. SCHEMA_VALIDATION_FAILED, MISSING_TRANSITION_TARGET, INVALID_JSONATA_EXPRESSION. */
  code: string;
  /** JSON pointer into the definition, e.g. `/States/Reserve/Next`. */
  location: string;
  /** The state the problem belongs to, when there is one. */
  stateName?: string;
  /** The field of that state, when there is one. */
  field?: string;
  message: string;
}

/** The definition cannot run: every problem found is in `diagnostics`. Raised by compileStateMachine. */
export class StateMachineDefinitionError extends Error {
  override name = 'StateMachineDefinitionError';
  readonly diagnostics: readonly DefinitionDiagnostic[];

  constructor(diagnostics: readonly DefinitionDiagnostic[]) {
    super(
      `Invalid State Machine Definition: ${diagnostics
        .map((d) => `'${d.code}: ${d.message} at ${d.location || '/'}'`)
        .join(', ')}`,
    );
    this.diagnostics = diagnostics;
  }
}

// Errors a Retrier or Catcher can never handle: the execution always fails on them.
const TERMINAL_ERRORS = new Set<string>([StatesErrors.Runtime, StatesErrors.DataLimitExceeded]);

/** Whether an error name is one that no Retry/Catch can handle. */
export function isTerminalError(error: string | undefined): boolean {
  return error !== undefined && TERMINAL_ERRORS.has(error);
}

/**
 * AWS's matching rules for ErrorEquals: `States.ALL` matches every error but the terminal
 * ones; `States.TaskFailed` matches every error but the terminal ones and timeouts;
 * `States.Timeout` also matches `States.HeartbeatTimeout`; anything else matches by name.
 */
export function errorMatches(errorEquals: readonly string[], error: string | undefined): boolean {
  if (isTerminalError(error)) return false;
  for (const name of errorEquals) {
    if (name === StatesErrors.ALL) return true;
    if (name === error) return true;
    if (name === StatesErrors.TaskFailed && error !== StatesErrors.Timeout && error !== StatesErrors.HeartbeatTimeout) {
      return true;
    }
    if (name === StatesErrors.Timeout && error === StatesErrors.HeartbeatTimeout) return true;
  }
  return false;
}
