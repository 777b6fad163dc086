import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One call of the AWS JSON protocol (1.0 and 1.1): the operation is in `X-Amz-Target`, the input is the JSON body. */
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
  port: number;
  stop(): Promise<void>;
}

export interface AwsJsonServerOptions {
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /** Port (default 0: a free one). */
  port?: number;
  /** The protocol's content type: `application/x-amz-json-1.1` (default) or `-1.0` (Step Functions, DynamoDB). */
  contentType?: string;
}

export type AwsJsonHandler = (request: AwsJsonRequest) => AwsJsonAnswer | Promise<AwsJsonAnswer>;

/** An AWS error answer: `__type` and `message` (and whatever else the service adds) in the body. */
export function awsJsonError(type: string, message: string, extra: Record<string, unknown> = {}): AwsJsonAnswer {
  return { status: 400, body: { __type: type, message, ...extra }, errorType: type };
}

/** A service's operations by name (`X-Amz-Target: <prefix><Operation>`), each given the service and the input. */
export type AwsJsonOperations<S> = Record<string, (service: S, input: Record<string, unknown>) => unknown>;

/**
 * Answers one call of a service's operations as AWS does: UnknownOperationException for an
 * operation it does not have (naming those it has), SerializationException for a body that is
 * not a JSON object, the service's own errors (`isServiceError`: their `name` is AWS's type) as
 * 400s; anything else thrown reaches the server, which answers InternalFailure.
 */
export async function answerOperations<S>(
  request: { target: string; input: Record<string, unknown> | undefined },
  spec: { serviceName: string; targetPrefix: string; operations: AwsJsonOperations<S>; service: S; isServiceError: (error: unknown) => error is Error },
): Promise<AwsJsonAnswer> {
  const { target, input } = request;
  const operation = target.startsWith(spec.targetPrefix) ? spec.operations[target.slice(spec.targetPrefix.length)] : undefined;
  if (!operation) {
    return awsJsonError('UnknownOperationException', `${target || 'This operation'} is not available on the local ${spec.serviceName} (${Object.keys(spec.operations).join(', ')}).`);
  }
  if (!input) return awsJsonError('SerializationException', 'The request body is not JSON.');
  try {
    return { status: 200, body: await operation(spec.service, input) };
  } catch (error) {
    if (spec.isServiceError(error)) return awsJsonError(error.name, error.message);
    throw error;
  }
}

/** An answer when the handler itself failed: AWS's InternalFailure, never the error's text. */
const INTERNAL_FAILURE: AwsJsonAnswer = {
  status: 500,
  body: { __type: 'InternalFailure', message: 'The request processing has failed because of an unknown error.' },
  errorType: 'InternalFailure',
};

/**
 * A local stand-in of an AWS service speaking the JSON protocol: it reads each request whole,
 * hands it to `handle` and sends the answer as AWS does (content type, request id, error type
 * header). `host` may be the options or, as before, just the interface.
 */
export async function startAwsJsonServer(handle: AwsJsonHandler, hostOrOptions: string | AwsJsonServerOptions = {}): Promise<AwsJsonServer> {
  const options = typeof hostOrOptions === 'string' ? { host: hostOrOptions } : hostOrOptions;
  const host = options.host ?? '127.0.0.1';
  const contentType = options.contentType ?? 'application/x-amz-json-1.1';
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void answerWith(res, () => handle({
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
      }));
    });
  });

  async function answerWith(res: ServerResponse, run: () => AwsJsonAnswer | Promise<AwsJsonAnswer>): Promise<void> {
    let answer: AwsJsonAnswer;
    try {
      answer = await run();
    } catch {
      answer = INTERNAL_FAILURE;
    }
    if (res.destroyed) return;
    const text = JSON.stringify(answer.body);
    res.writeHead(answer.status, {
      'Content-Type': contentType,
      'Content-Length': Buffer.byteLength(text),
      'x-amzn-RequestId': randomUUID(),
      ...(answer.errorType ? { 'x-amzn-ErrorType': answer.errorType } : {}),
    });
    res.end(text);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://${host}:${port}`,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
