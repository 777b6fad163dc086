import { AsyncLocalStorage } from 'node:async_hooks';
import { Logger, LogLevelThreshold } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';

/**
 * Powertools for every handler of the service. Configured by Powertools' own environment
 * variables (POWERTOOLS_SERVICE_NAME, POWERTOOLS_LOG_LEVEL, POWERTOOLS_METRICS_NAMESPACE,
 * POWERTOOLS_TRACE_ENABLED...). Outside Lambda the tracer is off by itself.
 */
export const SERVICE_NAME = 'orderflow';

/** The process's logger: configuration and logs outside any invocation. */
export const serviceLogger = new Logger({ serviceName: SERVICE_NAME });

/** What the handlers use of Powertools Tracer. */
export interface ServiceTracer {
  putAnnotation(key: string, value: string | number | boolean): void;
  captureAWSv3Client<T>(client: T): T;
  isTracingEnabled(): boolean;
}

/**
 * Whether Powertools Tracer would trace here, by its own rule (`Tracer#setTracingEnabled`):
 * only in a Lambda execution environment (`AWS_EXECUTION_ENV`), not under SAM CLI or the
 * Amplify mock, and not with `POWERTOOLS_TRACE_ENABLED=false`.
 */
export function tracingEnabledByEnvironment(env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  if ((env['POWERTOOLS_TRACE_ENABLED'] ?? '').trim().toLowerCase() === 'false') return false;
  const executionEnv = env['AWS_EXECUTION_ENV']?.trim() ?? '';
  if (executionEnv === '' || executionEnv === 'AWS_Lambda_amplify-mock') return false;
  return (env['AWS_SAM_LOCAL']?.trim() ?? '') === '';
}

/** The tracer where Powertools' would be disabled: every call a no-op, as Powertools' own then. */
export const disabledTracer: ServiceTracer = {
  putAnnotation: () => undefined,
  captureAWSv3Client: (client) => client,
  isTracingEnabled: () => false,
};

/**
 * Powertools Tracer, loaded only where it traces. Importing it loads aws-xray-sdk-core, whose
 * cls-hooked namespace installs an async_hooks destroy hook on every promise of the process
 * even while the tracer is disabled: a quarter of the CPU of the in-process local stack.
 * In Lambda (AWS_EXECUTION_ENV set, tracing Active) this is the same Tracer as before.
 */
export const tracer: ServiceTracer = tracingEnabledByEnvironment()
  ? new (await import('@aws-lambda-powertools/tracer')).Tracer({ serviceName: SERVICE_NAME })
  : disabledTracer;
export const metrics = new Metrics({ namespace: SERVICE_NAME, serviceName: SERVICE_NAME });

type LogAttributes = Record<string, unknown>;

/**
 * Each invocation logs through its own child of the service logger, found through
 * AsyncLocalStorage. A shared logger with `appendKeys` mixes correlation keys as soon as
 * invocations overlap in one process (the local stack runs handlers in-process, and Lambda
 * Managed Instances run several invocations per environment); a child per invocation
 * cannot, whoever calls the handler and however it interleaves them.
 *
 * The child is made when the invocation first writes a line: a Powertools Logger costs about
 * 0.1 ms to construct (a Console of its own, options, environment), and most task invocations
 * log nothing at INFO (a tenth of the local stack's CPU went to children never written to).
 */
interface Invocation {
  keys: LogAttributes;
  context: Context | undefined;
  logger?: Logger;
}

const invocations = new AsyncLocalStorage<Invocation>();

/** Powertools' debug sampling decides per logger, when it is made: with it on, every line needs the child. */
const debugSampling = Number(process.env['POWERTOOLS_LOGGER_SAMPLE_RATE'] ?? 0) > 0;

/** The running invocation's logger (its correlation keys and Lambda context), else the service logger. */
export function currentLogger(): Logger {
  const invocation = invocations.getStore();
  if (!invocation) return serviceLogger;
  if (!invocation.logger) {
    const child = serviceLogger.createChild();
    if (invocation.context) child.addContext(invocation.context);
    child.appendKeys(invocation.keys);
    invocation.logger = child;
  }
  return invocation.logger;
}

/** Runs one invocation with a logger of its own, carrying `keys` and the Lambda context. */
export function withInvocationLogger<T>(keys: LogAttributes, context: Context | undefined, run: () => Promise<T>): Promise<T> {
  return invocations.run({ keys: withoutUndefined(keys), context }, run);
}

/** Whether a line at `level` would be written, known without making the invocation's child. */
function written(level: number): boolean {
  const invocation = invocations.getStore();
  return invocation?.logger !== undefined || invocation === undefined || debugSampling || level >= serviceLogger.level;
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
  debug: (message, ...attributes) => {
    if (written(LogLevelThreshold.DEBUG)) currentLogger().debug(message, ...attributes);
  },
  info: (message, ...attributes) => {
    if (written(LogLevelThreshold.INFO)) currentLogger().info(message, ...attributes);
  },
  warn: (message, ...attributes) => currentLogger().warn(message, ...attributes),
  error: (message, ...attributes) => currentLogger().error(message, ...attributes),
  appendKeys: (keys) => {
    const invocation = invocations.getStore();
    // Before the child exists, its keys are simply kept for it.
    if (invocation && !invocation.logger) Object.assign(invocation.keys, withoutUndefined(keys));
    else currentLogger().appendKeys(withoutUndefined(keys));
  },
};
