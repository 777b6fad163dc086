import { AsyncLocalStorage } from 'node:async_hooks';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import type { Context } from 'aws-lambda';

/**
 * Powertools for every handler of the service. Configured by Powertools' own environment
 * variables (POWERTOOLS_SERVICE_NAME, POWERTOOLS_LOG_LEVEL, POWERTOOLS_METRICS_NAMESPACE,
 * POWERTOOLS_TRACE_ENABLED...). Outside Lambda the tracer is off by itself.
 */
export const SERVICE_NAME = 'orderflow';

/** The process's logger: configuration and logs outside any invocation. */
export const serviceLogger = new Logger({ serviceName: SERVICE_NAME });
export const tracer = new Tracer({ serviceName: SERVICE_NAME });
export const metrics = new Metrics({ namespace: SERVICE_NAME, serviceName: SERVICE_NAME });

type LogAttributes = Record<string, unknown>;

/**
 * Each invocation logs through its own child of the service logger, found through
 * AsyncLocalStorage. A shared logger with `appendKeys` mixes correlation keys as soon as
 * invocations overlap in one process (the local stack runs handlers in-process, and Lambda
 * Managed Instances run several invocations per environment); a child per invocation
 * cannot, whoever calls the handler and however it interleaves them.
 */
const invocations = new AsyncLocalStorage<Logger>();

/** The running invocation's logger (its correlation keys and Lambda context), else the service logger. */
export function currentLogger(): Logger {
  return invocations.getStore() ?? serviceLogger;
}

/** Runs one invocation with a logger of its own, carrying `keys` and the Lambda context. */
export function withInvocationLogger<T>(keys: LogAttributes, context: Context | undefined, run: () => Promise<T>): Promise<T> {
  const child = serviceLogger.createChild();
  if (context) child.addContext(context);
  child.appendKeys(withoutUndefined(keys));
  return invocations.run(child, run);
}

function withoutUndefined(keys: LogAttributes): LogAttributes {
  return Object.fromEntries(Object.entries(keys).filter(([, value]) => value !== undefined));
}

type LogMethod = (message: string, ...attributes: LogAttributes[]) => void;

/**
 * What code logs through, here and in adapters built once per process (the payment
 * gateway): every call goes to the running invocation's logger, so each line carries that
 * invocation's correlation keys.
 */
export const logger: {
  debug: LogMethod;
  info: LogMethod;
  warn: LogMethod;
  error: LogMethod;
  /** Adds keys to the running invocation's lines only. */
  appendKeys(keys: LogAttributes): void;
} = {
  debug: (message, ...attributes) => currentLogger().debug(message, ...attributes),
  info: (message, ...attributes) => currentLogger().info(message, ...attributes),
  warn: (message, ...attributes) => currentLogger().warn(message, ...attributes),
  error: (message, ...attributes) => currentLogger().error(message, ...attributes),
  appendKeys: (keys) => currentLogger().appendKeys(withoutUndefined(keys)),
};
