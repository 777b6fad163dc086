import { afterEach, describe, expect, it, vi } from 'vitest';
import { type AsyncFunction, type BusRule, LocalEventBus, type ScheduledBusRule, type TargetInvocation } from './local-event-bus';

const PLACED = { Source: 'orderflow.orders', DetailType: 'OrderPlaced', Detail: JSON.stringify({ orderId: 'ord_1' }), EventBusName: 'orderflow' };
const REJECTED = { ...PLACED, DetailType: 'OrderRejected' };

function rule(name: string, detailTypes: string[], targetArn: string, deadLetterArn?: string): BusRule {
  return {
    name,
    eventBusName: 'orderflow',
    eventPattern: { source: ['orderflow.orders'], 'detail-type': detailTypes },
    enabled: true,
    targets: [{ id: 'Target0', arn: targetArn, retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeSeconds: 7200 }, deadLetterArn }],
  };
}

/** A consumer that fails its first `failures` runs and records what it got. */
function consumer(name: string, failures = 0): AsyncFunction & { received: unknown[] } {
  let runs = 0;
  const received: unknown[] = [];
  return {
    name,
    maximumRetryAttempts: 2,
    deadLetterArn: `arn:aws:sqs:us-east-1:000000000000:${name}-dlq`,
    received,
    invoke: async (event): Promise<TargetInvocation> => {
      runs += 1;
      received.push(event);
      return runs <= failures
        ? { ok: false, error: { errorType: 'Boom', errorMessage: `run ${runs}` }, durationMs: 1, requestId: `r${runs}` }
        : { ok: true, durationMs: 1, requestId: `r${runs}` };
    },
  };
}

function bus(rules: BusRule[], functions: Record<string, AsyncFunction>, options: { deliveryDelayMs?: number } = {}): LocalEventBus {
  return new LocalEventBus({ busName: 'orderflow', rules, resolveTarget: (arn) => functions[arn], retryDelayScale: 0, ...options });
}

