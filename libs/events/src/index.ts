// Public API of @orderflow/events: the EventPublisher port and its adapters, event
// envelopes validated against the contracts' zod schemas, and the bus's rule patterns.
export {
  buildEventEnvelope,
  buildPutEventsEntry,
  type EntryOptions,
  type EnvelopeOptions,
  InvalidEventError,
  MAX_EVENT_ENTRY_BYTES,
  type OrderflowEvent,
  parseOrderflowEvent,
  type PutEventsEntry,
  type ReceivedOrderflowEvent,
} from './envelope';
export { type EventPublisher, RecordingEventPublisher } from './event-publisher';
export {
  EventBridgeEventPublisher,
  type EventBridgeEventPublisherOptions,
  EventPublishError,
  type FailedEventEntry,
  PUT_EVENTS_BATCH_SIZE,
} from './eventbridge-publisher';
export type { EventPattern, PatternMatcher, PatternScalar } from './event-pattern';
export {
  EVENT_CONSUMERS,
  EVENT_RULES,
  type EventConsumer,
  type EventRuleDefinition,
  ORDER_OUTCOME_PATTERN,
  ORDER_PLACED_PATTERN,
} from './rules';
