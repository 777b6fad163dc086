import { randomUUID } from 'node:crypto';
import { type EventPattern, matchesEventPattern } from './event-pattern';

/**
 * The local EventBridge bus: PutEvents entries become events, every enabled rule of the bus
 * whose pattern matches (the template's patterns, matched as EventBridge does: event-pattern.ts) delivers
 * the event to its targets, asynchronously, as EventBridge does:
 *  - delivering to a Lambda target is an asynchronous invocation; when the function fails,
 *    Lambda retries it (MaximumRetryAttempts, 2 by default, after 1 and 2 minutes) and then
 *    parks the event in the function's dead-letter queue;
 *  - when the invocation itself cannot be made (no such function), EventBridge retries with
 *    backoff within the target's RetryPolicy (attempts, maximum event age), then sends the
 *    event to the target's dead-letter queue.
 * Delays are AWS's, multiplied by `retryDelayScale` (1/60 by default: seconds for minutes).
 * A first delivery starts `deliveryDelayMs` after the event was accepted (EventBridge's own
 * delivery latency), and an event put by a running execution is held until that execution has
 * answered (`putEvents(entries, { after })`): in AWS its consumers run elsewhere, here they
 * would otherwise compete for this one process with the execution's last steps.
 * Every event, delivery attempt and dead letter is kept for GET /_local/events.
 */

export interface BusTarget {
  id: string;
  arn: string;
  retryPolicy: { maximumRetryAttempts: number; maximumEventAgeSeconds: number };
  deadLetterArn: string | undefined;
}

export interface BusRule {
  name: string;
  eventBusName: string;
  eventPattern: EventPattern;
  enabled: boolean;
  targets: BusTarget[];
}

/** A rule with a ScheduleExpression (on the default bus): its targets get a Scheduled Event each period. */
export interface ScheduledBusRule {
  name: string;
  scheduleExpression: string;
  /** The period of a `rate(...)`; cron expressions are not run locally (reported). */
  rateMs: number | undefined;
  enabled: boolean;
  targets: BusTarget[];
}

export interface TargetInvocation {
  ok: boolean;
  error?: { errorType: string; errorMessage: string } | undefined;
  durationMs: number;
  requestId: string;
}

/** The function behind a target ARN, as Lambda's asynchronous invocation sees it. */
export interface AsyncFunction {
  name: string;
  /** Lambda's retries of a failed asynchronous invocation (EventInvokeConfig; 2 by default). */
  maximumRetryAttempts: number;
  /** The function's own dead-letter queue (DeadLetterConfig.TargetArn). */
  deadLetterArn: string | undefined;
  invoke(event: unknown): Promise<TargetInvocation>;
}

export interface PutEventsEntry {
  Source?: string | undefined;
  DetailType?: string | undefined;
  Detail?: string | undefined;
  EventBusName?: string | undefined;
  Resources?: string[] | undefined;
  Time?: Date | string | number | undefined;
  TraceHeader?: string | undefined;
}

export interface PutEventsResultEntry {
  EventId?: string;
  ErrorCode?: string;
  ErrorMessage?: string;
}

export interface PutEventsOptions {
  /** Hold the deliveries until this settles (the end of the execution that put the events). */
  after?: Promise<unknown> | undefined;
}

export interface PutEventsOutput {
  FailedEntryCount: number;
  Entries: PutEventsResultEntry[];
}

export type DeliveryStatus = 'pending' | 'retrying' | 'delivered' | 'dead-lettered' | 'cancelled';

export interface DeliveryAttempt {
  at: string;
  /** `invoke`: EventBridge's call to the target; `run`: the function ran (Lambda's async attempt). */
  kind: 'invoke' | 'run';
  outcome: 'succeeded' | 'failed';
  durationMs: number;
  error?: string | undefined;
  requestId?: string | undefined;
}

export interface DeliveryRecord {
  rule: string;
  targetId: string;
  targetArn: string;
  function: string | undefined;
  status: DeliveryStatus;
  attempts: DeliveryAttempt[];
  deadLetter?: { queueArn: string | undefined; reason: string; at: string } | undefined;
}

