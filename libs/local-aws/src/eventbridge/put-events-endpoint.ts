import { type AwsJsonServer, awsJsonError, startAwsJsonServer } from '../aws-json/aws-json-server';
import type { PutEventsEntry, PutEventsOutput } from './local-event-bus';

/**
 * EventBridge's PutEvents API (AWS JSON 1.1) in front of the local bus, for handlers that
 * publish through the AWS SDK (the outbox redrive job): `AWS_ENDPOINT_URL_EVENTBRIDGE`
 * points the SDK here. The workflow's `events:putEvents` tasks reach the same bus directly.
 */

export type LocalEventBridgeEndpoint = AwsJsonServer;

const MAX_ENTRIES = 10;

export function startLocalEventBridgeEndpoint(
  putEvents: (entries: PutEventsEntry[]) => PutEventsOutput,
  host = '127.0.0.1',
): Promise<LocalEventBridgeEndpoint> {
  return startAwsJsonServer((request) => {
    if (request.method !== 'POST' || request.target !== 'AWSEvents.PutEvents') {
      return awsJsonError('UnknownOperationException', `${request.target || 'this operation'} is not available on the local EventBridge (PutEvents only).`);
    }
    const input = request.json();
    if (!input) return awsJsonError('SerializationException', 'The request body is not JSON.');
    const entries = input['Entries'];
    if (!Array.isArray(entries) || entries.length === 0 || entries.length > MAX_ENTRIES) {
      return awsJsonError('ValidationException', `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length between 1 and ${MAX_ENTRIES}`);
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
    return { status: 200, body: putEvents(parsed) };
  }, host);
}
