import { isOrigin, OrderflowError } from '@orderflow/contracts';
import { onResetWiring } from './lifecycle';

/**
 * The settings every adapter is built from, read from environment variables only, so the same
 * handler code runs in Lambda and in-process on one machine:
 *
 *   TABLE_NAME                   the orderflow table (required)
 *   AWS_REGION                   region of the AWS clients (default us-east-1)
 *   AWS_ENDPOINT_URL_DYNAMODB    DynamoDB endpoint override (DynamoDB Local)
 *   EVENT_BUS_NAME               the orderflow bus (handlers that publish: redrive-outbox)
 *   AWS_ENDPOINT_URL_EVENTBRIDGE EventBridge endpoint override (a local PutEvents endpoint)
 *   STATE_MACHINE_ARN            the checkout state machine (recover-checkouts starts it)
 *   AWS_ENDPOINT_URL_SFN         Step Functions endpoint override (the local Step Functions)
 *   RECOVERY_PASSES              passes of recover-checkouts per invocation (default 1)
 *   RECOVERY_PASS_INTERVAL_SECONDS  seconds between them (default 15)
 *   ALLOWED_ORIGINS              storefront origins whose pages may call the API (CORS), comma-separated
 *   payment settings             as @orderflow/payments reads them (STRIPE_*, PAYPAL_*,
 *                                PAYMENT_*, PAYMENT_SECRETS_ARN)
 */

export class ConfigurationError extends OrderflowError {
  override name = 'ConfigurationError';
  constructor(readonly variable: string, message: string) {
    super('INTERNAL', message);
  }
}

export interface ApiEnvironment {
  tableName: string;
  region: string;
  dynamoDbEndpoint: string | undefined;
  eventBusName: string | undefined;
  eventBridgeEndpoint: string | undefined;
  stateMachineArn: string | undefined;
  stepFunctionsEndpoint: string | undefined;
  recoveryPasses: number;
  recoveryPassIntervalSeconds: number;
}

/** ALLOWED_ORIGINS, on its own: every route reads it, some without a table. */
export function readAllowedOrigins(env: Readonly<Record<string, string | undefined>> = process.env): string[] {
  const list = (env['ALLOWED_ORIGINS'] ?? '').split(',').map((o) => o.trim()).filter((o) => o !== '');
  for (const origin of list) {
    if (!isOrigin(origin)) throw new ConfigurationError('ALLOWED_ORIGINS', `ALLOWED_ORIGINS must list origins (https://host[:port]), not ${origin}.`);
  }
  return list;
}

function positiveInteger(env: Readonly<Record<string, string | undefined>>, name: string, fallback: number, min = 1): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new ConfigurationError(name, `${name} must be a whole number from ${min}, not ${raw}.`);
  return value;
}

export function readApiEnvironment(env: Readonly<Record<string, string | undefined>> = process.env): ApiEnvironment {
  const tableName = env['TABLE_NAME']?.trim();
  if (!tableName) throw new ConfigurationError('TABLE_NAME', 'TABLE_NAME must name the orderflow table.');
  const endpoint = env['AWS_ENDPOINT_URL_DYNAMODB']?.trim() || env['AWS_ENDPOINT_URL']?.trim() || undefined;
  return {
    tableName,
    region: env['AWS_REGION']?.trim() || env['AWS_DEFAULT_REGION']?.trim() || 'us-east-1',
    dynamoDbEndpoint: endpoint,
    eventBusName: env['EVENT_BUS_NAME']?.trim() || undefined,
    eventBridgeEndpoint: env['AWS_ENDPOINT_URL_EVENTBRIDGE']?.trim() || env['AWS_ENDPOINT_URL']?.trim() || undefined,
    stateMachineArn: env['STATE_MACHINE_ARN']?.trim() || undefined,
    stepFunctionsEndpoint: env['AWS_ENDPOINT_URL_SFN']?.trim() || env['AWS_ENDPOINT_URL']?.trim() || undefined,
    recoveryPasses: positiveInteger(env, 'RECOVERY_PASSES', 1),
    recoveryPassIntervalSeconds: positiveInteger(env, 'RECOVERY_PASS_INTERVAL_SECONDS', 15, 0),
  };
}

let current: ApiEnvironment | undefined;
onResetWiring(() => {
  current = undefined;
});

/** The process's settings, read once (a Lambda execution environment's variables do not change). */
export function apiEnvironment(): ApiEnvironment {
  current ??= readApiEnvironment();
  return current;
}

let origins: string[] | undefined;
onResetWiring(() => {
  origins = undefined;
});

/** The process's allowed storefront origins, read once. */
export function allowedOrigins(): string[] {
  origins ??= readAllowedOrigins();
  return origins;
}