export interface ReceivedEvent {
  id: string;
  receivedAt: string;
  eventBusName: string;
  source: string;
  detailType: string;
  /** The event as targets receive it. */
  event: EventEnvelope;
  matchedRules: string[];
  deliveries: DeliveryRecord[];
}

export interface EventEnvelope {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: unknown;
}

export interface LocalEventBusOptions {
  /** The bus the rules belong to (its name; its ARN is accepted too). */
  busName: string;
  rules: BusRule[];
  /** Scheduled rules, run by startSchedules(). */
  scheduledRules?: ScheduledBusRule[];
  /** Multiplies the periods of scheduled rules (default 1: real time). */
  scheduleScale?: number;
  /** The function behind a target ARN, or undefined when there is none. */
  resolveTarget: (arn: string) => AsyncFunction | undefined;
  region?: string;
  accountId?: string;
  /** Multiplies AWS's retry delays (default 1/60). 0 retries at once. */
  retryDelayScale?: number;
  /** How long after PutEvents a first delivery starts, ms (default 0: at once, after PutEvents answered). */
  deliveryDelayMs?: number;
  /** How many events are kept for inspection (default 500). */
  maxEvents?: number;
  onDelivery?: (event: ReceivedEvent, delivery: DeliveryRecord) => void;
}

/** The source of the events scheduled rules send. */
const SCHEDULE_SOURCE = 'aws.events';

/** Lambda's asynchronous retries: after 1 minute, then after 2 more. */
export const LAMBDA_ASYNC_RETRY_DELAYS_SECONDS = [60, 120];
const MAX_ENTRY_BYTES = 256 * 1024;

export class LocalEventBus {
  readonly busName: string;
  readonly busArn: string;
  private readonly options: Required<Omit<LocalEventBusOptions, 'onDelivery'>> & Pick<LocalEventBusOptions, 'onDelivery'>;
  private readonly schedules = new Set<ReturnType<typeof setInterval>>();
  private readonly received: ReceivedEvent[] = [];
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private readonly running = new Set<Promise<void>>();
  private readonly idleWaiters: (() => void)[] = [];
  private pending = 0;
  private stopped = false;

  constructor(options: LocalEventBusOptions) {
    this.options = {
      region: 'us-east-1',
      accountId: '000000000000',
      retryDelayScale: 1 / 60,
      deliveryDelayMs: 0,
      maxEvents: 500,
      scheduledRules: [],
      scheduleScale: 1,
      ...options,
    };
    this.busName = options.busName;
    this.busArn = `arn:aws:events:${this.options.region}:${this.options.accountId}:event-bus/${options.busName}`;
  }

  get ruleCount(): number {
    return this.options.rules.length;
  }

  get scheduleCount(): number {
    return this.options.scheduledRules.length;
  }

  /** PutEvents: validates each entry as EventBridge does and accepts the valid ones. */
  putEvents(entries: PutEventsEntry[], options: PutEventsOptions = {}): PutEventsOutput {
    const results = entries.map((entry) => this.putEntry(entry, options.after));
    return { FailedEntryCount: results.filter((r) => r.ErrorCode !== undefined).length, Entries: results };
  }

  /**
   * Starts the timers of the enabled `rate(...)` rules. Returns the rules it could not run
   * (cron expressions), for the caller to report.
   */
  startSchedules(options: { fireNow?: boolean } = {}): ScheduledBusRule[] {
    const skipped: ScheduledBusRule[] = [];
    for (const rule of this.options.scheduledRules) {
      if (!rule.enabled) continue;
      if (rule.rateMs === undefined) {
        skipped.push(rule);
        continue;
      }
      // A new rate rule's first tick comes at some point of its first period; `fireNow` takes
      // the start of it (a restarted stack finishes what was left at once).
      if (options.fireNow) this.fire(rule);
      this.schedules.add(setInterval(() => this.fire(rule), rule.rateMs * this.options.scheduleScale));
    }
    return skipped;
  }

