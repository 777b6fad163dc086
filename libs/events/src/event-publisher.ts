import type { OrderflowEvent, PutEventsEntry } from './envelope';
import { buildPutEventsEntry } from './envelope';

/** Port: publishes domain events. Adapters: EventBridge in AWS, a recorder in tests. */
export interface EventPublisher {
  publish(events: readonly OrderflowEvent[]): Promise<void>;
}

/**
 * An in-memory publisher that validates like the EventBridge adapter and keeps what it
 * was given: for unit tests of use cases and for a process without a bus.
 */
export class RecordingEventPublisher implements EventPublisher {
  readonly published: OrderflowEvent[] = [];
  readonly entries: PutEventsEntry[] = [];

  constructor(private readonly eventBusName = 'orderflow') {}

  async publish(events: readonly OrderflowEvent[]): Promise<void> {
    const entries = events.map((event) => buildPutEventsEntry(event, { eventBusName: this.eventBusName }));
    this.entries.push(...entries);
    this.published.push(...events);
  }
}
