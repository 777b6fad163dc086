import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { compileStateMachine } from '@orderflow/state-machine-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiFromTemplate, LocalRestApi } from '@orderflow/local-aws';
import type { LambdaHandler } from '@orderflow/state-machine-runtime';
import type { LocalFunction } from '../lambda/local-functions';
import { createLocalLog } from '../log';
import { localResourceNames } from '../template/local-resources';
import { fixtureTemplate } from '../test/template-fixture';
import { LocalStateMachine } from '../workflow/checkout-workflow';
import { annotateRequest, checkoutIntegration, EXECUTION_HEADER } from './checkout-integration';

type Handler = (event: unknown) => Promise<unknown>;

// The local REST API (@orderflow/local-aws) with this product's checkout integration, in-process.

/** A stand-in checkout: answers by customer id, so every mapping path can be reached. */
const definition = {
  QueryLanguage: 'JSONata',
  TimeoutSeconds: 1,
  StartAt: 'Route',
  States: {
    Route: {
      Type: 'Choice',
      Choices: [
        { Condition: "{% $states.input.body.customerId = 'fail' %}", Next: 'Fail' },
        { Condition: "{% $states.input.body.customerId = 'slow' %}", Next: 'Slow' },
        { Condition: "{% $states.input.body.customerId = 'garbage' %}", Next: 'Garbage' },
      ],
      Default: 'Placed',
    },
    Fail: { Type: 'Fail', Error: 'Boom', Cause: 'secret stack trace' },
    Slow: { Type: 'Wait', Seconds: 5, Next: 'Placed' },
    Garbage: { Type: 'Pass', Output: { nope: true }, End: true },
    Placed: {
      Type: 'Pass',
      Output: {
        statusCode: 201,
        headers: { Location: '/orders/ord_0123456789', 'X-Other': 'dropped' },
        body: "{% $string({'orderId': 'ord_0123456789', 'key': $states.input.idempotencyKey, 'request': $states.input.requestId}) %}",
      },
      End: true,
    },
  },
};

