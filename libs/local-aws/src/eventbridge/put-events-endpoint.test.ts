import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalEventBridgeEndpoint, startLocalEventBridgeEndpoint } from './put-events-endpoint';
import { LocalEventBus } from './local-event-bus';

describe('local EventBridge PutEvents endpoint', () => {
  const received: unknown[] = [];
  const bus = new LocalEventBus({
    busName: 'orderflow',
    rules: [
      {
        name: 'Confirm',
        eventBusName: 'orderflow',
        eventPattern: { source: ['orderflow.orders'] },
        enabled: true,
        targets: [{ id: 'T', arn: 'arn:confirm', retryPolicy: { maximumRetryAttempts: 0, maximumEventAgeSeconds: 60 }, deadLetterArn: undefined }],
      },
    ],
    resolveTarget: () => ({
      name: 'confirm',
      maximumRetryAttempts: 0,
      deadLetterArn: undefined,
      invoke: async (event) => {
        received.push(event);
        return { ok: true, durationMs: 0, requestId: 'r' };
      },
    }),
  });
  let endpoint: LocalEventBridgeEndpoint;
  let client: EventBridgeClient;

  beforeAll(async () => {
    endpoint = await startLocalEventBridgeEndpoint((entries) => bus.putEvents(entries));
    client = new EventBridgeClient({ endpoint: endpoint.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  });
  afterAll(async () => {
    client.destroy();
    await endpoint.stop();
    await bus.stop();
  });

  it('takes PutEvents from the real AWS SDK onto the local bus, with per-entry errors', async () => {
    const answer = await client.send(
      new PutEventsCommand({
        Entries: [
          { EventBusName: 'orderflow', Source: 'orderflow.orders', DetailType: 'OrderPlaced', Detail: '{"orderId":"ord_1"}', Time: new Date('2026-01-02T03:04:05Z') },
          { EventBusName: 'elsewhere', Source: 'orderflow.orders', DetailType: 'OrderPlaced', Detail: '{}' },
        ],
      }),
    );
    expect(answer.FailedEntryCount).toBe(1);
    expect(answer.Entries?.[0]?.EventId).toEqual(expect.any(String));
    expect(answer.Entries?.[1]?.ErrorCode).toBe('NotFoundException');
    await bus.idle();
    expect(received).toEqual([expect.objectContaining({ id: answer.Entries?.[0]?.EventId, time: '2026-01-02T03:04:05Z', detail: { orderId: 'ord_1' } })]);
  });

  it('refuses other operations and empty calls as EventBridge does', async () => {
    await expect(client.send(new PutEventsCommand({ Entries: [] }))).rejects.toMatchObject({ name: 'ValidationException' });
  });
});
