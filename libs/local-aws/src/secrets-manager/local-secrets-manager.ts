import { randomUUID } from 'node:crypto';
import { type AwsJsonServer, awsJsonError, startAwsJsonServer } from '../aws-json/aws-json-server';

/**
 * A local stand-in for AWS Secrets Manager's
 * GetSecretValue (AWS JSON 1.1 protocol), so handlers read their credentials through the
 * same code path as in AWS (a secret's ARN in their environment + Powertools'
 * SecretsProvider), pointed here with `AWS_ENDPOINT_URL_SECRETS_MANAGER`.
 */

export interface LocalSecret {
  arn: string;
  name: string;
  /** The secret's text (often a JSON object of credentials). */
  value: string;
}

export interface LocalSecretsManager extends AwsJsonServer {
  /** ARN or name -> number of GetSecretValue calls, for inspection. */
  reads(): Record<string, number>;
}

export async function startLocalSecretsManager(secrets: LocalSecret[], host = '127.0.0.1'): Promise<LocalSecretsManager> {
  const created = Math.floor(Date.now() / 1000);
  const versionIds = new Map(secrets.map((s) => [s.arn, randomUUID()]));
  const counts: Record<string, number> = {};
  const find = (id: string) => secrets.find((s) => s.arn === id || s.name === id);

  // Secrets Manager's errors also carry the message as `Message`.
  const fail = (type: string, message: string) => awsJsonError(type, message, { Message: message });

  const server = await startAwsJsonServer((request) => {
    if (request.method !== 'POST' || !request.target.startsWith('secretsmanager.')) {
      return fail('UnknownOperationException', 'This local Secrets Manager answers GetSecretValue only.');
    }
    const operation = request.target.slice('secretsmanager.'.length);
    if (operation !== 'GetSecretValue') {
      return fail('UnknownOperationException', `${operation} is not available on the local Secrets Manager.`);
    }
    const input = request.json();
    if (!input) return fail('SerializationException', 'The request body is not JSON.');
    const secret = typeof input['SecretId'] === 'string' ? find(input['SecretId']) : undefined;
    if (!secret) return fail('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
    counts[secret.arn] = (counts[secret.arn] ?? 0) + 1;
    return {
      status: 200,
      body: {
        ARN: secret.arn,
        Name: secret.name,
        VersionId: versionIds.get(secret.arn),
        SecretString: secret.value,
        VersionStages: ['AWSCURRENT'],
        CreatedDate: created,
      },
    };
  }, host);
  return { ...server, reads: () => ({ ...counts }) };
}
