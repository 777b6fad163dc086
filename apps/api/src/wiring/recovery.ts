import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDbInFlightCheckouts } from '../adapters/dynamodb-in-flight-checkouts';
import { StepFunctionsCheckoutStarter } from '../adapters/step-functions-checkout-starter';
import type { CheckoutStarter, InFlightCheckouts } from '../use-cases/recover-checkouts';
import { documentClient } from './dynamodb';
import { apiEnvironment, ConfigurationError } from './environment';
import { processSingleton } from './lifecycle';
import { processAwsClient } from './sdk-client';

/** The claims of checkouts in flight. */
export const inFlightCheckouts = processSingleton<InFlightCheckouts>(() => new DynamoDbInFlightCheckouts(documentClient(), apiEnvironment().tableName));

/** The process's Step Functions client (traced in Lambda), on AWS_ENDPOINT_URL_SFN when set. */
const stepFunctions = processAwsClient((config) => new SFNClient(config), (environment) => environment.stepFunctionsEndpoint);

/** Starts the checkout state machine (STATE_MACHINE_ARN, required here). */
export const checkoutStarter = processSingleton<CheckoutStarter>(() => {
  const arn = apiEnvironment().stateMachineArn;
  if (!arn) throw new ConfigurationError('STATE_MACHINE_ARN', 'STATE_MACHINE_ARN must name the checkout state machine.');
  return new StepFunctionsCheckoutStarter(stepFunctions(), arn);
});
