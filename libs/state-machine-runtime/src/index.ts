// Public API of @orderflow/state-machine-runtime: an Amazon States Language interpreter.
export {
  compileStateMachine,
  InvalidExecutionInputError,
  InvalidExecutionNameError,
  StateMachine,
  type ExecuteOptions,
  type ExecutionResult,
  type ExecutionStatus,
  type StateMachineOptions,
} from './state-machine';
export type { InspectionStep } from './engine';
export { errorMatches } from './errors';
export { systemClock, VirtualClock, type Clock } from './clock';
export { InvalidTaskOutputError, TaskTokenNotFoundError } from './task-tokens';
export {
  StateMachineDefinitionError,
  StatesErrors,
  TaskFailure,
  type DefinitionDiagnostic,
} from './errors';
export type * from './history';
export type { Json, JsonObject } from './json';
export { createIntegrations, type IntegrationsOptions } from './integrations/index';
export {
  IntegrationRegistry,
  parseResource,
  type IntegrationProvider,
  type TaskContext,
  type TaskHandler,
  type TaskHistoryStyle,
  type TaskIntegration,
} from './integrations/types';
export {
  lambdaIntegration,
  LambdaFunctions,
  type LambdaCallback,
  type LambdaContext,
  type LambdaFunctionDefinition,
  type LambdaHandler,
  type LambdaIntegrationOptions,
} from './integrations/lambda';
export {
  eventBridgeIntegration,
  EventBridgeIntegration,
  type EventBridgePublisher,
  type EventEntry,
  type PutEventsResult,
} from './integrations/eventbridge';
export { type Invocation, type InvokeOptions, invokeLambdaHandler } from './lambda-invoker';
export { dynamoDbIntegration, DynamoDbIntegration, type DynamoDbSender } from './integrations/dynamodb';
