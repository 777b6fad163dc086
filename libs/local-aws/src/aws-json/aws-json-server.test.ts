import { afterEach, describe, expect, it } from 'vitest';
import { type AwsJsonServer, awsJsonError, startAwsJsonServer } from './aws-json-server';

let server: AwsJsonServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

/** Echoes what the handler was given; an error answer when the body is not a JSON object. */
async function echoServer(): Promise<AwsJsonServer> {
  return startAwsJsonServer((request) => {
    const input = request.json();
    if (!input) return awsJsonError('SerializationException', 'The request body is not JSON.', { Message: 'extra' });
    return { status: 200, body: { method: request.method, target: request.target, input } };
  }, '127.0.0.1');
}

const post = (endpoint: string, body: string) =>
  fetch(endpoint, { method: 'POST', headers: { 'X-Amz-Target': 'Service.Operation', 'Content-Type': 'application/x-amz-json-1.1' }, body });

describe('startAwsJsonServer', () => {
  it('hands the operation and the JSON input to the handler and answers as AWS does', async () => {
    server = await echoServer();
    const res = await post(server.endpoint, '{"Key":"value"}');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    expect(res.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.get('x-amzn-errortype')).toBeNull();
    expect(await res.json()).toEqual({ method: 'POST', target: 'Service.Operation', input: { Key: 'value' } });
  });

  it('reads an empty body as {}', async () => {
    server = await echoServer();
    expect(await (await post(server.endpoint, '')).json()).toMatchObject({ input: {} });
  });

  it.each(['{not json', 'null', '3', '[1]'])('gives the handler no input for %s, which it answers with an AWS error', async (body) => {
    server = await echoServer();
    const res = await post(server.endpoint, body);
    expect(res.status).toBe(400);
    expect(res.headers.get('x-amzn-errortype')).toBe('SerializationException');
    expect(await res.json()).toEqual({ __type: 'SerializationException', message: 'The request body is not JSON.', Message: 'extra' });
  });
});
