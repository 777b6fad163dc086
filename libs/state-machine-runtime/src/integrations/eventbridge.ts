/**
 * `arn:aws:states:::events:putEvents` through an injected publisher: an EventBridgeClient from
 * @aws-sdk/client-eventbridge, anything with the same `send(PutEventsCommand)` contract, an
 * object with `putEvents(request)`, or a plain `(entries) => response` function (a local bus).
 */
import { randomUUID } from 'node:crypto';
import { PutEventsCommand, type PutEventsCommandOutput, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { TaskFailure } from '../errors';
import { isJsonObject, toJsonText, type Json, type JsonObject } from '../json';
import { sdkErrorCause } from './http-metadata';
import { parseResource, type IntegrationProvider, type TaskContext, type TaskIntegration } from './types';

/** One entry as the integration passes it on (Detail is always JSON text). */
export type EventEntry = PutEventsRequestEntry;

/** The part of a PutEvents response the integration reads. */
export interface PutEventsResult {
  Entries?: { EventId?: string; ErrorCode?: string; ErrorMessage?: string }[];
  FailedEntryCount?: number;
}

export type EventBridgePublisher =
  | { send(command: PutEventsCommand, options?: { abortSignal?: AbortSignal }): Promise<PutEventsCommandOutput | PutEventsResult> }
  | { putEvents(request: { Entries: EventEntry[] }): Promise<PutEventsResult | void> }
  /** A function also learns which task (and execution) publishes: a local bus may hold deliveries until it ends. */
  | ((entries: EventEntry[], context: TaskContext) => Promise<PutEventsResult | void> | PutEventsResult | void);

const ENTRY_FIELDS = ['Detail', 'DetailType', 'EventBusName', 'Resources', 'Source', 'Time', 'TraceHeader'];

function toEntry(raw: Json, index: number): EventEntry {
  if (!isJsonObject(raw)) throw new TaskFailure('EventBridge.ValidationException', `Entries[${index}] must be an object`);
  const entry: EventEntry = {};
  for (const key of Object.keys(raw)) {
    if (!ENTRY_FIELDS.includes(key)) {
      throw new TaskFailure('States.Runtime', `The field '${key}' is not supported in Entries[${index}] of events:putEvents`);
    }
  }
  const detail = raw['Detail'];
  // Step Functions serializes an object Detail to JSON text.
  if (detail !== undefined) entry.Detail = typeof detail === 'string' ? detail : toJsonText(detail);
  if (typeof raw['DetailType'] === 'string') entry.DetailType = raw['DetailType'];
  if (typeof raw['Source'] === 'string') entry.Source = raw['Source'];
  if (typeof raw['EventBusName'] === 'string') entry.EventBusName = raw['EventBusName'];
  if (typeof raw['TraceHeader'] === 'string') entry.TraceHeader = raw['TraceHeader'];
  if (Array.isArray(raw['Resources'])) entry.Resources = raw['Resources'].filter((r): r is string => typeof r === 'string');
  if (typeof raw['Time'] === 'string' || typeof raw['Time'] === 'number') entry.Time = new Date(raw['Time']);
  return entry;
}

async function publish(publisher: EventBridgePublisher, entries: EventEntry[], context: TaskContext): Promise<PutEventsResult> {
  let response: PutEventsResult | void;
  if (typeof publisher === 'function') response = await publisher(entries, context);
  else if ('send' in publisher) response = await publisher.send(new PutEventsCommand({ Entries: entries }), { abortSignal: context.signal });
  else response = await publisher.putEvents({ Entries: entries });
  // A local bus may answer nothing: every entry was accepted.
  return response ?? { Entries: entries.map(() => ({ EventId: randomUUID() })), FailedEntryCount: 0 };
}

function sdkError(error: unknown): TaskFailure {
  const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number; requestId?: string } };
  const code = e?.name && e.name !== 'Error' ? e.name : 'EventBridgeException';
  const status = e?.$metadata?.httpStatusCode ?? 400;
  return new TaskFailure(`EventBridge.${code}`, sdkErrorCause(e?.message ?? String(error), 'EventBridge', status, code, e?.$metadata?.requestId ?? randomUUID()));
}

export class EventBridgeIntegration implements IntegrationProvider {
  readonly description = 'arn:aws:states:::events:putEvents';

  constructor(private readonly publisher: EventBridgePublisher) {}

  resolve(resource: string): TaskIntegration | undefined {
    const parsed = parseResource(resource);
    if (parsed?.service !== 'events' || parsed.action !== 'putEvents') return undefined;
    const publisher = this.publisher;
    return {
      resourceType: 'events',
      resourceName: 'putEvents',
      patterns: ['waitForTaskToken'],
      validateParameters: (parameters) =>
        isJsonObject(parameters) && !('Entries' in parameters) && !('Entries.$' in parameters)
          ? ["The field 'Entries' is required but was missing"]
          : [],
      invoke: async (parameters, context) => {
        const raw = isJsonObject(parameters) ? parameters['Entries'] : undefined;
        if (!Array.isArray(raw) || raw.length === 0 || raw.length > 10) {
          throw new TaskFailure(
            'EventBridge.ValidationException',
            sdkErrorCause('Entries must be an array of 1 to 10 entries', 'EventBridge', 400, 'ValidationException', randomUUID()),
          );
        }
        const entries = raw.map(toEntry);
        let response: PutEventsResult;
        try {
          response = await publish(publisher, entries, context);
        } catch (error) {
          throw sdkError(error);
        }
        const result: JsonObject = {
          Entries: (response.Entries ?? []).map((entry) => {
            const out: JsonObject = {};
            if (entry.EventId !== undefined) out['EventId'] = entry.EventId;
            if (entry.ErrorCode !== undefined) out['ErrorCode'] = entry.ErrorCode;
            if (entry.ErrorMessage !== undefined) out['ErrorMessage'] = entry.ErrorMessage;
            return out;
          }),
          FailedEntryCount: response.FailedEntryCount ?? (response.Entries ?? []).filter((e) => e.ErrorCode !== undefined).length,
        };
        if ((result['FailedEntryCount'] as number) > 0) throw new TaskFailure('EventBridge.FailedEntry', toJsonText(result));
        return result;
      },
    };
  }
}

/** `events:putEvents` through a publisher (EventBridgeClient, `{ putEvents }`, or a function). */
export function eventBridgeIntegration(publisher: EventBridgePublisher): EventBridgeIntegration {
  return new EventBridgeIntegration(publisher);
}
