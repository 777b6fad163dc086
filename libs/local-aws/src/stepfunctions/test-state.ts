import {
  errorMatches,
  type InspectionStep,
  IntegrationRegistry,
  type Json,
  type JsonObject,
  type StateMachine,
  TaskFailure,
} from '@orderflow/state-machine-runtime';
import { StepFunctionsError } from './local-step-functions';
import { validateMockResult } from './test-state-mock';

/**
 * Step Functions' TestState on this machine: one state run alone — given by itself, or by
 * `stateName` inside a whole definition — with its input, variables and, for a Task, Map or
 * Parallel, a mocked result or error. The answer is AWS's: the status (SUCCEEDED, FAILED,
 * RETRIABLE when a Retry would try again, CAUGHT_ERROR when a Catch takes the error), the
 * output, the next state, and at DEBUG/TRACE the state's data at each step of its processing.
 *
 * How: the state is compiled into a small machine where every state it can go to is a Succeed
 * stub, its Retry taken off (whether it would retry is decided from its retriers and
 * `stateConfiguration.retrierRetryCount`, without waiting), and a mock stands in for the
 * resource. The runtime's inspection hook reports the data.
 */

export type InspectionLevel = 'INFO' | 'DEBUG' | 'TRACE';
export type TestExecutionStatus = 'SUCCEEDED' | 'FAILED' | 'RETRIABLE' | 'CAUGHT_ERROR';

export interface TestStateRequest {
  definition: string;
  input?: string;
  stateName?: string;
  inspectionLevel?: InspectionLevel;
  variables?: string;
  mock?: { result?: string; errorOutput?: { error?: string; cause?: string }; fieldValidationMode?: 'STRICT' | 'PRESENT' | 'NONE' };
  stateConfiguration?: { retrierRetryCount?: number; errorCausedByState?: string; mapIterationFailureCount?: number; mapItemReaderData?: string };
  roleArn?: string;
  revealSecrets?: boolean;
  context?: string;
}

export interface TestStateResponse {
  status: TestExecutionStatus;
  output?: string;
  error?: string;
  cause?: string;
  nextState?: string;
  inspectionData?: Record<string, string>;
}

/** Compiles a test machine (the host's compile: its integrations, region, InvalidDefinition). */
export type CompileForTest = (definition: string, integrations: IntegrationRegistry | undefined) => StateMachine;

const MOCK_RESOURCE = 'arn:aws:states:::local:testState.mock';
const MOCKABLE = new Set(['Task', 'Map', 'Parallel']);
/** What a mocked Map or Parallel keeps: its input and output processing, errors and flow. */
const KEPT_WHEN_MOCKED = new Set([
  'Type', 'Comment', 'QueryLanguage', 'Next', 'End', 'InputPath', 'OutputPath', 'ResultPath', 'ResultSelector', 'Output', 'Assign', 'Retry', 'Catch',
]);

type State = Record<string, Json>;

function validation(message: string): StepFunctionsError {
  return new StepFunctionsError('ValidationException', message);
}

function parseJsonText(text: string | undefined, what: string): Json | undefined {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as Json;
  } catch {
    throw validation(`${what} is not valid JSON`);
  }
}

