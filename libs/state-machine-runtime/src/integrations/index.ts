import { dynamoDbIntegration, type DynamoDbSender } from './dynamodb';
import { eventBridgeIntegration, type EventBridgePublisher } from './eventbridge';
import { LambdaFunctions, type LambdaFunctionDefinition, type LambdaHandler } from './lambda';
import { IntegrationRegistry, type IntegrationProvider, type TaskHandler, type TaskIntegration } from './types';

/** The integrations of a state machine, in one object. */
export interface IntegrationsOptions {
  /** Local Lambda functions by name or ARN (for `lambda:invoke` and bare function ARNs). */
  lambdaFunctions?: Record<string, LambdaHandler | LambdaFunctionDefinition> | LambdaFunctions;
  /** Publisher for `events:putEvents`. */
  eventBridge?: EventBridgePublisher;
  /** Client for `dynamodb:getItem|putItem|updateItem|deleteItem`. */
  dynamoDb?: DynamoDbSender;
  /** Your own resources by exact ARN. */
  resources?: Record<string, TaskIntegration | TaskHandler>;
  /** Your own providers for families of resources. */
  providers?: IntegrationProvider[];
}

/** Builds an IntegrationRegistry from the usual pieces. */
export function createIntegrations(options: IntegrationsOptions = {}): IntegrationRegistry {
  const registry = new IntegrationRegistry();
  for (const [resource, integration] of Object.entries(options.resources ?? {})) registry.register(resource, integration);
  if (options.lambdaFunctions) {
    registry.use(
      options.lambdaFunctions instanceof LambdaFunctions ? options.lambdaFunctions : new LambdaFunctions({ functions: options.lambdaFunctions }),
    );
  }
  if (options.eventBridge) registry.use(eventBridgeIntegration(options.eventBridge));
  if (options.dynamoDb) registry.use(dynamoDbIntegration(options.dynamoDb));
  for (const provider of options.providers ?? []) registry.use(provider);
  return registry;
}
