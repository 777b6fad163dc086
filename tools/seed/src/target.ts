import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export const DEFAULT_LOCAL_ENDPOINT = 'http://127.0.0.1:8000';
export const DEFAULT_TABLE = 'orderflow';

export interface TargetOptions {
  endpoint?: string | undefined;
  region?: string | undefined;
  /** Use AWS (region from the environment) instead of the local default endpoint. */
  aws?: boolean | undefined;
  table?: string | undefined;
}

export interface Target {
  tableName: string;
  /** undefined: the AWS endpoint of the region. */
  endpoint: string | undefined;
  region: string;
  /** Dummy credentials for a local endpoint; the AWS credential chain otherwise. */
  localCredentials: boolean;
  description: string;
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1', 'host.docker.internal']);

/**
 * Where to seed. No flags: DynamoDB Local on 127.0.0.1:8000. `--region` (or `--aws`) without
 * `--endpoint`: the AWS table, with the normal credential chain. `--endpoint`: that endpoint;
 * a local one gets dummy credentials unless AWS credentials are set in the environment.
 */
export function resolveTarget(options: TargetOptions, env: NodeJS.ProcessEnv = process.env): Target {
  const tableName = options.table ?? DEFAULT_TABLE;
  const useAws = options.endpoint === undefined && (options.region !== undefined || options.aws === true);
  const endpoint = useAws ? undefined : (options.endpoint ?? DEFAULT_LOCAL_ENDPOINT);
  let url: URL | undefined;
  if (endpoint !== undefined) {
    try {
      url = new URL(endpoint);
    } catch {
      throw new TargetError(`--endpoint ${endpoint} is not a URL (e.g. http://127.0.0.1:8000)`);
    }
  }
  const local = url !== undefined && LOCAL_HOSTS.has(url.hostname);
  const region = options.region ?? env['AWS_REGION'] ?? env['AWS_DEFAULT_REGION'] ?? (local ? 'us-east-1' : undefined);
  if (!region) throw new TargetError('no AWS region: pass --region (or set AWS_REGION)');
  const localCredentials = local && !env['AWS_ACCESS_KEY_ID'] && !env['AWS_PROFILE'];
  return {
    tableName,
    endpoint,
    region,
    localCredentials,
    description: endpoint ? `table ${tableName} at ${endpoint}` : `AWS table ${tableName} in ${region}`,
  };
}

export class TargetError extends Error {
  override name = 'TargetError';
}

export function createDocumentClient(target: Target): DynamoDBDocumentClient {
  const config: DynamoDBClientConfig = {
    region: target.region,
    maxAttempts: 3,
    ...(target.endpoint ? { endpoint: target.endpoint } : {}),
    // DynamoDB Local accepts any credentials; the SDK needs some.
    ...(target.localCredentials ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  };
  return DynamoDBDocumentClient.from(new DynamoDBClient(config), { marshallOptions: { removeUndefinedValues: true } });
}