function isObject(value: unknown): value is State {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The state to test, its name and the machine's query language. */
function pickState(definition: Json, stateName: string | undefined): { name: string; state: State; queryLanguage: Json | undefined } {
  if (!isObject(definition)) throw new StepFunctionsError('InvalidDefinition', "Invalid State Machine Definition: 'the definition must be a JSON object'");
  if (isObject(definition['States'])) {
    if (!stateName) throw validation('stateName is required when the definition is a state machine');
    const state = definition['States'][stateName];
    if (!isObject(state)) throw validation(`State '${stateName}' is not in the definition's States`);
    return { name: stateName, state, queryLanguage: definition['QueryLanguage'] };
  }
  if (typeof definition['Type'] !== 'string') throw new StepFunctionsError('InvalidDefinition', "Invalid State Machine Definition: 'a state needs a Type'");
  return { name: stateName ?? 'TestState', state: definition, queryLanguage: undefined };
}

/** The tested state with every target renamed (so a state that goes to itself has a stub too) and its Retry off. */
function retarget(state: State, rename: (target: string) => string): State {
  const copy: State = JSON.parse(JSON.stringify(state)) as State;
  delete copy['Retry'];
  if (typeof copy['Next'] === 'string') copy['Next'] = rename(copy['Next']);
  if (typeof copy['Default'] === 'string') copy['Default'] = rename(copy['Default']);
  for (const key of ['Choices', 'Catch']) {
    const list = copy[key];
    if (Array.isArray(list)) for (const entry of list) if (isObject(entry) && typeof entry['Next'] === 'string') entry['Next'] = rename(entry['Next']);
  }
  return copy;
}

/** A mocked Map or Parallel becomes a Task of the mock resource with the same processing of input and result. */
function mockedState(state: State): State {
  if (state['Type'] === 'Task') return { ...state, Resource: MOCK_RESOURCE };
  const task: State = { Type: 'Task', Resource: MOCK_RESOURCE };
  for (const [key, value] of Object.entries(state)) if (KEPT_WHEN_MOCKED.has(key) && key !== 'Type') task[key] = value;
  // A Parallel's Parameters/Arguments shape what its branches get; mocked, they shape nothing AWS shows.
  return task;
}

function mockIntegrations(mock: NonNullable<TestStateRequest['mock']>, resource: string | undefined): IntegrationRegistry {
  let result: Json | undefined;
  if (mock.result !== undefined) {
    result = parseJsonText(mock.result, 'mock.result');
    validateMockResult(resource, result as Json, mock.fieldValidationMode ?? 'STRICT');
  }
  return new IntegrationRegistry().register(MOCK_RESOURCE, () => {
    if (mock.errorOutput) throw new TaskFailure(mock.errorOutput.error ?? '', mock.errorOutput.cause ?? '');
    return result as Json;
  });
}

/** Whether one of the state's retriers would try again after `error`, at retry `count`. */
function wouldRetry(state: State, error: string, count: number): boolean {
  const retriers = Array.isArray(state['Retry']) ? state['Retry'] : [];
  for (const retrier of retriers) {
    if (!isObject(retrier) || !Array.isArray(retrier['ErrorEquals'])) continue;
    if (!errorMatches(retrier['ErrorEquals'] as string[], error)) continue;
    const max = typeof retrier['MaxAttempts'] === 'number' ? retrier['MaxAttempts'] : 3;
    return count < max;
  }
  return false;
}

const text = (value: Json | undefined) => JSON.stringify(value ?? null);

export async function testState(request: TestStateRequest, compile: CompileForTest): Promise<TestStateResponse> {
  if (request.context !== undefined) throw validation('context is not supported by the local TestState');
  const level = request.inspectionLevel ?? 'INFO';
  if (!['INFO', 'DEBUG', 'TRACE'].includes(level)) throw validation(`inspectionLevel must be INFO, DEBUG or TRACE, not ${level}`);
  const definition = parseJsonText(request.definition, 'definition');
  if (definition === undefined) throw validation('definition is required');
  const { name, state, queryLanguage } = pickState(definition, request.stateName);
  const input = parseJsonText(request.input ?? '{}', 'input') as Json;
  const variables = parseJsonText(request.variables, 'variables');
  if (variables !== undefined && !isObject(variables)) throw validation('variables must be a JSON object');
  if (request.mock) {
    if (!MOCKABLE.has(String(state['Type']))) throw validation(`A mock is only for Task, Map and Parallel states, not ${String(state['Type'])}`);
    if ((request.mock.result === undefined) === (request.mock.errorOutput === undefined)) throw validation('A mock has either a result or an errorOutput');
  }

  // Stubs: every target is a Succeed state; names stay AWS's except a target that is the state itself.
  const stubName = (target: string) => (target === name ? `${target} (next)` : target);
  const original = new Map<string, string>();
  const states: Record<string, Json> = {};
  let tested = retarget(state, (target) => {
    const stub = stubName(target);
    original.set(stub, target);
    return stub;
  });
  if (request.mock) tested = mockedState(tested);
  states[name] = tested;
  for (const stub of original.keys()) states[stub] = { Type: 'Succeed' };
  const machineDefinition = JSON.stringify({ ...(queryLanguage !== undefined ? { QueryLanguage: queryLanguage } : {}), StartAt: name, States: states });
  const integrations = request.mock ? mockIntegrations(request.mock, typeof state['Resource'] === 'string' ? state['Resource'] : undefined) : undefined;
  const machine = compile(machineDefinition, integrations);

  const data: Partial<Record<InspectionStep, Json>> = {};
  let entered: string | undefined;
  const result = await machine.execute(input, {
    name: 'test-state',
    ...(variables ? { variables: variables as JsonObject } : {}),
    onStateEntered: (stateName) => {
      if (stateName !== name && entered === undefined) entered = stateName;
    },
    onInspection: (stateName, step, value) => {
      if (stateName === name) data[step] = value;
    },
  });

  const response: TestStateResponse = { status: 'SUCCEEDED' };
  const caught = data.errorOutput as { Error?: string; Cause?: string } | undefined;
  if (caught && wouldRetry(state, caught.Error ?? '', request.stateConfiguration?.retrierRetryCount ?? 0)) {
    response.status = 'RETRIABLE';
    response.error = caught.Error ?? '';
    response.cause = caught.Cause ?? '';
  } else if (result.status !== 'SUCCEEDED') {
    response.status = 'FAILED';
    if (result.error !== undefined) response.error = result.error;
    if (result.cause !== undefined) response.cause = result.cause;
  } else {
    response.output = text(result.output);
    if (entered !== undefined) response.nextState = original.get(entered) ?? entered;
    if (caught) {
      response.status = 'CAUGHT_ERROR';
      response.error = caught.Error ?? '';
      response.cause = caught.Cause ?? '';
    }
  }
  if (level !== 'INFO') {
    const inspection: Record<string, string> = { input: text(input) };
    for (const step of ['afterInputPath', 'afterParameters', 'afterArguments', 'result', 'afterResultSelector', 'afterResultPath'] as const) {
      if (data[step] !== undefined) inspection[step] = text(data[step]);
    }
    if (variables !== undefined || data.assignedVariables !== undefined) {
      inspection['variables'] = text({ ...((variables as JsonObject | undefined) ?? {}), ...((data.assignedVariables as JsonObject | undefined) ?? {}) });
    }
    response.inspectionData = inspection;
  }
  return response;
}
