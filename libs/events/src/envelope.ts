import { randomUUID } from 'node:crypto';
import {
  EVENT_SOURCE,
  type EventBridgeEnvelope,
  type EventDetailType,
  eventDetailSchemas,
  ORDER_PLACED,
  ORDER_REJECTED,
  OrderflowError,
  type OrderPlacedDetail,
  type OrderRejectedDetail,
  zodIssuesToDetails,
} from '@orderflow/contracts';

/** A domain event of the order service, before it becomes an EventBridge entry. */
export type OrderflowEvent =
  | { readonly detailType: typeof ORDER_PLACED; readonly detail: OrderPlacedDetail }
  | { readonly detailType: typeof ORDER_REJECTED; readonly detail: OrderRejectedDetail };

/** An OrderflowEvent as a consumer receives it, with the envelope's id and time. */
export type ReceivedOrderflowEvent = OrderflowEvent & { readonly id: string; readonly time: string };

/** A PutEvents request entry (the SDK's PutEventsRequestEntry, structurally). */
export interface PutEventsEntry {
  EventBusName: string;
  Source: string;
  DetailType: string;
  Detail: string;
  Time?: Date;
  Resources?: string[];
  TraceHeader?: string;
}

/** EventBridge's limit on one entry (detail, type, source, resources): 256 KiB. */
export const MAX_EVENT_ENTRY_BYTES = 256 * 1024;

/** An event whose detail does not satisfy its zod schema, or an envelope that is not ours. */
export class InvalidEventError extends OrderflowError {
  override name = 'InvalidEventError';
  constructor(message: string, details?: { path: string; message: string }[]) {
    super('INTERNAL', message, details);
  }
}

export interface EntryOptions {
  eventBusName: string;
  source?: string;
  time?: Date;
  traceHeader?: string;
}

/** Validates the detail against its zod schema from contracts and builds the PutEvents entry. */
export function buildPutEventsEntry(event: OrderflowEvent, options: EntryOptions): PutEventsEntry {
  const detail = validateDetail(event.detailType, event.detail);
  const entry: PutEventsEntry = {
    EventBusName: options.eventBusName,
    Source: options.source ?? EVENT_SOURCE,
    DetailType: event.detailType,
    Detail: JSON.stringify(detail),
    ...(options.time ? { Time: options.time } : {}),
    ...(options.traceHeader ? { TraceHeader: options.traceHeader } : {}),
  };
  const size = Buffer.byteLength(entry.Detail) + Buffer.byteLength(entry.DetailType) + Buffer.byteLength(entry.Source);
  if (size > MAX_EVENT_ENTRY_BYTES) {
    throw new InvalidEventError(`${event.detailType} entry is ${size} bytes, over EventBridge's ${MAX_EVENT_ENTRY_BYTES}`);
  }
  return entry;
}

export interface EnvelopeOptions {
  id?: string;
  account?: string;
  region?: string;
  time?: Date;
}

/** The event as EventBridge delivers it to a target (used by the local bus and tests). */
export function buildEventEnvelope(entry: PutEventsEntry, options: EnvelopeOptions = {}): EventBridgeEnvelope {
  return {
    version: '0',
    id: options.id ?? randomUUID(),
    'detail-type': entry.DetailType,
    source: entry.Source,
    account: options.account ?? '000000000000',
    time: (entry.Time ?? options.time ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: options.region ?? 'us-east-1',
    resources: entry.Resources ?? [],
    detail: JSON.parse(entry.Detail) as unknown,
  };
}

/**
 * Parses an EventBridge envelope received by a consumer: the source must be the order
 * service, the detail type known and the detail valid against its schema.
 */
export function parseOrderflowEvent(envelope: unknown): ReceivedOrderflowEvent {
  if (typeof envelope !== 'object' || envelope === null) throw new InvalidEventError('An event must be an object.');
  const e = envelope as Partial<EventBridgeEnvelope>;
  if (typeof e.id !== 'string' || e.id === '') throw new InvalidEventError('The event has no id.');
  if (e.source !== EVENT_SOURCE) throw new InvalidEventError(`Unexpected event source ${String(e.source)}.`);
  const detailType = e['detail-type'];
  if (detailType !== ORDER_PLACED && detailType !== ORDER_REJECTED) {
    throw new InvalidEventError(`Unexpected detail-type ${String(detailType)}.`);
  }
  const time = typeof e.time === 'string' ? e.time : new Date().toISOString();
  if (detailType === ORDER_PLACED) {
    return { id: e.id, time, detailType, detail: validateDetail(ORDER_PLACED, e.detail) };
  }
  return { id: e.id, time, detailType, detail: validateDetail(ORDER_REJECTED, e.detail) };
}

function validateDetail(detailType: typeof ORDER_PLACED, detail: unknown): OrderPlacedDetail;
function validateDetail(detailType: typeof ORDER_REJECTED, detail: unknown): OrderRejectedDetail;
function validateDetail(detailType: EventDetailType, detail: unknown): OrderPlacedDetail | OrderRejectedDetail;
function validateDetail(detailType: EventDetailType, detail: unknown): OrderPlacedDetail | OrderRejectedDetail {
  const schema = eventDetailSchemas[detailType];
  if (!schema) throw new InvalidEventError(`Unknown detail-type ${String(detailType)}.`);
  const parsed = schema.safeParse(detail);
  if (!parsed.success) {
    throw new InvalidEventError(`${detailType} detail is not valid.`, zodIssuesToDetails(parsed.error.issues));
  }
  return parsed.data;
}
