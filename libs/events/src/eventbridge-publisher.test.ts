import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { OrderPlacedDetail } from '@orderflow/contracts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OrderflowEvent } from './envelope';
import { InvalidEventError } from './envelope';
import { EventBridgeEventPublisher, EventPublishError } from './eventbridge-publisher';

/**
 * A local HTTP endpoint speaking EventBridge's JSON protocol for PutEvents, so the real
 * SDK client goes over HTTP. `script` decides each entry's outcome per call.
 */
interface ReceivedCall {
  target: string | undefined;
  entries: { DetailType: string; Detail: string; EventBusName: string; Source: string }[];
}
let server: Server;
let endpoint: string;
let calls: ReceivedCall[] = [];
let script: (call: number, entry: ReceivedCall['entries'][number]) => string | undefined = () => undefined;

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    req.on('end', () => {
      const body = JSON.parse(raw) as { Entries: ReceivedCall['entries'] };
      const callIndex = calls.length;
      calls.push({ target: req.headers['x-amz-target'] as string | undefined, entries: body.Entries });
      const entries = body.Entries.map((entry, i) => {
        const errorCode = script(callIndex, entry);
        return errorCode ? { ErrorCode: errorCode, ErrorMessage: `${errorCode} for entry ${i}` } : { EventId: `evt-${callIndex}-${i}` };
      });
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify({ FailedEntryCount: entries.filter((e) => 'ErrorCode' in e).length, Entries: entries }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  calls = [];
  script = () => undefined;
});

const client = () =>
  new EventBridgeClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'k', secretAccessKey: 's' } });

const detail = (n: number): OrderPlacedDetail => ({
  orderId: `ord_${String(n).padStart(12, '0')}`,
  customerId: 'cust-1',
  total: { amount: 100 * n, currency: 'USD' },
  items: [{ productId: 'p-1', name: 'P', quantity: n, unitPrice: { amount: 100, currency: 'USD' } }],
  payment: { method: 'card', provider: 'stripe', reference: `pi_${n}` },
  placedAt: '2025-01-01T00:00:00.000Z',
});
const events = (count: number): OrderflowEvent[] =>
  Array.from({ length: count }, (_, i) => ({ detailType: 'OrderPlaced' as const, detail: detail(i + 1) }));

const publisher = (maxAttempts = 3) =>
  new EventBridgeEventPublisher({ client: client(), eventBusName: 'orderflow-test', maxAttempts, sleep: () => Promise.resolve() });

describe('EventBridgeEventPublisher over the SDK', () => {
  it('sends PutEvents with validated entries in batches of 10', async () => {
    await publisher().publish(events(23));
    expect(calls.map((c) => c.entries.length)).toEqual([10, 10, 3]);
    expect(calls[0]?.target).toBe('AWSEvents.PutEvents');
    const first = calls[0]?.entries[0];
    expect(first).toMatchObject({ EventBusName: 'orderflow-test', Source: 'orderflow.orders', DetailType: 'OrderPlaced' });
    expect(JSON.parse(first?.Detail ?? '{}')).toEqual(detail(1));
  });

  it('resends only the entries that failed transiently', async () => {
    script = (call, entry) => (call === 0 && JSON.parse(entry.Detail).total.amount === 200 ? 'ThrottlingException' : undefined);
    await publisher().publish(events(3));
    expect(calls).toHaveLength(2);
    expect(calls[1]?.entries.map((e) => JSON.parse(e.Detail).total.amount)).toEqual([200]);
  });

  it('reports entries still failing after the last attempt', async () => {
    script = () => 'InternalFailure';
    const error = await publisher(2).publish(events(2)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EventPublishError);
    expect((error as EventPublishError).failedEntries).toHaveLength(2);
    expect(calls).toHaveLength(2);
  });

  it('never resends an entry that failed permanently', async () => {
    script = (_call, entry) => (JSON.parse(entry.Detail).total.amount === 100 ? 'MalformedDetail' : undefined);
    const error = await publisher().publish(events(2)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EventPublishError);
    expect((error as EventPublishError).failedEntries).toEqual([
      { detailType: 'OrderPlaced', errorCode: 'MalformedDetail', errorMessage: 'MalformedDetail for entry 0' },
    ]);
    expect(calls).toHaveLength(1);
  });

  it('sends nothing when one event is invalid', async () => {
    const bad: OrderflowEvent = { detailType: 'OrderPlaced', detail: { ...detail(1), orderId: 'nope' } };
    await expect(publisher().publish([...events(2), bad])).rejects.toThrow(InvalidEventError);
    expect(calls).toHaveLength(0);
  });
});
