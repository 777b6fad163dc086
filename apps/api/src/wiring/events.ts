import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { EventBridgeEventPublisher, type EventPublisher } from '@orderflow/events';
import { tracer } from '../observability';
import { ConfigurationError, apiEnvironment } from './environment';
import { processSingleton } from './lifecycle';
import { withoutSdkLogging } from './sdk-client';

const eventBridge = processSingleton(
  () => {
    const environment = apiEnvironment();
    return tracer.captureAWSv3Client(
      withoutSdkLogging(
        new EventBridgeClient({
          region: environment.region,
          ...(environment.eventBridgeEndpoint ? { endpoint: environment.eventBridgeEndpoint } : {}),
        }),
      ),
    );
  },
  (client) => client.destroy(),
);

/** Publishes on the orderflow bus (EVENT_BUS_NAME, required here). */
export const eventPublisher = processSingleton<EventPublisher>(() => {
  const eventBusName = apiEnvironment().eventBusName;
  if (!eventBusName) throw new ConfigurationError('EVENT_BUS_NAME', 'EVENT_BUS_NAME must name the orderflow event bus.');
  return new EventBridgeEventPublisher({ client: eventBridge(), eventBusName });
});
