// Public API of @orderflow/local-aws: AWS services on one machine, product-blind. The product
// passes in what it knows (its template, its mapping); nothing here knows what it runs.
export {
  answerOperations,
  type AwsJsonAnswer,
  awsJsonError,
  type AwsJsonOperations,
  type AwsJsonHandler,
  type AwsJsonRequest,
  type AwsJsonServer,
  type AwsJsonServerOptions,
  startAwsJsonServer,
} from './aws-json/aws-json-server';
export {
  type ExecutionOutcome,
  type ExecutionRecord,
  type ExecutionRunner,
  type HostedStateMachine,
  type HostStateMachineInput,
  isValidName,
  LocalStepFunctions,
  type LocalStepFunctionsOptions,
  StepFunctionsError,
  type StateMachineType,
} from './stepfunctions/local-step-functions';
export {
  answerStepFunctions,
  STEP_FUNCTIONS_OPERATIONS,
  type StepFunctionsEndpoint,
  startStepFunctionsEndpoint,
} from './stepfunctions/step-functions-endpoint';
export { DEFAULT_TOKEN_TTL_SECONDS, type IssueOptions, LocalUserPool, type LocalUserPoolOptions, type SignInResult, TokenRejectedError } from './cognito/local-user-pool';
export { CognitoError, type LocalUser, LocalUserDirectory, type PasswordPolicy, type UserStatus } from './cognito/user-directory';
export { answerCognito, COGNITO_OPERATIONS, type CognitoEndpoint, startCognitoEndpoint } from './cognito/cognito-endpoint';
export { escapeJavaScript, type MappingRequest, type MappingResult, renderMappingTemplate } from './apigateway/vtl';
export {
  assertValidEventPattern,
  type EventPattern,
  InvalidEventPatternError,
  matchesEventPattern,
  type PatternMatcher,
  type PatternScalar,
} from './eventbridge/event-pattern';
export {
  type AsyncFunction,
  type BusRule,
  type BusTarget,
  type DeliveryAttempt,
  type DeliveryRecord,
  type DeliveryStatus,
  type EventEnvelope,
  LAMBDA_ASYNC_RETRY_DELAYS_SECONDS,
  LocalEventBus,
  type LocalEventBusOptions,
  type PutEventsEntry,
  type PutEventsOptions,
  type PutEventsOutput,
  type PutEventsResultEntry,
  type ReceivedEvent,
  type ScheduledBusRule,
  type TargetInvocation,
} from './eventbridge/local-event-bus';
export { DEFAULT_EVENT_DELIVERY_DELAY_MS } from './eventbridge/delivery-delay';
export { type LocalEventBridgeEndpoint, startLocalEventBridgeEndpoint } from './eventbridge/put-events-endpoint';
export { type LocalSecret, type LocalSecretsManager, startLocalSecretsManager } from './secrets-manager/local-secrets-manager';
export { type InProcessFunction, type InvocationResult, invokeFunction } from './lambda/invoke-function';
export {
  type CloudFormationResource,
  type CloudFormationTemplate,
  eventRulesFromTemplate,
  functionsFromTemplate,
  localFunctionArn,
  type LocalNames,
  resolveIntrinsics,
  resourcesOfType,
  resourcesWithMetadata,
  scheduledRulesFromTemplate,
  stateMachineDefinitionFromTemplate,
  type TemplateEventRule,
  type TemplateFunction,
  TemplateResolutionError,
  type TemplateScheduledRule,
  theResourceWithMetadata,
} from './cloudformation/template';
export {
  type ApiFromTemplate,
  type ApiRoute,
  ApiTemplateError,
  apiFromTemplate,
  type GatewayResponse,
  gatewayResponseHeaders,
  renderGatewayResponse,
  responseHeaders,
  type RouteAuthorization,
  type RouteIntegration,
} from './apigateway/rest-api-from-template';
export { buildProxyEvent, headerPairs, type HttpAnswer, type IncomingRequest, type ProxyEventOptions, proxyResultToAnswer, queryPairs } from './apigateway/proxy-event';
export { findRoute, type RouteLookup, type RouteMatch } from './apigateway/routes';
export { type BodyCheck, BodyValidators, mediaType } from './apigateway/body-validator';
export {
  headerValue,
  INTEGRATION_TIMEOUT_MS,
  LocalRestApi,
  type LocalRestApiOptions,
  MAX_BODY_BYTES,
  type RestApiLog,
  type RestApiRequestLog,
  type SyncExecutionCall,
  type SyncExecutionStarted,
} from './apigateway/local-rest-api';
