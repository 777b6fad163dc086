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
