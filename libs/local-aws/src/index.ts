// Public API of @orderflow/local-aws: AWS services on one machine, product-blind. The product
// passes in what it knows (its template, its mapping); nothing here knows what it runs.
export {
  type AwsJsonAnswer,
  awsJsonError,
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