  /** One tick of a scheduled rule: a Scheduled Event to each of its targets (exposed for tests). */
  fire(rule: ScheduledBusRule): ReceivedEvent {
    const id = randomUUID();
    const envelope: EventEnvelope = {
      version: '0',
      id,
      'detail-type': 'Scheduled Event',
      source: SCHEDULE_SOURCE,
      account: this.options.accountId,
      time: `${new Date().toISOString().slice(0, 19)}Z`,
      region: this.options.region,
      resources: [`arn:aws:events:${this.options.region}:${this.options.accountId}:rule/${rule.name}`],
      detail: {},
    };
    return this.accept(envelope, 'default', [{ ...rule, eventBusName: 'default', eventPattern: {} }]);
  }

  /** Events received, newest first. */
  events(): ReceivedEvent[] {
    return [...this.received].reverse();
  }

  /** Resolves once no delivery is pending or waiting for a retry. */
  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Cancels the retries still waiting and waits for the deliveries running now. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const schedule of this.schedules) clearInterval(schedule);
    this.schedules.clear();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const event of this.received) {
      for (const delivery of event.deliveries) {
        if (delivery.status === 'pending' || delivery.status === 'retrying') delivery.status = 'cancelled';
      }
    }
    await Promise.allSettled([...this.running]);
  }

  private putEntry(entry: PutEventsEntry, after: Promise<unknown> | undefined): PutEventsResultEntry {
    const busName = entry.EventBusName ?? 'default';
    if (busName !== this.busName && busName !== this.busArn && busName !== 'default') {
      return { ErrorCode: 'NotFoundException', ErrorMessage: `Event bus ${busName} does not exist.` };
    }
    if (!entry.Source) return { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Source is not valid. Reason: Source is a required argument.' };
    if (!entry.DetailType) {
      return { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter DetailType is not valid. Reason: DetailType is a required argument.' };
    }
    if (entry.Detail === undefined) return { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Detail is not valid. Reason: Detail is a required argument.' };
    let detail: unknown;
    try {
      detail = JSON.parse(entry.Detail);
    } catch {
      detail = undefined;
    }
    if (detail === null || typeof detail !== 'object' || Array.isArray(detail)) {
      return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
    }
    const size = Buffer.byteLength(entry.Source) + Buffer.byteLength(entry.DetailType) + Buffer.byteLength(entry.Detail);
    if (size > MAX_ENTRY_BYTES) return { ErrorCode: 'InvalidArgument', ErrorMessage: 'Total size of the entries in the request is over the limit.' };

    const id = randomUUID();
    const time = entry.Time === undefined ? new Date() : new Date(entry.Time);
    const envelope: EventEnvelope = {
      version: '0',
      id,
      'detail-type': entry.DetailType,
      source: entry.Source,
      account: this.options.accountId,
      // EventBridge keeps second precision.
      time: `${(Number.isNaN(time.getTime()) ? new Date() : time).toISOString().slice(0, 19)}Z`,
      region: this.options.region,
      resources: entry.Resources ?? [],
      detail,
    };
    const onThisBus = busName === this.busName || busName === this.busArn;
    const rules = onThisBus ? this.options.rules.filter((r) => r.enabled && matchesEventPattern(r.eventPattern, envelope)) : [];
    this.accept(envelope, onThisBus ? this.busName : 'default', rules, after);
    return { EventId: id };
  }

  private accept(envelope: EventEnvelope, eventBusName: string, rules: BusRule[], after?: Promise<unknown>): ReceivedEvent {
    const record: ReceivedEvent = {
      id: envelope.id,
      receivedAt: new Date().toISOString(),
      eventBusName,
      source: envelope.source,
      detailType: envelope['detail-type'],
      event: envelope,
      matchedRules: rules.map((r) => r.name),
      deliveries: rules.flatMap((rule) =>
        rule.targets.map((target) => ({
          rule: rule.name,
          targetId: target.id,
          targetArn: target.arn,
          function: this.options.resolveTarget(target.arn)?.name,
          status: 'pending' as DeliveryStatus,
          attempts: [],
        })),
      ),
    };
    this.received.push(record);
    if (this.received.length > this.options.maxEvents) this.received.splice(0, this.received.length - this.options.maxEvents);
    rules.forEach((rule) =>
      rule.targets.forEach((target) => {
        const delivery = record.deliveries.find((d) => d.rule === rule.name && d.targetId === target.id);
        if (delivery) this.deliver(record, delivery, target, after);
      }),
    );
    return record;
  }

  private deliver(record: ReceivedEvent, delivery: DeliveryRecord, target: BusTarget, after?: Promise<unknown>): void {
    this.pending += 1;
    const startedAt = Date.now();
    let invokeAttempts = 0;
    let runAttempts = 0;
    const finish = (status: DeliveryStatus) => {
      delivery.status = status;
      this.options.onDelivery?.(record, delivery);
      this.pending -= 1;
      if (this.pending === 0) this.idleWaiters.splice(0).forEach((resolve) => resolve());
    };
    const later = (seconds: number, next: () => void) => {
      if (this.stopped) return finish('cancelled');
      delivery.status = 'retrying';
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        next();
      }, seconds * 1000 * this.options.retryDelayScale);
      this.timers.add(timer);
    };
    const deadLetter = (queueArn: string | undefined, reason: string) => {
      delivery.deadLetter = { queueArn, reason, at: new Date().toISOString() };
      finish('dead-lettered');
    };
    const attempt = () => {
      if (this.stopped) return finish('cancelled');
      const fn = this.options.resolveTarget(target.arn);
      if (!fn) {
        // EventBridge could not invoke the target: its own retry policy applies.
        invokeAttempts += 1;
        delivery.attempts.push({
          at: new Date().toISOString(),
          kind: 'invoke',
          outcome: 'failed',
          durationMs: 0,
          error: `ResourceNotFoundException: no function ${target.arn}`,
        });
        const ageSeconds = ((Date.now() - startedAt) / 1000) / (this.options.retryDelayScale || 1);
        const delay = Math.min(60 * 2 ** (invokeAttempts - 1), 3600);
        if (invokeAttempts > target.retryPolicy.maximumRetryAttempts || ageSeconds + delay > target.retryPolicy.maximumEventAgeSeconds) {
          return deadLetter(target.deadLetterArn, `the target could not be invoked after ${invokeAttempts} attempts`);
        }
        return later(delay, attempt);
      }
      runAttempts += 1;
      const running = fn.invoke(record.event).then(
        (outcome) => {
          delivery.attempts.push({
            at: new Date().toISOString(),
            kind: 'run',
            outcome: outcome.ok ? 'succeeded' : 'failed',
            durationMs: outcome.durationMs,
            error: outcome.error ? `${outcome.error.errorType}: ${outcome.error.errorMessage}` : undefined,
            requestId: outcome.requestId,
          });
          if (outcome.ok) return finish('delivered');
          if (runAttempts > fn.maximumRetryAttempts) {
            return deadLetter(fn.deadLetterArn, `the function failed ${runAttempts} times`);
          }
          const delay = LAMBDA_ASYNC_RETRY_DELAYS_SECONDS[runAttempts - 1] ?? 120;
          return later(delay, attempt);
        },
        (error: unknown) => {
          delivery.attempts.push({
            at: new Date().toISOString(),
            kind: 'run',
            outcome: 'failed',
            durationMs: 0,
            error: String(error),
          });
          deadLetter(fn.deadLetterArn, 'the invocation could not run');
        },
      );
      // A scheduled job's run is not waited for at stop (it may sleep between passes): a
      // stopping stack cuts it off, as Lambda would at its timeout.
      if (record.event.source === SCHEDULE_SOURCE) return;
      this.running.add(running);
      void running.finally(() => this.running.delete(running));
    };
    // Asynchronous, as EventBridge: PutEvents answers before any target runs, and the first
    // attempt comes after the bus's delivery latency (and after the putting execution answered).
    const first = () => {
      if (this.options.deliveryDelayMs <= 0) return setImmediate(attempt);
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        attempt();
      }, this.options.deliveryDelayMs);
      this.timers.add(timer);
    };
    if (after) void after.then(first, first);
    else first();
  }
}
