import { EVENT_SOURCE, ORDER_PLACED, ORDER_REJECTED } from '@orderflow/contracts';
import type { EventPattern } from './event-pattern';

/** The consumers of order events: each is a Lambda handler in apps/api and a target in the stack. */
export const EVENT_CONSUMERS = ['send-confirmation', 'record-metrics'] as const;
export type EventConsumer = (typeof EVENT_CONSUMERS)[number];

export interface EventRuleDefinition {
  /** Construct id of the rule in the stack (and the rule's name on the local bus). */
  readonly id: string;
  readonly description: string;
  readonly eventPattern: EventPattern;
  readonly consumer: EventConsumer;
}

export const ORDER_PLACED_PATTERN = {
  source: [EVENT_SOURCE],
  'detail-type': [ORDER_PLACED],
} as const satisfies EventPattern;

export const ORDER_OUTCOME_PATTERN = {
  source: [EVENT_SOURCE],
  'detail-type': [ORDER_PLACED, ORDER_REJECTED],
} as const satisfies EventPattern;

/**
 * The rules of the `orderflow` bus. The CDK stack builds one EventBridge rule per entry
 * (the synthesized template carries these patterns verbatim) and the local bus applies
 * the patterns it reads from that template with `matchesEventPattern`.
 */
export const EVENT_RULES: readonly EventRuleDefinition[] = [
  {
    id: 'SendConfirmationRule',
    description: 'OrderPlaced -> send the order confirmation to the customer',
    eventPattern: ORDER_PLACED_PATTERN,
    consumer: 'send-confirmation',
  },
  {
    id: 'RecordMetricsRule',
    description: 'OrderPlaced and OrderRejected -> record business metrics',
    eventPattern: ORDER_OUTCOME_PATTERN,
    consumer: 'record-metrics',
  },
];
