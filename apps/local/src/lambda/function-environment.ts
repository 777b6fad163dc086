import { LOCAL_REGION } from '../template/local-resources';
import { mergeFunctionEnvironments } from './local-functions';

export type FunctionEnvironmentSpecs = Parameters<typeof mergeFunctionEnvironments>[0];

/** Where the functions' SDKs find the local services, and how the stack runs them. */
export interface LocalEndpoints {
  dynamoEndpoint: string;
  secretsEndpoint: string;
  eventBridgeEndpoint: string;
  stepFunctionsEndpoint: string;
  /** The payment sandboxes' API bases (STRIPE_API_BASE, PAYPAL_BASE_URL). */
  sandboxes: { env: { STRIPE_API_BASE: string; PAYPAL_BASE_URL: string } };
  scheduleScale: number;
  /** Show every handler line: the handlers then log at INFO, whatever level the template deploys (WARN in production). */
  showFunctionLogs: boolean;
  /** Where PayPal's approval page sends the buyer back to (the storefront's return and cancel pages). */
  storefrontUrl: string;
}

/** Variables a Lambda function never sees from the machine that runs it (this shell's profile, say). */
export const UNSET_IN_LAMBDA = ['AWS_PROFILE', 'AWS_SESSION_TOKEN', 'AWS_ENDPOINT_URL', 'AWS_LAMBDA_FUNCTION_NAME', 'AWS_EXECUTION_ENV'] as const;

/**
 * The Lambda runtime's view of the environment: the template's variables (references
 * resolved to local names), the variables Lambda itself provides (region, credentials), and
 * the endpoints that make the AWS SDK and the payment SDKs talk to the local services.
 */
export function functionEnvironment(specs: FunctionEnvironmentSpecs, local: LocalEndpoints): Record<string, string> {
  const environment: Record<string, string> = {
    ...mergeFunctionEnvironments(specs),
    AWS_REGION: LOCAL_REGION,
    AWS_DEFAULT_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: local.dynamoEndpoint,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: local.secretsEndpoint,
    AWS_ENDPOINT_URL_EVENTBRIDGE: local.eventBridgeEndpoint,
    AWS_ENDPOINT_URL_SFN: local.stepFunctionsEndpoint,
    STRIPE_API_BASE: local.sandboxes.env.STRIPE_API_BASE,
    PAYPAL_BASE_URL: local.sandboxes.env.PAYPAL_BASE_URL,
    PAYPAL_RETURN_URL: `${local.storefrontUrl}paypal/return`,
    PAYPAL_CANCEL_URL: `${local.storefrontUrl}paypal/cancel`,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  if (local.showFunctionLogs) environment['POWERTOOLS_LOG_LEVEL'] = 'INFO';
  // A scheduled job's passes inside one tick keep their place in it when the schedules run faster.
  const interval = Number(environment['RECOVERY_PASS_INTERVAL_SECONDS']);
  if (local.scheduleScale !== 1 && Number.isFinite(interval)) {
    environment['RECOVERY_PASS_INTERVAL_SECONDS'] = String(Math.round(interval * local.scheduleScale));
  }
  return environment;
}
