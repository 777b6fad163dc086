import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One call of the AWS JSON 1.1 protocol: the operation is in `X-Amz-Target`, the input is the JSON body. */
export interface AwsJsonRequest {
  method: string;
  target: string;
  /** The body as a JSON object; undefined when it is not one (AWS answers SerializationException). */
  json(): Record<string, unknown> | undefined;
}

export interface AwsJsonAnswer {
  status: number;
  body: unknown;
  /** Sent as `x-amzn-ErrorType`, which the SDK reads the error's name from. */
  errorType?: string;
}

export interface AwsJsonServer {
  endpoint: string;
  stop(): Promise<void>;
}

/** An AWS error answer: `__type` and `message` (and whatever else the service adds) in the body. */
export function awsJsonError(type: string, message: string, extra: Record<string, unknown> = {}): AwsJsonAnswer {
  return { status: 400, body: { __type: type, message, ...extra }, errorType: type };
}

/**
 * A local stand-in of an AWS service speaking the JSON 1.1 protocol on a free port of `host`:
 * it reads each request whole, hands it to `handle` and sends the answer as AWS does
 * (content type, request id, error type header).
 */
export async function startAwsJsonServer(handle: (request: AwsJsonRequest) => AwsJsonAnswer, host: string): Promise<AwsJsonServer> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const answer = handle({
        method: req.method ?? '',
        target: String(req.headers['x-amz-target'] ?? ''),
        json: () => {
          try {
            const value: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
            return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
          } catch {
            return undefined;
          }
        },
      });
      const text = JSON.stringify(answer.body);
      res.writeHead(answer.status, {
        'Content-Type': 'application/x-amz-json-1.1',
        'Content-Length': Buffer.byteLength(text),
        'x-amzn-RequestId': randomUUID(),
        ...(answer.errorType ? { 'x-amzn-ErrorType': answer.errorType } : {}),
      });
      res.end(text);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://${host}:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