describe('the local REST API with the checkout integration', () => {
  let server: Server;
  let url: string;
  const lines: string[] = [];
  const log = createLocalLog({ format: 'json', write: (line) => lines.push(line) });
  const template = fixtureTemplate();
  const api = apiFromTemplate(template, localResourceNames(template));
  const machine = new LocalStateMachine(compileStateMachine(definition), log);
  const proxyFunction = (handler: Handler): LocalFunction => ({
    name: 'GetThingFunction',
    logicalId: 'GetThingFunction',
    arn: 'arn:aws:lambda:us-east-1:000000000000:function:GetThingFunction',
    handlerSource: '',
    handlerFile: '',
    handlerExport: 'handler',
    environment: {},
    timeoutSeconds: 3,
    memorySizeMB: 128,
    handler: handler as LambdaHandler,
  });
  const functions = new Map<string, LocalFunction>();

  beforeAll(async () => {
    const gateway = new LocalRestApi({
      api,
      functions,
      startSyncExecution: checkoutIntegration(machine, []),
      annotate: annotateRequest,
      executionHeader: EXECUTION_HEADER,
      log,
      region: 'us-east-1',
      accountId: '000000000000',
      integrationTimeoutMs: 3000,
    });
    server = createServer(gateway.listener);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await machine.stop();
    await new Promise((resolve) => server.close(resolve));
  });

  // Bytes, so fetch adds no Content-Type of its own.
  const order = (body: string, headers: Record<string, string> = { 'Content-Type': 'application/json' }) =>
    fetch(`${url}/orders`, { method: 'POST', headers, body: new TextEncoder().encode(body) });

  it('runs POST /orders as StartSyncExecution: workflow input, execution name, mapped answer, execution header', async () => {
    const res = await order('{"customerId":"cust-1"}', { 'Content-Type': 'application/json; charset=utf-8', 'Idempotency-Key': 'k-1' });
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe('/orders/ord_0123456789');
    expect(res.headers.get('x-other')).toBeNull();
    const requestId = res.headers.get('x-amzn-requestid');
    expect(res.headers.get(EXECUTION_HEADER)).toBe(`cust-1-${requestId}`);
    expect(await res.json()).toEqual({ orderId: 'ord_0123456789', key: 'k-1', request: requestId });
    const record = machine.executions.get(`cust-1-${requestId}`);
    expect(record?.input).toEqual({ body: { customerId: 'cust-1' }, idempotencyKey: 'k-1', authorizedCustomerId: null, requestId });
    expect(record).toMatchObject({ status: 'SUCCEEDED', httpStatus: 201, orderId: 'ord_0123456789', customerId: 'cust-1' });
  });

  it('assumes JSON without a Content-Type; refuses other media types with 415 (passthrough NEVER)', async () => {
    expect((await order('{"customerId":"cust-2"}', {})).status).toBe(201);
    const res = await order('customerId=x', { 'Content-Type': 'application/x-www-form-urlencoded' });
    expect(res.status).toBe(415);
    expect(res.headers.get(EXECUTION_HEADER)).toBeNull();
  });

  it('answers malformed JSON and schema violations from the validator, before any execution', async () => {
    const before = machine.executions.list().length;
    for (const body of ['{"customerId":', '{"customerId":"x","extra":1}', '[]', '']) {
      const res = await order(body);
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({
        error: { code: 'VALIDATION_FAILED', message: 'The request is not valid.', details: [{ path: '(root)', message: 'Invalid request body' }] },
      });
    }
    expect(machine.executions.list()).toHaveLength(before);
  });

  it('maps FAILED to the catalogue 500 and TIMED_OUT to 504, never showing the cause', async () => {
    const failed = await order('{"customerId":"fail"}');
    expect(failed.status).toBe(500);
    const text = await failed.text();
    expect(JSON.parse(text)).toEqual({ error: { code: 'INTERNAL', message: 'Something went wrong on our side.' } });
    expect(text).not.toContain('secret');
    expect(failed.headers.get(EXECUTION_HEADER)).toMatch(/^fail-/);
    const timedOut = await order('{"customerId":"slow"}');
    expect(timedOut.status).toBe(504);
    expect(await timedOut.json()).toEqual({ error: { code: 'TIMEOUT', message: 'The order could not be completed in time.' } });
    const garbage = await order('{"customerId":"garbage"}');
    expect(garbage.status).toBe(500);
  });

  it('sends Lambda proxy routes a proxy event and returns what the function answers', async () => {
    functions.set(
      'GetThingFunction',
      proxyFunction(async (event) => {
        const e = event as { pathParameters: Record<string, string>; resource: string; queryStringParameters: Record<string, string> };
        return { statusCode: 200, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ id: e.pathParameters['thingId'], resource: e.resource, q: e.queryStringParameters }) };
      }),
    );
    const res = await fetch(`${url}/things/t-1?limit=2`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id: 't-1', resource: '/things/{thingId}', q: { limit: '2' } });
  });

  it('turns a failing or malformed function answer into the DEFAULT_5XX response', async () => {
    functions.set('GetThingFunction', proxyFunction(async () => Promise.reject(new Error('at handler.ts:12 secret'))));
    const thrown = await fetch(`${url}/things/t-1`);
    expect(thrown.status).toBe(500);
    expect(await thrown.text()).toBe('{"error":{"code":"INTERNAL","message":"Something went wrong on our side."}}');
    functions.set('GetThingFunction', proxyFunction(async () => ({ body: 'no status' })));
    expect((await fetch(`${url}/things/t-1`)).status).toBe(500);
  });

  it('answers unknown paths and methods with the MISSING_AUTHENTICATION_TOKEN response', async () => {
    for (const [method, path] of [
      ['GET', '/nope'],
      ['DELETE', '/orders'],
      ['GET', '/orders'],
    ] as const) {
      const res = await fetch(`${url}${path}`, { method });
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ error: { code: 'ROUTE_NOT_FOUND', message: 'No such route.' } });
    }
  });

  it('logs one line per request and per execution', () => {
    const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const requests = records.filter((r) => r['type'] === 'request');
    expect(requests.length).toBeGreaterThanOrEqual(10);
    expect(requests[0]).toMatchObject({ method: 'POST', path: '/orders', status: 201, orderId: 'ord_0123456789' });
    expect(typeof requests[0]?.['durationMs']).toBe('number');
    const executions = records.filter((r) => r['type'] === 'execution');
    expect(executions.map((e) => e['status'])).toContain('TIMED_OUT');
    expect(executions[0]).toMatchObject({ status: 'SUCCEEDED', httpStatus: 201, orderId: 'ord_0123456789' });
  });
});
