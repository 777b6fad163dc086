import { CHECKOUT_RESPONSE_TEMPLATE } from '@orderflow/order-workflow';
import { describe, expect, it } from 'vitest';
import { fixtureTemplate } from '../test/template-fixture';
import { apiFromTemplate, ApiTemplateError, renderGatewayResponse } from '@orderflow/local-aws';
import { localResourceNames } from './local-resources';

describe('apiFromTemplate', () => {
  const template = fixtureTemplate();
  const api = apiFromTemplate(template, localResourceNames(template));

  it('reads the resource tree, the methods and their integrations', () => {
    expect(api.restApiLogicalId).toBe('Api');
    expect(api.stageName).toBe('prod');
    expect(api.routes.map((r) => [r.method, r.resourcePath, r.integration.kind])).toEqual([
      ['GET', '/things/{thingId}', 'lambda-proxy'],
      ['POST', '/orders', 'start-sync-execution'],
    ]);
    expect(api.routes[0]?.integration).toEqual({ kind: 'lambda-proxy', functionLogicalId: 'GetThingFunction' });
  });

  it('keeps the StartSyncExecution mapping templates, references resolved', () => {
    const orders = api.routes[1]?.integration;
    if (orders?.kind !== 'start-sync-execution') throw new Error('expected the StartSyncExecution route');
    // Ref of the state machine is its ARN, the one the local Step Functions hosts it under.
    expect(orders.requestTemplate).toContain('"stateMachineArn": "arn:aws:states:us-east-1:000000000000:stateMachine:StateMachine"');
    expect(orders.passthroughBehavior).toBe('NEVER');
    expect(orders.responses.map((r) => [r.statusCode, r.selectionPattern])).toEqual([
      ['200', undefined],
      ['500', '[45]\\d{2}'],
    ]);
    expect(orders.responses[0]?.template).toBe(CHECKOUT_RESPONSE_TEMPLATE);
  });

  it('attaches the JSON Schema model to routes whose validator checks the body', () => {
    expect(api.routes[0]?.bodyModels).toBeUndefined();
    expect(api.routes[1]?.bodyModels?.['application/json']).toMatchObject({ required: ['customerId'] });
  });

  it('refuses an integration it cannot run locally', () => {
    const other = fixtureTemplate();
    const method = other.Resources['ThingGet']?.Properties as { Integration: Record<string, unknown> };
    method.Integration = { Type: 'HTTP_PROXY', Uri: 'https://example.com' };
    expect(() => apiFromTemplate(other)).toThrow(ApiTemplateError);
  });
});

describe('renderGatewayResponse', () => {
  const template = fixtureTemplate();
  const { gatewayResponses } = apiFromTemplate(template);

  it("renders a configured type with API Gateway's quoted messageString", () => {
    expect(renderGatewayResponse(gatewayResponses, 'BAD_REQUEST_BODY', 'Invalid request body')).toEqual({
      statusCode: 400,
      body: '{"error":{"code":"VALIDATION_FAILED","message":"The request is not valid.","details":[{"path":"(root)","message":"Invalid request body"}]}}',
    });
    expect(renderGatewayResponse(gatewayResponses, 'MISSING_AUTHENTICATION_TOKEN', 'x').statusCode).toBe(404);
  });

  it('falls back to DEFAULT_5XX (its status too) for 5xx types the template leaves out', () => {
    expect(renderGatewayResponse(gatewayResponses, 'INTEGRATION_TIMEOUT', 'Endpoint request timed out')).toEqual({
      statusCode: 500,
      body: '{"error":{"code":"INTERNAL","message":"Something went wrong on our side."}}',
    });
  });

  it("uses API Gateway's own defaults when nothing is configured", () => {
    expect(renderGatewayResponse({}, 'UNSUPPORTED_MEDIA_TYPE', 'Unsupported Media Type')).toEqual({
      statusCode: 415,
      body: '{"message":"Unsupported Media Type"}',
    });
  });
});
