// Public API of @orderflow/order-workflow: the checkout state machine (ASL built from
// contracts), its CDK construct, the HTTP edge mapping of POST /orders (VTL and the same
// rules in TypeScript), and the metadata keys that mark its resources in the template.
export {
  API_GATEWAY_TIMEOUT_SECONDS,
  longestPath,
  pathCost,
  type PathCost,
  retrierWaitSeconds,
  type StateCost,
  stateCost,
  SUCCESS_PATH,
  WORK_RESERVE_SECONDS,
} from './budget';
export {
  type AslDefinition,
  type AslState,
  BUSINESS_ERRORS,
  buildCheckoutDefinition,
  CHECKOUT_DEFAULTS,
  type CheckoutDefinitionOptions,
  DYNAMODB_TRANSIENT_ERRORS,
  ERROR_RESPONSE_FROM_ERROR_OUTPUT,
  EVENTBRIDGE_TRANSIENT_ERRORS,
  HANDLER_TRANSIENT_ERRORS,
  IDEMPOTENCY_STATUS,
  LAMBDA_SERVICE_ERRORS,
  minimumCheckoutLockSeconds,
  PAYMENT_TRANSIENT_ERRORS,
  RETRY_POLICIES,
  type RetryPolicyName,
} from './checkout-definition';
export {
  CHECKOUT_TASK_FUNCTION_NAMES,
  CHECKOUT_TASK_FUNCTIONS,
  CHECKOUT_WORKFLOW_ID,
  type CheckoutTaskFunction,
  EVENT_BUS_NAME_PLACEHOLDER,
  HANDLER_METADATA_KEY,
  handlerSource,
  TABLE_NAME_PLACEHOLDER,
  WORKFLOW_METADATA_KEY,
} from './checkout-functions';
export {
  buildCheckoutWorkflowInput,
  CHECKOUT_INTEGRATION_ERROR_TEMPLATE,
  CHECKOUT_REQUEST_TEMPLATE,
  CHECKOUT_RESPONSE_HEADERS,
  CHECKOUT_RESPONSE_TEMPLATE,
  CHECKOUT_STATUS_CODES,
  checkoutCorsHeaders,
  type CheckoutRequest,
  checkoutExecutionName,
  checkoutResponseTemplate,
  EXECUTION_NAME_CUSTOMER_CHARS,
  GATEWAY_RESPONSES,
  gatewayErrorResponse,
  gatewayResponseStatus,
  gatewayResponseTemplate,
  type GatewayResponseType,
  type HttpResponse,
  IDEMPOTENT_REPLAYED_HEADER,
  mapCheckoutExecutionResult,
  MAX_EXECUTION_NAME_LENGTH,
  STATE_MACHINE_ARN_TOKEN,
  type SyncExecutionResult,
  type SyncExecutionStatus,
} from './api-mapping';
export { jsonSchemaToJsonata, type JsonSchema, UnsupportedSchemaError } from './json-schema-to-jsonata';
export { OrderWorkflow, type OrderWorkflowProps, WORKFLOW_LEADING_KEYS } from './order-workflow';

