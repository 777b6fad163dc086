import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

/**
 * Powertools for every handler of the service. Configured by Powertools' own environment
 * variables (POWERTOOLS_SERVICE_NAME, POWERTOOLS_LOG_LEVEL, POWERTOOLS_METRICS_NAMESPACE,
 * POWERTOOLS_TRACE_ENABLED...). Outside Lambda the tracer is off by itself.
 */
export const SERVICE_NAME = 'orderflow';

export const logger = new Logger({ serviceName: SERVICE_NAME });
export const tracer = new Tracer({ serviceName: SERVICE_NAME });
export const metrics = new Metrics({ namespace: SERVICE_NAME, serviceName: SERVICE_NAME });
