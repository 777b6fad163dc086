import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileStateMachine } from '../state-machine';
import { eventTypes } from '../test-support';
import type { EventBridgePublisher, EventEntry } from './eventbridge';

const definition = {
  QueryLanguage: 'JSONata',
  StartAt: 'Publish',
  States: {
    Publish: {
      Type: 'Task',
      Resource: 'arn:aws:states:::events:putEvents',
      Arguments: {
        Entries: [
          { EventBusName: 'orderflow', Source: 'orderflow.orders', DetailType: 'OrderPlaced', Detail: { orderId: '{% $states.input.orderId %}' } },
        ],
      },
      End: true,
    },
  },
};

const run = (eventBridge: EventBridgePublisher, input: unknown = { orderId: 'o-1' }) =>
  compileStateMachine(definition, { integrations: { eventBridge } }).execute(input);

describe('events:putEvents', () => {
  it("publishes through a plain function (a local bus) and returns AWS's result shape", async () => {
    const published: EventEntry[] = [];
    const publishers: string[] = [];
    const result = await run(async (entries, context) => {
      published.push(...entries);
      publishers.push(`${context.executionName}/${context.stateName}`);
      return { Entries: entries.map((_, i) => ({ EventId: `id-${i}` })), FailedEntryCount: 0 };
    });
    expect(result.output).toEqual({ Entries: [{ EventId: 'id-0' }], FailedEntryCount: 0 });
    expect(published).toEqual([{ EventBusName: 'orderflow', Source: 'orderflow.orders', DetailType: 'OrderPlaced', Detail: '{"orderId":"o-1"}' }]);
    expect(result.history[2]?.taskScheduledEventDetails).toMatchObject({ resourceType: 'events', resource: 'putEvents' });
    // The function learns which execution and state publish (a local bus holds deliveries until it ends).
    expect(publishers).toEqual([`${result.name}/${String(result.history[1]?.stateEnteredEventDetails?.name)}`]);
  });

  it('accepts a bus that answers nothing (every entry accepted) and an object with putEvents()', async () => {
    const silent = await run(() => undefined);
    expect(silent.output).toMatchObject({ FailedEntryCount: 0, Entries: [{ EventId: expect.any(String) }] });
    const withMethod = await run({ putEvents: async (request) => ({ Entries: request.Entries.map(() => ({ EventId: 'x' })), FailedEntryCount: 0 }) });
    expect(withMethod.output).toEqual({ Entries: [{ EventId: 'x' }], FailedEntryCount: 0 });
  });

  it('fails with EventBridge.FailedEntry when an entry is rejected', async () => {
    const result = await run(async () => ({ Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'try again' }], FailedEntryCount: 1 }));
    expect(result).toMatchObject({ status: 'FAILED', error: 'EventBridge.FailedEntry' });
    expect(JSON.parse(result.cause as string)).toEqual({ Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'try again' }], FailedEntryCount: 1 });
    expect(eventTypes(result)).toContain('TaskFailed');
  });

  it('names SDK errors EventBridge.<Exception>', async () => {
    const client = {
      send: async () => {
        throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400, requestId: 'r-1' } });
      },
    };
    const result = await run(client);
    expect(result).toMatchObject({
      error: 'EventBridge.ThrottlingException',
      cause: 'Rate exceeded (Service: EventBridge; Status Code: 400; Error Code: ThrottlingException; Request ID: r-1; Proxy: null)',
    });
  });
});

describe('events:putEvents through a real EventBridgeClient', () => {
  let server: Server;
  let endpoint: string;
  const received: { target: string | undefined; body: { Entries: EventEntry[] } }[] = [];

  beforeAll(async () => {
    // A local endpoint speaking the PutEvents wire protocol (awsJson1_1).
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { Entries: EventEntry[] };
        received.push({ target: req.headers['x-amz-target'] as string | undefined, body });
        const failing = body.Entries.some((e) => e.Source === 'reject.me');
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'req-1' });
        res.end(
          JSON.stringify(
            failing
              ? { FailedEntryCount: 1, Entries: [{ ErrorCode: 'NotAuthorizedForSourceException', ErrorMessage: 'Not authorized' }] }
              : { FailedEntryCount: 0, Entries: body.Entries.map((_, i) => ({ EventId: `evt-${i}` })) },
          ),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const client = () =>
    new EventBridgeClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });

  it('sends a PutEventsCommand and returns the response', async () => {
    const eb = client();
    const result = await run(eb, { orderId: 'o-9' });
    eb.destroy();
    expect(result.output).toEqual({ Entries: [{ EventId: 'evt-0' }], FailedEntryCount: 0 });
    expect(received.at(-1)).toEqual({
      target: 'AWSEvents.PutEvents',
      body: { Entries: [{ EventBusName: 'orderflow', Source: 'orderflow.orders', DetailType: 'OrderPlaced', Detail: '{"orderId":"o-9"}' }] },
    });
    expect(new PutEventsCommand({ Entries: [] })).toBeInstanceOf(PutEventsCommand);
  });

  it('turns failed entries into EventBridge.FailedEntry', async () => {
    const eb = client();
    const m = compileStateMachine(
      {
        StartAt: 'P',
        States: { P: { Type: 'Task', Resource: 'arn:aws:states:::events:putEvents', Parameters: { Entries: [{ Source: 'reject.me', DetailType: 'x', Detail: {} }] }, End: true } },
      },
      { integrations: { eventBridge: eb } },
    );
    const result = await m.execute({});
    eb.destroy();
    expect(result).toMatchObject({ status: 'FAILED', error: 'EventBridge.FailedEntry' });
  });
});
