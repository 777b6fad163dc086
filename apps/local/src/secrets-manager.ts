import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the one AWS Secrets Manager call the service makes,
 * GetSecretValue (AWS JSON 1.1 protocol), so the payment handlers read their credentials
 * through the same code path as in AWS (`PAYMENT_SECRETS_ARN` + Powertools'
 * SecretsProvider), pointed here with `AWS_ENDPOINT_URL_SECRETS_MANAGER`.
 */

export interface LocalSecret {
  arn: string;
  name: string;
  /** The secret's text (a JSON object for the payment credentials). */
  value: string;
}

export interface LocalSecretsManager {
  endpoint: string;
  /** ARN or name -> number of GetSecretValue calls, for inspection. */
  reads(): Record<string, number>;
  stop(): Promise<void>;
}

export async function startLocalSecretsManager(secrets: LocalSecret[], host = '127.0.0.1'): Promise<LocalSecretsManager> {
  const created = Math.floor(Date.now() / 1000);
  const versionIds = new Map(secrets.map((s) => [s.arn, randomUUID()]));
  const counts: Record<string, number> = {};
  const find = (id: string) => secrets.find((s) => s.arn === id || s.name === id);

  const send = (res: ServerResponse, status: number, body: unknown, errorType?: string) => {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'Content-Type': 'application/x-amz-json-1.1',
      'Content-Length': Buffer.byteLength(text),
      'x-amzn-RequestId': randomUUID(),
      ...(errorType ? { 'x-amzn-ErrorType': errorType } : {}),
    });
    res.end(text);
  };
  const fail = (res: ServerResponse, status: number, type: string, message: string) =>
    send(res, status, { __type: type, message, Message: message }, type);

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      if (req.method !== 'POST' || !target.startsWith('secretsmanager.')) {
        return fail(res, 400, 'UnknownOperationException', 'This local Secrets Manager answers GetSecretValue only.');
      }
      const operation = target.slice('secretsmanager.'.length);
      if (operation !== 'GetSecretValue') {
        return fail(res, 400, 'UnknownOperationException', `${operation} is not available on the local Secrets Manager.`);
      }
      let request: { SecretId?: unknown };
      try {
        request = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { SecretId?: unknown };
      } catch {
        return fail(res, 400, 'SerializationException', 'The request body is not JSON.');
      }
      const secret = typeof request.SecretId === 'string' ? find(request.SecretId) : undefined;
      if (!secret) return fail(res, 400, 'ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
      counts[secret.arn] = (counts[secret.arn] ?? 0) + 1;
      return send(res, 200, {
        ARN: secret.arn,
        Name: secret.name,
        VersionId: versionIds.get(secret.arn),
        SecretString: secret.value,
        VersionStages: ['AWSCURRENT'],
        CreatedDate: created,
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://${host}:${port}`,
    reads: () => ({ ...counts }),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
