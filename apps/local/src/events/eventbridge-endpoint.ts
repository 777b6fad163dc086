import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PutEventsEntry, PutEventsOutput } from './local-event-bus';

/**
 * EventBridge's PutEvents API (AWS JSON 1.1) in front of the local bus, for handlers that
 * publish through the AWS SDK (the outbox redrive job): `AWS_ENDPOINT_URL_EVENTBRIDGE`
 * points the SDK here. The workflow's `events:putEvents` tasks reach the same bus directly.
 */

export interface LocalEventBridgeEndpoint {
  endpoint: string;
  stop(): Promise<void>;
}

const MAX_ENTRIES = 10;

export async function startLocalEventBridgeEndpoint(
  putEvents: (entries: PutEventsEntry[]) => PutEventsOutput,
  host = '127.0.0.1',
): Promise<LocalEventBridgeEndpoint> {
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
  const fail = (res: ServerResponse, type: string, message: string) => send(res, 400, { __type: type, message }, type);

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      if (req.method !== 'POST' || target !== 'AWSEvents.PutEvents') {
        return fail(res, 'UnknownOperationException', `${target || 'this operation'} is not available on the local EventBridge (PutEvents only).`);
      }
      let request: { Entries?: unknown };
      try {
        request = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { Entries?: unknown };
      } catch {
        return fail(res, 'SerializationException', 'The request body is not JSON.');
      }
      const entries = request.Entries;
      if (!Array.isArray(entries) || entries.length === 0 || entries.length > MAX_ENTRIES) {
        return fail(res, 'ValidationException', `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length between 1 and ${MAX_ENTRIES}`);
      }
      const parsed = entries.map((raw): PutEventsEntry => {
        const e = (raw ?? {}) as Record<string, unknown>;
        const text = (key: string) => (typeof e[key] === 'string' ? (e[key] as string) : undefined);
        // JSON 1.1 sends timestamps as epoch seconds.
        const time = typeof e['Time'] === 'number' ? new Date(e['Time'] * 1000) : text('Time');
        return {
          Source: text('Source'),
          DetailType: text('DetailType'),
          Detail: text('Detail'),
          EventBusName: text('EventBusName'),
          Resources: Array.isArray(e['Resources']) ? e['Resources'].map(String) : undefined,
          Time: time,
          TraceHeader: text('TraceHeader'),
        };
      });
      return send(res, 200, putEvents(parsed));
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
