import { AsyncLocalStorage } from 'node:async_hooks';
import { Logger, LogLevelThreshold } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { ConstructorOptions } from '@aws-lambda-powertools/logger/types';
import type { Context } from 'aws-lambda';

/**
 * Powertools for every handler of the service. Configured by Powertools' own environment
 * variables (POWERTOOLS_SERVICE_NAME, POWERTOOLS_LOG_LEVEL, POWERTOOLS_METRICS_NAMESPACE,
 * POWERTOOLS_TRACE_ENABLED...). Outside Lambda the tracer is off by itself.
 */
export const SERVICE_NAME = 'orderflow';

/** Whether the process has reported its cold start (the first invocation's, Lambda on-demand only). */
let coldStartReported = false;

/**
 * The service's Powertools Logger, whose children are of the same kind. Powertools counts a
 * cold start per Logger instance; with a logger per invocation every invocation would say
 * `cold_start: true`. Here only the process's first invocation does.
 */
class ServiceLogger extends Logger {
  protected override createLogger(options?: ConstructorOptions): Logger {
    return new ServiceLogger(options);
  }

  protected override getColdStart(): boolean {
    super.getColdStart(); // keeps Powertools' own flag in step
    if (coldStartReported || process.env['AWS_LAMBDA_INITIALIZATION_TYPE']?.trim() !== 'on-demand') return false;
    coldStartReported = true;
    return true;
  }
}

/** The process's logger: configuration and logs outside any invocation. */
export const serviceLogger: Logger = new ServiceLogger({ serviceName: SERVICE_NAME });

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
 * Each invocation logs through a logger of its own, a child of the service logger found
 * through AsyncLocalStorage. A shared logger with `appendKeys` mixes correlation keys as soon
 * as invocations overlap in one process (the local stack runs handlers in-process, and Lambda
 * Managed Instances run several invocations per environment); a logger per invocation
 * cannot, whoever calls the handler and however it interleaves them.
 *
 * A Powertools Logger costs about 0.1 ms to build (a Console of its own, options, environment):
 * a tenth of the local stack's CPU went to building one per invocation. So the invocation's
 * logger is taken when it first writes a line (most task invocations log nothing at INFO),
 * and given back when the invocation ends, its keys reset, for a later invocation to reuse:
 * never two invocations at once, as Powertools expects of a Lambda function's logger.
 */
interface Invocation {
  keys: LogAttributes;
  context: Context | undefined;
  logger?: Logger;
  /** The invocation has returned: a late line gets a logger of its own, not a reusable one. */
  ended?: boolean;
}

const invocations = new AsyncLocalStorage<Invocation>();

/** Loggers of ended invocations, ready for the next ones (as many as ever ran at once, up to a bound). */
const idleLoggers: Logger[] = [];
const MAX_IDLE_LOGGERS = 64;

/** Powertools' debug sampling: each invocation's logger rolls the dice again. */
const debugSampling = Number(process.env['POWERTOOLS_LOGGER_SAMPLE_RATE'] ?? 0) > 0;

function invocationLogger(invocation: Invocation): Logger {
  // An invocation without a Lambda context gets a new logger: a reused one would keep the last context.
  const reusable = invocation.context !== undefined && !invocation.ended;
  const logger = (reusable ? idleLoggers.pop() : undefined) ?? serviceLogger.createChild();
  if (logger.level !== serviceLogger.level) logger.setLogLevel(serviceLogger.getLevelName());
  if (debugSampling) logger.refreshSampleRateCalculation();
  if (invocation.context) logger.addContext(invocation.context);
  logger.appendKeys(invocation.keys);
  return logger;
}

/** The running invocation's logger (its correlation keys and Lambda context), else the service logger. */
export function currentLogger(): Logger {
  const invocation = invocations.getStore();
  if (!invocation) return serviceLogger;
  invocation.logger ??= invocationLogger(invocation);
  return invocation.logger;
}

/** Runs one invocation with a logger of its own, carrying `keys` and the Lambda context. */
export async function withInvocationLogger<T>(keys: LogAttributes, context: Context | undefined, run: () => Promise<T>): Promise<T> {
  const invocation: Invocation = { keys: withoutUndefined(keys), context };
  try {
    return await invocations.run(invocation, run);
  } finally {
    invocation.ended = true;
    const logger = invocation.logger;
    invocation.logger = undefined;
    if (logger && context && idleLoggers.length < MAX_IDLE_LOGGERS) {
      logger.resetKeys();
      idleLoggers.push(logger);
    }
  }
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