describe('LocalEventBus', () => {
  it('delivers an event to every rule whose pattern matches, as an EventBridge envelope', async () => {
    const confirm = consumer('confirm');
    const metrics = consumer('metrics');
    const b = bus([rule('Confirm', ['OrderPlaced'], 'arn:confirm'), rule('Metrics', ['OrderPlaced', 'OrderRejected'], 'arn:metrics')], {
      'arn:confirm': confirm,
      'arn:metrics': metrics,
    });
    const result = b.putEvents([PLACED, REJECTED]);
    expect(result.FailedEntryCount).toBe(0);
    expect(result.Entries.every((e) => typeof e.EventId === 'string')).toBe(true);
    await b.idle();
    expect(confirm.received).toHaveLength(1);
    expect(metrics.received).toHaveLength(2);
    expect(confirm.received[0]).toMatchObject({
      version: '0',
      'detail-type': 'OrderPlaced',
      source: 'orderflow.orders',
      account: '000000000000',
      region: 'us-east-1',
      resources: [],
      detail: { orderId: 'ord_1' },
    });
    const [rejected, placed] = b.events();
    expect(placed?.matchedRules).toEqual(['Confirm', 'Metrics']);
    expect(rejected?.matchedRules).toEqual(['Metrics']);
    expect(placed?.deliveries.map((d) => [d.function, d.status, d.attempts.length])).toEqual([
      ['confirm', 'delivered', 1],
      ['metrics', 'delivered', 1],
    ]);
  });

  it('answers PutEvents before any consumer runs', () => {
    const confirm = consumer('confirm');
    const b = bus([rule('Confirm', ['OrderPlaced'], 'arn:confirm')], { 'arn:confirm': confirm });
    b.putEvents([PLACED]);
    expect(confirm.received).toHaveLength(0);
    expect(b.events()[0]?.deliveries[0]?.status).toBe('pending');
  });

  it('holds the deliveries of an event until the execution that put it has answered', async () => {
    const confirm = consumer('confirm');
    const b = bus([rule('Confirm', ['OrderPlaced'], 'arn:confirm')], { 'arn:confirm': confirm });
    let answered!: () => void;
    b.putEvents([PLACED], { after: new Promise<void>((resolve) => (answered = resolve)) });
    // Everything queued so far (immediates, microtasks) runs: still held.
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(confirm.received).toHaveLength(0);
    expect(b.events()[0]?.deliveries[0]?.status).toBe('pending');
    answered();
    await b.idle();
    expect(confirm.received).toHaveLength(1);
    expect(b.events()[0]?.deliveries[0]?.status).toBe('delivered');
  });

  describe('with a delivery delay', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it('starts a first delivery deliveryDelayMs after PutEvents (EventBridge latency), then delivers', async () => {
      vi.useFakeTimers();
      const confirm = consumer('confirm');
      const b = bus([rule('Confirm', ['OrderPlaced'], 'arn:confirm')], { 'arn:confirm': confirm }, { deliveryDelayMs: 100 });
      b.putEvents([PLACED]);
      await vi.advanceTimersByTimeAsync(99);
      expect(confirm.received).toHaveLength(0);
      await vi.advanceTimersByTimeAsync(1);
      expect(confirm.received).toHaveLength(1);
      await b.idle();
      expect(b.events()[0]?.deliveries[0]?.status).toBe('delivered');
    });

    it('cancels a delivery still waiting for its delay when the bus stops', async () => {
      vi.useFakeTimers();
      const confirm = consumer('confirm');
      const b = bus([rule('Confirm', ['OrderPlaced'], 'arn:confirm')], { 'arn:confirm': confirm }, { deliveryDelayMs: 100 });
      b.putEvents([PLACED]);
      await b.stop();
      await vi.advanceTimersByTimeAsync(1000);
      expect(confirm.received).toHaveLength(0);
      expect(b.events()[0]?.deliveries[0]?.status).toBe('cancelled');
    });
  });

  it('rejects entries as EventBridge does, and accepts the others of the same call', () => {
    const b = bus([], {});
    const result = b.putEvents([
      { ...PLACED, Source: undefined },
      { ...PLACED, DetailType: undefined },
      { ...PLACED, Detail: 'not json' },
      { ...PLACED, Detail: '[1]' },
      { ...PLACED, EventBusName: 'another-bus' },
      PLACED,
    ]);
    expect(result.FailedEntryCount).toBe(5);
    expect(result.Entries.map((e) => e.ErrorCode)).toEqual(['InvalidArgument', 'InvalidArgument', 'MalformedDetail', 'MalformedDetail', 'NotFoundException', undefined]);
    expect(b.events()).toHaveLength(1);
  });

  it('accepts the bus by ARN; events on the default bus match none of its rules', async () => {
    const confirm = consumer('confirm');
    const b = bus([rule('Confirm', ['OrderPlaced'], 'arn:confirm')], { 'arn:confirm': confirm });
    b.putEvents([{ ...PLACED, EventBusName: b.busArn }, { ...PLACED, EventBusName: undefined }]);
    await b.idle();
    expect(confirm.received).toHaveLength(1);
    expect(b.events().map((e) => e.eventBusName)).toEqual(['default', 'orderflow']);
  });

  it('retries a failing function as Lambda retries asynchronous invocations, then succeeds', async () => {
    const flaky = consumer('flaky', 2);
    const b = bus([rule('Confirm', ['OrderPlaced'], 'arn:flaky')], { 'arn:flaky': flaky });
    b.putEvents([PLACED]);
    await b.idle();
    const delivery = b.events()[0]?.deliveries[0];
    expect(delivery?.status).toBe('delivered');
    expect(delivery?.attempts.map((a) => a.outcome)).toEqual(['failed', 'failed', 'succeeded']);
    expect(delivery?.attempts[0]?.error).toBe('Boom: run 1');
    // The same event every time (consumers are idempotent on its id).
    expect(new Set(flaky.received.map((e) => (e as { id: string }).id)).size).toBe(1);
  });

  it("parks the event in the function's dead-letter queue after Lambda's retries", async () => {
    const broken = consumer('broken', 99);
    const b = bus([rule('Confirm', ['OrderPlaced'], 'arn:broken')], { 'arn:broken': broken });
    b.putEvents([PLACED]);
    await b.idle();
    const delivery = b.events()[0]?.deliveries[0];
    expect(delivery?.status).toBe('dead-lettered');
    expect(delivery?.attempts).toHaveLength(3);
    expect(delivery?.deadLetter).toMatchObject({ queueArn: 'arn:aws:sqs:us-east-1:000000000000:broken-dlq' });
  });

  it("uses the target's retry policy and dead-letter queue when the function cannot be invoked", async () => {
    const b = bus([rule('Confirm', ['OrderPlaced'], 'arn:missing', 'arn:aws:sqs:us-east-1:000000000000:rule-dlq')], {});
    b.putEvents([PLACED]);
    await b.idle();
    const delivery = b.events()[0]?.deliveries[0];
    expect(delivery?.status).toBe('dead-lettered');
    expect(delivery?.attempts.every((a) => a.kind === 'invoke' && a.outcome === 'failed')).toBe(true);
    // The first attempt and maximumRetryAttempts (3) retries.
    expect(delivery?.attempts).toHaveLength(4);
    expect(delivery?.deadLetter?.queueArn).toBe('arn:aws:sqs:us-east-1:000000000000:rule-dlq');
  });

  it('waits the scaled retry delays and cancels what is left on stop', async () => {
    const broken = consumer('broken', 99);
    const b = new LocalEventBus({
      busName: 'orderflow',
      rules: [rule('Confirm', ['OrderPlaced'], 'arn:broken')],
      resolveTarget: () => broken,
      retryDelayScale: 10, // 60 s -> 600 s: the retry never comes before stop()
    });
    b.putEvents([PLACED]);
    for (let i = 0; i < 200 && b.events()[0]?.deliveries[0]?.status === 'pending'; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(b.events()[0]?.deliveries[0]?.status).toBe('retrying');
    await b.stop();
    expect(b.events()[0]?.deliveries[0]?.status).toBe('cancelled');
    expect(broken.received).toHaveLength(1);
  });

  it('ignores disabled rules and keeps a bounded number of events', async () => {
    const confirm = consumer('confirm');
    const disabled = { ...rule('Confirm', ['OrderPlaced'], 'arn:confirm'), enabled: false };
    const b = new LocalEventBus({ busName: 'orderflow', rules: [disabled], resolveTarget: () => confirm, maxEvents: 3 });
    for (let i = 0; i < 5; i += 1) b.putEvents([PLACED]);
    await b.idle();
    expect(confirm.received).toHaveLength(0);
    expect(b.events()).toHaveLength(3);
  });

  describe('scheduled rules', () => {
    const scheduled = (rateMs: number | undefined, expression = 'rate(1 minute)'): ScheduledBusRule => ({
      name: 'RedriveSchedule',
      scheduleExpression: expression,
      rateMs,
      enabled: true,
      targets: [{ id: 'Target0', arn: 'arn:job', retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeSeconds: 7200 }, deadLetterArn: undefined }],
    });

    it('sends each target a Scheduled Event from aws.events naming the rule', async () => {
      const job = consumer('job');
      const b = new LocalEventBus({ busName: 'orderflow', rules: [], scheduledRules: [scheduled(60_000)], resolveTarget: () => job });
      const record = b.fire(scheduled(60_000));
      await b.idle();
      expect(job.received[0]).toMatchObject({
        'detail-type': 'Scheduled Event',
        source: 'aws.events',
        resources: ['arn:aws:events:us-east-1:000000000000:rule/RedriveSchedule'],
        detail: {},
      });
      expect(record.matchedRules).toEqual(['RedriveSchedule']);
      expect(b.events()[0]?.deliveries[0]?.status).toBe('delivered');
    });

    it('runs rate(...) rules on timers (periods scaled), reports cron ones, and stops them on stop()', async () => {
      const job = consumer('job');
      const b = new LocalEventBus({
        busName: 'orderflow',
        rules: [],
        scheduledRules: [scheduled(60_000), scheduled(undefined, 'cron(0 12 * * ? *)')],
        scheduleScale: 1 / 6000, // a minute -> 10 ms
        resolveTarget: () => job,
      });
      const skipped = b.startSchedules();
      expect(skipped.map((r) => r.scheduleExpression)).toEqual(['cron(0 12 * * ? *)']);
      for (let i = 0; i < 200 && job.received.length < 2; i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(job.received.length).toBeGreaterThanOrEqual(2);
      await b.stop();
      const after = job.received.length;
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(job.received.length).toBe(after);
    });
  });
});
