import { tracer } from '../observability';
import { type ApiEnvironment, apiEnvironment } from './environment';
import { processSingleton } from './lifecycle';

/**
 * Removes the AWS SDK's logger middleware from a client. With no logger configured the SDK
 * logs to a NoOpLogger, yet the middleware still copies every request and response through
 * their sensitive-field filters before handing them to it (about 1% of the local stack's CPU).
 * Nothing in the service logs through the SDK; its errors still reach the caller.
 */
export function withoutSdkLogging<C extends { middlewareStack: { remove(name: string): boolean } }>(client: C): C {
  client.middlewareStack.remove('loggerMiddleware');
  return client;
}

interface AwsClient {
  middlewareStack: { remove(name: string): boolean };
  destroy(): void;
}

/**
 * The process's client of one AWS service, built on first use as every concern needs it: the
 * environment's region and endpoint override, no SDK logging, traced in Lambda; destroyed
 * when the wiring is reset.
 */
export function processAwsClient<C extends AwsClient>(
  create: (config: { region: string; endpoint?: string }) => C,
  endpointOf: (environment: ApiEnvironment) => string | undefined,
): () => C {
  return processSingleton(
    () => {
      const environment = apiEnvironment();
      const endpoint = endpointOf(environment);
      return tracer.captureAWSv3Client(withoutSdkLogging(create({ region: environment.region, ...(endpoint ? { endpoint } : {}) })));
    },
    (client) => client.destroy(),
  );
}
