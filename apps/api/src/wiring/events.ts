import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { EventBridgeEventPublisher, type EventPublisher } from '@orderflow/events';
import { ConfigurationError, apiEnvironment } from './environment';
import { processSingleton } from './lifecycle';
import { processAwsClient } from './sdk-client';

/** The process's EventBridge client (traced in Lambda), on AWS_ENDPOINT_URL_EVENTBRIDGE when set. */
const eventBridge = processAwsClient((config) => new EventBridgeClient(config), (environment) => environment.eventBridgeEndpoint);

/** Publishes on the orderflow bus (EVENT_BUS_NAME, required here). */
export const eventPublisher = processSingleton<EventPublisher>(() => {
  const eventBusName = apiEnvironment().eventBusName;
  if (!eventBusName) throw new ConfigurationError('EVENT_BUS_NAME', 'EVENT_BUS_NAME must name the orderflow event bus.');
  return new EventBridgeEventPublisher({ client: eventBridge(), eventBusName });
});
