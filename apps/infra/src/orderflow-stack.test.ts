import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { allowedMethods, API_ROUTES, apiGatewayModelSchema, CheckoutRequestSchema, keys, ORDER_TABLE } from '@orderflow/contracts';
import { EVENT_RULES } from '@orderflow/events';
import { type CloudFormationTemplate, stateMachineDefinitionFromTemplate } from '@orderflow/local-aws';
import { checkoutStateMachineId } from './checkout-template';
import { buildCheckoutDefinition, CHECKOUT_REQUEST_TEMPLATE, CHECKOUT_RESPONSE_TEMPLATE, CHECKOUT_TASK_FUNCTIONS, GATEWAY_RESPONSES, HANDLER_METADATA_KEY, STATE_MACHINE_ARN_TOKEN, WORKFLOW_METADATA_KEY } from '@orderflow/order-workflow';
import { Match, Template } from 'aws-cdk-lib/assertions';
import aslValidator from 'asl-validator';
import { beforeAll, describe, expect, it } from 'vitest';
import { createOrderflowApp } from './app';
import { REPO_ROOT } from './orderflow-stack';

type Resource = { Type: string; Properties: Record<string, unknown>; Metadata?: Record<string, unknown> };

function synth(context: Record<string, unknown> = {}): { template: Template; json: CloudFormationTemplate } {
  const { stack } = createOrderflowApp({ bundle: false, context, securityChecks: false });
  const template = Template.fromStack(stack);
  return { template, json: template.toJSON() as CloudFormationTemplate };
}

const resourcesOf = (json: CloudFormationTemplate, type: string): [string, Resource][] =>
  Object.entries(json.Resources).filter(([, r]) => r.Type === type) as [string, Resource][];

/** The service's own functions (a handler of apps/api), not CDK's helpers (the storefront's deployment). */
const serviceFunctions = (json: CloudFormationTemplate): [string, Resource][] =>
  resourcesOf(json, 'AWS::Lambda::Function').filter(([, fn]) => fn.Metadata?.[HANDLER_METADATA_KEY] !== undefined);

/** Flattens Fn::Join pieces to text, with `<token>` for references. */
function text(value: unknown): string {
  if (typeof value === 'string') return value;
  const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (join) return join[1].map((part) => (typeof part === 'string' ? part : '<token>')).join(join[0]);
  return JSON.stringify(value);
}

let template: Template;
let json: CloudFormationTemplate;

beforeAll(() => {
  ({ template, json } = synth());
});

describe('the table', () => {
  it('is the shared definition, with PITR and TTL', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: ORDER_TABLE.partitionKey.name, KeyType: 'HASH' },
        { AttributeName: ORDER_TABLE.sortKey.name, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        Match.objectLike({
          IndexName: 'GSI1',
          KeySchema: [
            { AttributeName: 'GSI1PK', KeyType: 'HASH' },
            { AttributeName: 'GSI1SK', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        }),
      ],
      TimeToLiveSpecification: { AttributeName: ORDER_TABLE.timeToLiveAttribute, Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
    template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain' });
  });
});

describe('the functions', () => {
  it('are Node 22 on arm64 with X-Ray and their own log group with retention', () => {
    const functions = serviceFunctions(json);
    // 10 workflow tasks, 6 routes, 2 consumers, 3 scheduled jobs.
    expect(functions).toHaveLength(21);
    for (const [id, fn] of functions) {
      expect(fn.Properties['Runtime'], id).toBe('nodejs22.x');
      expect(fn.Properties['Architectures'], id).toEqual(['arm64']);
      expect(fn.Properties['TracingConfig'], id).toEqual({ Mode: 'Active' });
      expect(fn.Properties['LoggingConfig'], id).toMatchObject({ LogGroup: { Ref: expect.any(String) } });
      expect(fn.Properties['ReservedConcurrentExecutions'], id).toBeUndefined();
    }
    for (const [, group] of resourcesOf(json, 'AWS::Logs::LogGroup')) {
      expect(group.Properties['RetentionInDays']).toBe(30);
    }
  });

  it('give the functions that wait on a payment provider 256 MB, the recovery job (asleep between passes) 128 MB, every other one 512 MB', () => {
    const memory = Object.fromEntries(
      serviceFunctions(json).map(([, fn]) => [
        /handlers\/([a-z-]+)\.ts/.exec(String(fn.Metadata?.[HANDLER_METADATA_KEY]))?.[1],
        fn.Properties['MemorySize'],
      ]),
    );
    const providerBound = ['authorize-payment', 'capture-payment', 'void-payment', 'refund-payment', 'create-paypal-order', 'complete-compensations'];
    for (const [handler, size] of Object.entries(memory)) {
      expect(size, handler).toBe(providerBound.includes(handler) ? 256 : handler === 'recover-checkouts' ? 128 : 512);
    }
    expect(Object.keys(memory)).toHaveLength(21);
  });

  it('name their handler source, a file that exists', () => {
    const sources = serviceFunctions(json).map(([, fn]) => fn.Metadata?.[HANDLER_METADATA_KEY] as string);
    for (const source of sources) {
      expect(source).toMatch(/^apps\/api\/src\/handlers\/[a-z-]+\.ts#handler$/);
      expect(existsSync(join(REPO_ROOT, source.split('#')[0] ?? ''))).toBe(true);
    }
    expect(new Set(sources).size).toBe(sources.length);
    for (const task of Object.values(CHECKOUT_TASK_FUNCTIONS)) {
      expect(sources).toContain(`apps/api/src/handlers/${task.handler}.ts#handler`);
    }
  });

  it('get the reserved concurrency and log retention of the context', () => {
    const configured = synth({ 'orderflow:reservedConcurrency': '25', 'orderflow:logRetentionDays': '7' }).json;
    for (const [, fn] of serviceFunctions(configured)) {
      expect(fn.Properties['ReservedConcurrentExecutions']).toBe(25);
    }
    for (const [, group] of resourcesOf(configured, 'AWS::Logs::LogGroup')) expect(group.Properties['RetentionInDays']).toBe(7);
  });

  it('refuse an invalid context value', () => {
    expect(() => synth({ 'orderflow:stateMachineLogLevel': 'LOUD' })).toThrow(/orderflow:stateMachineLogLevel/);
    expect(() => synth({ 'orderflow:logRetentionDays': '2' })).toThrow(/retention/);
  });

  it('read payment credentials from Secrets Manager, and only the payment functions can', () => {
    template.resourceCountIs('AWS::SecretsManager::Secret', 1);
    const [secretId] = resourcesOf(json, 'AWS::SecretsManager::Secret')[0] ?? [];
    const readers = serviceFunctions(json)
      .filter(([, fn]) => JSON.stringify(fn.Properties['Environment']).includes('PAYMENT_SECRETS_ARN'))
      .map(([, fn]) => fn.Metadata?.[HANDLER_METADATA_KEY]);
    expect(readers.sort()).toEqual(
      ['authorize-payment', 'capture-payment', 'complete-compensations', 'create-paypal-order', 'refund-payment', 'void-payment']
        .map((h) => `apps/api/src/handlers/${h}.ts#handler`)
        .sort(),
    );
    const secretPolicies = resourcesOf(json, 'AWS::IAM::Policy').filter(([, p]) =>
      JSON.stringify(p.Properties['PolicyDocument']).includes(`"Ref":"${secretId}"`),
    );
    expect(secretPolicies).toHaveLength(6);
    expect(JSON.stringify(json)).not.toMatch(/sk_(test|live)_/);
  });
});

describe('the checkout state machine', () => {
  it('is Express with X-Ray and ERROR logs without execution data by default', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'EXPRESS',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: Match.objectLike({ Level: 'ERROR', IncludeExecutionData: false }),
    });
    template.hasResource('AWS::StepFunctions::StateMachine', { Metadata: { [WORKFLOW_METADATA_KEY]: 'checkout' } });
  });

  it('takes its log level and execution data from the context', () => {
    const configured = synth({ 'orderflow:stateMachineLogLevel': 'ALL', 'orderflow:includeExecutionData': 'true' }).template;
    configured.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      LoggingConfiguration: Match.objectLike({ Level: 'ALL', IncludeExecutionData: true }),
    });
  });

  it('carries the checkout definition, references substituted', () => {
    const [, machine] = resourcesOf(json, 'AWS::StepFunctions::StateMachine')[0] ?? [];
    expect(JSON.parse(machine?.Properties['DefinitionString'] as string)).toEqual(buildCheckoutDefinition());
    const substitutions = machine?.Properties['DefinitionSubstitutions'] as Record<string, unknown>;
    expect(Object.keys(substitutions).sort()).toEqual(
      ['TableName', 'EventBusName', ...Object.values(CHECKOUT_TASK_FUNCTIONS).map((f) => f.placeholder)].sort(),
    );
    expect(substitutions['TableName']).toEqual({ Ref: expect.stringMatching(/^OrderTable/) });
  });

  it('is valid ASL once resolved (asl-validator)', () => {
    const definition = stateMachineDefinitionFromTemplate(json, {}, checkoutStateMachineId(json));
    const { isValid, errorsText } = aslValidator(definition);
    expect(isValid, errorsText('\n')).toBe(true);
  });

  it('may invoke the task functions, write idempotency and outbox items and put events, and nothing else', () => {
    const [roleId] = Object.entries(json.Resources).find(([id, r]) => r.Type === 'AWS::IAM::Role' && id.startsWith('CheckoutStateMachineRole')) ?? [];
    const policies = resourcesOf(json, 'AWS::IAM::Policy').filter(([, p]) =>
      JSON.stringify(p.Properties['Roles']).includes(`"Ref":"${roleId}"`),
    );
    const statements = policies.flatMap(
      ([, p]) => (p.Properties['PolicyDocument'] as { Statement: { Action: string | string[]; Resource: unknown; Condition?: unknown }[] }).Statement,
    );
    const actions = new Set(statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])));
    expect([...actions].filter((a) => !a.startsWith('logs:') && !a.startsWith('xray:')).sort()).toEqual([
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'events:PutEvents',
      'lambda:InvokeFunction',
    ]);
    const dynamo = statements.find((s) => JSON.stringify(s.Action).includes('dynamodb:'));
    expect(dynamo?.Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['IDEMPOTENCY#*', 'OUTBOX#*', 'COMPENSATION#*'] } });
    // Published versions only (qualified ARNs), one per task function: never $LATEST, never a wildcard.
    const invoked = statements.filter((s) => JSON.stringify(s.Action).includes('lambda:InvokeFunction'));
    const resources = invoked.flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource])) as { Ref?: string }[];
    const versions = resources.map((r) => json.Resources[r.Ref ?? ''] as Resource | undefined);
    expect(versions.every((v) => v?.Type === 'AWS::Lambda::Version')).toBe(true);
    const versionedFunctions = new Set(versions.map((v) => (v?.Properties['FunctionName'] as { Ref: string }).Ref));
    expect(versionedFunctions.size).toBe(Object.keys(CHECKOUT_TASK_FUNCTIONS).length);
  });

  it("names each Lambda task's published version in its definition, so a workflow version pins its functions' code", () => {
    const [, machine] = resourcesOf(json, 'AWS::StepFunctions::StateMachine')[0] ?? [];
    const substitutions = Object.values(machine?.Properties['DefinitionSubstitutions'] as Record<string, { Ref?: string }>);
    const functionRefs = substitutions.filter((v) => v.Ref && (json.Resources[v.Ref] as Resource).Type.startsWith('AWS::Lambda::'));
    expect(functionRefs).toHaveLength(Object.keys(CHECKOUT_TASK_FUNCTIONS).length);
    for (const ref of functionRefs) expect((json.Resources[ref.Ref ?? ''] as Resource).Type).toBe('AWS::Lambda::Version');
  });
});

describe('the REST API', () => {
  const postOrders = () =>
    resourcesOf(json, 'AWS::ApiGateway::Method').find(
      ([, m]) => m.Properties['HttpMethod'] === 'POST' && JSON.stringify(m.Properties['Integration']).includes('StartSyncExecution'),
    )?.[1];

  it('starts the workflow synchronously from POST /orders, with no Lambda in between', () => {
    const method = postOrders();
    const integration = method?.Properties['Integration'] as Record<string, unknown>;
    expect(integration['Type']).toBe('AWS');
    expect(text(integration['Uri'])).toBe('arn:<token>:apigateway:<token>:states:action/StartSyncExecution');
    expect(integration['PassthroughBehavior']).toBe('NEVER');
    const requestTemplate = text((integration['RequestTemplates'] as Record<string, unknown>)['application/json']);
    expect(requestTemplate).toBe(CHECKOUT_REQUEST_TEMPLATE.replace(STATE_MACHINE_ARN_TOKEN, '<token>'));
    const responses = integration['IntegrationResponses'] as { StatusCode: string; SelectionPattern?: string; ResponseTemplates: Record<string, string> }[];
    expect(responses.find((r) => r.StatusCode === '200')?.ResponseTemplates['application/json']).toBe(CHECKOUT_RESPONSE_TEMPLATE);
    expect(responses.find((r) => r.SelectionPattern)?.StatusCode).toBe('500');
  });

  it('declares the headers the response template sets (Location, Idempotent-Replayed) on every status', () => {
    const methodResponses = postOrders()?.Properties['MethodResponses'] as { StatusCode: string; ResponseParameters: Record<string, boolean> }[];
    expect(methodResponses.map((r) => r.StatusCode)).toContain('201');
    for (const response of methodResponses) {
      expect(response.ResponseParameters).toEqual({
        'method.response.header.Location': false,
        'method.response.header.Idempotent-Replayed': false,
      });
    }
    expect(CHECKOUT_RESPONSE_TEMPLATE).toContain("#set($context.responseOverride.header.Idempotent-Replayed = $output.headers.get('Idempotent-Replayed'))");
  });

  it('lets API Gateway start executions and nothing more', () => {
    const [roleId] = Object.entries(json.Resources).find(([id, r]) => r.Type === 'AWS::IAM::Role' && id.startsWith('CheckoutStartRole')) ?? [];
    const statements = resourcesOf(json, 'AWS::IAM::Policy')
      .filter(([, p]) => JSON.stringify(p.Properties['Roles']).includes(`"Ref":"${roleId}"`))
      .flatMap(([, p]) => (p.Properties['PolicyDocument'] as { Statement: { Action: unknown }[] }).Statement);
    expect(statements.map((s) => s.Action)).toEqual(['states:StartSyncExecution']);
  });

  it('validates the body with the JSON Schema generated from zod', () => {
    const method = postOrders();
    expect(method?.Properties['RequestValidatorId']).toBeDefined();
    const modelRef = (method?.Properties['RequestModels'] as Record<string, { Ref: string }>)['application/json']?.Ref ?? '';
    const model = json.Resources[modelRef] as Resource;
    expect(model.Properties['Schema']).toEqual(apiGatewayModelSchema(CheckoutRequestSchema, 'CheckoutRequest'));
    template.hasResourceProperties('AWS::ApiGateway::RequestValidator', { ValidateRequestBody: true });
  });

  it('routes the reads and PayPal order creation to Lambda proxies', () => {
    const proxies = resourcesOf(json, 'AWS::ApiGateway::Method')
      .filter(([, m]) => (m.Properties['Integration'] as { Type: string }).Type === 'AWS_PROXY')
      .map(([, m]) => m.Properties['HttpMethod']);
    expect(proxies.sort()).toEqual(['GET', 'GET', 'GET', 'GET', 'GET', 'POST']);
    const paths = resourcesOf(json, 'AWS::ApiGateway::Resource').map(([, r]) => r.Properties['PathPart']);
    expect(paths.sort()).toEqual(['customers', 'me', 'orders', 'orders', 'orders', 'paypal', 'products', '{customerId}', '{orderId}', '{productId}', 'orders'].sort());
  });

  it('answers its own errors with catalogue bodies', () => {
    for (const response of GATEWAY_RESPONSES) {
      template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
        ResponseType: response.type,
        ResponseTemplates: { 'application/json': Match.stringLikeRegexp(`"code":"${response.code}"`) },
      });
    }
  });

  it('traces requests with X-Ray', () => {
    template.hasResourceProperties('AWS::ApiGateway::Stage', { TracingEnabled: true });
  });
});

describe('customers and the edge', () => {
  const methods = () =>
    resourcesOf(json, 'AWS::ApiGateway::Method').map(([, m]) => {
      const resourceId = (m.Properties['ResourceId'] as { Ref?: string }).Ref ?? '';
      const parts: string[] = [];
      for (let id = resourceId; id && json.Resources[id]; ) {
        const resource = json.Resources[id] as Resource;
        parts.unshift(String(resource.Properties['PathPart']));
        id = (resource.Properties['ParentId'] as { Ref?: string }).Ref ?? '';
      }
      return { path: `/${parts.join('/')}`, method: String(m.Properties['HttpMethod']), properties: m.Properties };
    });

  it('keep customers in a Cognito user pool: no self sign-up, a storefront client with PKCE (no secret, code grant), the group operators', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', { AdminCreateUserConfig: { AllowAdminCreateUserOnly: true } });
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      SupportedIdentityProviders: ['COGNITO'],
      PreventUserExistenceErrors: 'ENABLED',
    });
    template.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: 'operators' });
    template.resourceCountIs('AWS::Cognito::UserPoolDomain', 1);
    template.hasOutput('StorefrontClientId', {});
    const { template: open } = synth({ 'orderflow:selfSignUp': 'true' });
    open.hasResourceProperties('AWS::Cognito::UserPool', { AdminCreateUserConfig: { AllowAdminCreateUserOnly: false } });
  });

  it('give load-test users an app client of the admin password flow only (which takes IAM credentials), unless turned off', () => {
    const clients = resourcesOf(json, 'AWS::Cognito::UserPoolClient').map(([, c]) => c.Properties);
    expect(clients).toHaveLength(2);
    const loadTest = clients.find((c) => (c['ExplicitAuthFlows'] as string[]).includes('ALLOW_ADMIN_USER_PASSWORD_AUTH'));
    expect(loadTest?.['ExplicitAuthFlows']).toEqual(['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']);
    expect(loadTest?.['AllowedOAuthFlows']).toBeUndefined();
    template.hasOutput('LoadTestClientId', {});
    const { json: without } = synth({ 'orderflow:loadTestClient': 'false' });
    expect(resourcesOf(without, 'AWS::Cognito::UserPoolClient')).toHaveLength(1);
  });

  it('put the Cognito authorizer on every order route and on no product route', () => {
    const authorizers = resourcesOf(json, 'AWS::ApiGateway::Authorizer');
    expect(authorizers).toHaveLength(1);
    expect(authorizers[0]?.[1].Properties).toMatchObject({ Type: 'COGNITO_USER_POOLS', IdentitySource: 'method.request.header.Authorization' });
    for (const route of API_ROUTES) {
      const method = methods().find((m) => m.path === route.path && m.method === route.method);
      expect(method, `${route.method} ${route.path}`).toBeDefined();
      if (route.access === 'customer') {
        expect(method?.properties['AuthorizationType'], route.path).toBe('COGNITO_USER_POOLS');
        expect(method?.properties['AuthorizerId']).toEqual({ Ref: authorizers[0]?.[0] });
      } else {
        expect(method?.properties['AuthorizationType'] ?? 'NONE', route.path).toBe('NONE');
      }
    }
    expect(API_ROUTES.filter((r) => r.access === 'customer').map((r) => `${r.method} ${r.path}`).sort()).toEqual([
      'GET /customers/{customerId}/orders',
      'GET /me/orders',
      'GET /orders/{orderId}',
      'POST /orders',
      'POST /paypal/orders',
    ]);
  });

  it('answer any other method of a known path with 405 and Allow, from a MOCK', () => {
    for (const path of new Set(API_ROUTES.map((r) => r.path))) {
      const any = methods().find((m) => m.path === path && m.method === 'ANY');
      const integration = any?.properties['Integration'] as {
        Type: string;
        RequestTemplates: Record<string, string>;
        IntegrationResponses: { StatusCode: string; ResponseParameters: Record<string, string>; ResponseTemplates: Record<string, string> }[];
      };
      expect(integration?.Type, path).toBe('MOCK');
      expect(integration.RequestTemplates['application/json']).toBe('{"statusCode": 405}');
      expect(integration.IntegrationResponses[0]?.ResponseParameters['method.response.header.Allow']).toBe(`'${allowedMethods(path).join(', ')}'`);
      expect(JSON.parse(integration.IntegrationResponses[0]?.ResponseTemplates['application/json'] ?? '')).toMatchObject({ error: { code: 'METHOD_NOT_ALLOWED' } });
    }
  });

  it('throttle the stage (POST /orders on its own), log access as JSON, and allow no origin unless configured', () => {
    const stage = resourcesOf(json, 'AWS::ApiGateway::Stage')[0]?.[1];
    const settings = stage?.Properties['MethodSettings'] as Record<string, unknown>[];
    expect(settings).toContainEqual(expect.objectContaining({ HttpMethod: '*', ResourcePath: '/*', ThrottlingRateLimit: 200, ThrottlingBurstLimit: 400 }));
    expect(settings).toContainEqual(expect.objectContaining({ HttpMethod: 'POST', ResourcePath: '/~1orders', ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 }));
    const log = stage?.Properties['AccessLogSetting'] as { DestinationArn: unknown; Format: string };
    expect(log.DestinationArn).toBeDefined();
    expect(JSON.parse(log.Format)).toMatchObject({ requestId: '$context.requestId', status: '$context.status', ip: '$context.identity.sourceIp' });
    expect(methods().filter((m) => m.method === 'OPTIONS')).toEqual([]);
  });

  it('answer preflights and errors of the configured storefront origins only', () => {
    const { json: withCors } = synth({ 'orderflow:allowedOrigins': 'https://shop.example.com' });
    const preflights = resourcesOf(withCors, 'AWS::ApiGateway::Method').filter(([, m]) => m.Properties['HttpMethod'] === 'OPTIONS');
    expect(preflights.length).toBe(new Set(API_ROUTES.map((r) => r.path)).size);
    expect(JSON.stringify(preflights[0]?.[1].Properties['Integration'])).toContain("'https://shop.example.com'");
    const unauthorized = resourcesOf(withCors, 'AWS::ApiGateway::GatewayResponse').find(([, r]) => r.Properties['ResponseType'] === 'UNAUTHORIZED')?.[1];
    expect(unauthorized?.Properties['ResponseParameters']).toMatchObject({ 'gatewayresponse.header.Access-Control-Allow-Origin': "'https://shop.example.com'" });
    const getOrder = serviceFunctions(withCors).find(([, f]) => String(f.Metadata?.[HANDLER_METADATA_KEY]).includes('get-order'))?.[1];
    expect((getOrder?.Properties['Environment'] as { Variables: Record<string, string> }).Variables['ALLOWED_ORIGINS']).toBe('https://shop.example.com');
    expect(() => synth({ 'orderflow:allowedOrigins': 'shop.example.com' })).toThrow(/allowedOrigins/);
  });
});

describe('the event bus', () => {
  it('has an archive and one rule per shared pattern, delivering to its consumer with a DLQ', () => {
    template.resourceCountIs('AWS::Events::EventBus', 1);
    template.hasResourceProperties('AWS::Events::Archive', { EventPattern: { source: ['orderflow.orders'] } });
    const rules = resourcesOf(json, 'AWS::Events::Rule').filter(([, r]) => r.Properties['EventPattern'] !== undefined);
    expect(rules).toHaveLength(EVENT_RULES.length);
    for (const rule of EVENT_RULES) {
      const [, resource] = rules.find(([id]) => id.startsWith(rule.id)) ?? [];
      expect(resource?.Properties['EventPattern']).toEqual(rule.eventPattern);
      expect(resource?.Properties['EventBusName']).toEqual({ Ref: expect.stringMatching(/^OrderflowBus/) });
      const [target] = resource?.Properties['Targets'] as Record<string, unknown>[];
      expect(target?.['DeadLetterConfig']).toEqual({ Arn: { 'Fn::GetAtt': [expect.stringMatching(/DeadLetters/), 'Arn'] } });
      expect(target?.['RetryPolicy']).toEqual({ MaximumEventAgeInSeconds: 7200, MaximumRetryAttempts: 8 });
      // The consumer's `live` alias (released by CodeDeploy), not the function itself.
      const alias = json.Resources[(target?.['Arn'] as { Ref: string }).Ref] as Resource;
      expect(alias.Type).toBe('AWS::Lambda::Alias');
      expect(alias.Properties['Name']).toBe('live');
      const consumer = json.Resources[(alias.Properties['FunctionName'] as { Ref: string }).Ref] as Resource;
      expect(consumer.Metadata?.[HANDLER_METADATA_KEY]).toBe(`apps/api/src/handlers/${rule.consumer}.ts#handler`);
      expect(consumer.Properties['DeadLetterConfig']).toBeDefined();
    }
  });
});

describe('the scheduled jobs', () => {
  const schedule = (ruleId: string) => resourcesOf(json, 'AWS::Events::Rule').find(([id]) => id.startsWith(ruleId))?.[1];
  const target = (ruleId: string) => {
    const [first] = schedule(ruleId)?.Properties['Targets'] as { Arn: { 'Fn::GetAtt': [string, string] } }[];
    const id = first?.Arn['Fn::GetAtt'][0] ?? '';
    return { id, fn: json.Resources[id] as Resource };
  };
  const nonXrayActions = (fn: Resource) => {
    const roleId = (fn.Properties['Role'] as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const statements = resourcesOf(json, 'AWS::IAM::Policy')
      .filter(([, p]) => JSON.stringify(p.Properties['Roles']).includes(`"Ref":"${roleId}"`))
      .flatMap(([, p]) => (p.Properties['PolicyDocument'] as { Statement: { Action: string | string[]; Resource: unknown; Condition?: unknown }[] }).Statement);
    const actions = statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])).filter((a) => !a.startsWith('xray:'));
    return { statements, actions: [...new Set(actions)].sort() };
  };

  it.each([
    ['RedriveOutboxSchedule', 'redrive-outbox'],
    ['CompleteCompensationsSchedule', 'complete-compensations'],
    ['RecoverCheckoutsSchedule', 'recover-checkouts'],
  ])('%s runs every minute on the default bus, targeting the %s handler', (ruleId, handler) => {
    const rule = schedule(ruleId);
    expect(rule?.Properties).toMatchObject({ ScheduleExpression: 'rate(1 minute)', State: 'ENABLED' });
    expect(rule?.Properties['EventPattern']).toBeUndefined();
    expect(rule?.Properties['EventBusName']).toBeUndefined();
    const [first] = rule?.Properties['Targets'] as Record<string, unknown>[];
    expect(first?.['RetryPolicy']).toEqual({ MaximumEventAgeInSeconds: 60, MaximumRetryAttempts: 0 });
    const { id, fn } = target(ruleId);
    expect(fn.Metadata?.[HANDLER_METADATA_KEY]).toBe(`apps/api/src/handlers/${handler}.ts#handler`);
    expect(fn.Properties['Timeout']).toBe(60);
    const permissions = resourcesOf(json, 'AWS::Lambda::Permission').map(([, p]) => p.Properties);
    expect(permissions).toContainEqual(
      expect.objectContaining({
        Action: 'lambda:InvokeFunction',
        Principal: 'events.amazonaws.com',
        FunctionName: { 'Fn::GetAtt': [id, 'Arn'] },
        SourceArn: { 'Fn::GetAtt': [expect.stringMatching(new RegExp(`^${ruleId}`)), 'Arn'] },
      }),
    );
  });

  it('lets the outbox redrive put events on the bus and read and update outbox items only', () => {
    const { fn } = target('RedriveOutboxSchedule');
    expect((fn.Properties['Environment'] as { Variables: Record<string, unknown> }).Variables['EVENT_BUS_NAME']).toEqual({
      Ref: expect.stringMatching(/^OrderflowBus/),
    });
    const { statements, actions } = nonXrayActions(fn);
    expect(actions).toEqual(['dynamodb:Query', 'dynamodb:UpdateItem', 'events:PutEvents']);
    const putEvents = statements.find((s) => s.Action === 'events:PutEvents');
    expect(putEvents?.Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^OrderflowBus/), 'Arn'] });
  });

  it('lets the compensation sweep reach the table and the provider secret, and publish nothing', () => {
    const { fn } = target('CompleteCompensationsSchedule');
    const variables = (fn.Properties['Environment'] as { Variables: Record<string, unknown> }).Variables;
    expect(variables['PAYMENT_SECRETS_ARN']).toBeDefined();
    expect(variables['EVENT_BUS_NAME']).toBeUndefined();
    expect(nonXrayActions(fn).actions).toEqual([
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
      'secretsmanager:DescribeSecret',
      'secretsmanager:GetSecretValue',
    ]);
  });
});

describe('checkout recovery', () => {
  it('lets recover-checkouts read the in-flight claims, set one aside, and start the checkout machine (StartExecution only), in twelve passes 5 s apart', () => {
    const rule = resourcesOf(json, 'AWS::Events::Rule').find(([id]) => id.startsWith('RecoverCheckoutsSchedule'))?.[1];
    const [first] = rule?.Properties['Targets'] as { Arn: { 'Fn::GetAtt': [string, string] } }[];
    const fn = json.Resources[first?.Arn['Fn::GetAtt'][0] ?? ''] as Resource;
    const variables = (fn.Properties['Environment'] as { Variables: Record<string, unknown> }).Variables;
    // The live alias, as customers' checkouts run.
    expect(variables['STATE_MACHINE_ARN']).toEqual({ Ref: expect.stringMatching(/^ReleasesCheckoutLive/) });
    expect(variables).toMatchObject({ RECOVERY_PASSES: '12', RECOVERY_PASS_INTERVAL_SECONDS: '5' });
    expect(variables['PAYMENT_SECRETS_ARN']).toBeUndefined();
    const roleId = (fn.Properties['Role'] as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const statements = resourcesOf(json, 'AWS::IAM::Policy')
      .filter(([, p]) => JSON.stringify(p.Properties['Roles']).includes(`"Ref":"${roleId}"`))
      .flatMap(([, p]) => (p.Properties['PolicyDocument'] as { Statement: { Action: string | string[]; Resource: unknown }[] }).Statement)
      .filter((st) => !JSON.stringify(st.Action).includes('xray:'));
    expect(statements.find((st) => st.Action === 'states:StartExecution')?.Resource).toEqual({ Ref: expect.stringMatching(/^ReleasesCheckoutLive/) });
    expect(statements.flatMap((st) => (Array.isArray(st.Action) ? st.Action : [st.Action])).sort()).toEqual([
      'dynamodb:Query',
      'dynamodb:UpdateItem',
      'states:StartExecution',
    ]);
    // The recovery window: the passes cover the minute, and a dead checkout's claim (its lock, as the
    // workflow writes it) is taken up by the next pass within 60 s of the crash, with room to finish it.
    expect(Number(variables['RECOVERY_PASS_INTERVAL_SECONDS']) * Number(variables['RECOVERY_PASSES'])).toBeLessThanOrEqual(60);
    const [machine] = resourcesOf(json, 'AWS::StepFunctions::StateMachine');
    const lockSeconds = Number(/lockExpiresAt[^}]*?\+ (\d+)/.exec(text(machine?.[1].Properties['DefinitionString']))?.[1]);
    expect(lockSeconds).toBe(49);
    expect(lockSeconds + Number(variables['RECOVERY_PASS_INTERVAL_SECONDS'])).toBeLessThanOrEqual(55);
  });

  it('takes the checkout timeout and lock from the context (the crash tests shorten them)', () => {
    const { json: short } = synth({ 'orderflow:checkoutTimeoutSeconds': '8', 'orderflow:checkoutLockSeconds': '19' });
    const [machine] = resourcesOf(short, 'AWS::StepFunctions::StateMachine');
    const definition = text(machine?.[1].Properties['DefinitionString']);
    expect(definition).toContain('"TimeoutSeconds":8');
    expect(definition).toContain('+ 19');
  });
});

describe('table permissions (least privilege)', () => {
  type Statement = { Action: string | string[]; Resource: unknown; Condition?: Record<string, Record<string, string[]>> };
  /** Per handler: DynamoDB action -> the key patterns it is limited to, on the table and on GSI1. */
  function dynamoDbAccess(): Record<string, { table: Record<string, string[]>; index: Record<string, string[]> }> {
    const [tableId] = resourcesOf(json, 'AWS::DynamoDB::Table')[0] ?? [];
    const access: Record<string, { table: Record<string, string[]>; index: Record<string, string[]> }> = {};
    for (const [, fn] of serviceFunctions(json)) {
      const handler = String(fn.Metadata?.[HANDLER_METADATA_KEY]).replace(/^apps\/api\/src\/handlers\/|\.ts#handler$/g, '');
      const roleId = (fn.Properties['Role'] as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
      const statements = resourcesOf(json, 'AWS::IAM::Policy')
        .filter(([, p]) => JSON.stringify(p.Properties['Roles']).includes(`"Ref":"${roleId}"`))
        .flatMap(([, p]) => (p.Properties['PolicyDocument'] as { Statement: Statement[] }).Statement)
        .filter((st) => JSON.stringify(st.Action).includes('dynamodb:'));
      const mine = { table: {} as Record<string, string[]>, index: {} as Record<string, string[]> };
      for (const statement of statements) {
        const resource = JSON.stringify(statement.Resource);
        const onIndex = resource.includes('/index/');
        // Every DynamoDB grant names the table (or GSI1 exactly) and carries a LeadingKeys condition.
        expect(resource, handler).toContain(tableId);
        if (onIndex) expect(text(statement.Resource), handler).toBe('<token>/index/GSI1');
        else expect(statement.Resource, handler).toEqual({ 'Fn::GetAtt': [tableId, 'Arn'] });
        const patterns = statement.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'];
        expect(patterns, `${handler} ${JSON.stringify(statement.Action)}`).toBeDefined();
        for (const action of Array.isArray(statement.Action) ? statement.Action : [statement.Action]) {
          const into = onIndex ? mine.index : mine.table;
          into[action] = [...(into[action] ?? []), ...(patterns ?? [])].sort();
        }
      }
      access[handler] = mine;
    }
    return access;
  }

  it('limits every function to the key prefixes of DESIGN.md it touches', () => {
    const stock = ['ORDER#*', 'PRODUCT#*'];
    const reserve = {
      'dynamodb:ConditionCheckItem': stock,
      'dynamodb:GetItem': stock,
      'dynamodb:PutItem': stock,
      'dynamodb:Query': stock,
      'dynamodb:UpdateItem': stock,
    };
    const orders = { 'dynamodb:GetItem': ['ORDER#*'], 'dynamodb:PutItem': ['ORDER#*'], 'dynamodb:UpdateItem': ['ORDER#*'] };
    const consumer = (name: string) => ({
      'dynamodb:DeleteItem': [`EVENT_CONSUMER#${name}`],
      'dynamodb:PutItem': [`EVENT_CONSUMER#${name}`],
    });
    const none = { table: {}, index: {} };
    expect(dynamoDbAccess()).toEqual({
      'price-cart': { table: { 'dynamodb:BatchGetItem': ['PRODUCT#*'], 'dynamodb:GetItem': ['QUOTE#*'], 'dynamodb:PutItem': ['QUOTE#*'] }, index: {} },
      'reserve-line': { table: reserve, index: {} },
      'release-reservations': { table: reserve, index: {} },
      'authorize-payment': none,
      'save-order': { table: orders, index: {} },
      'capture-payment': none,
      'record-capture': { table: orders, index: {} },
      'void-payment': none,
      'refund-payment': none,
      'cancel-order': { table: orders, index: {} },
      'get-order': { table: { 'dynamodb:GetItem': ['ORDER#*'] }, index: {} },
      'list-products': { table: { 'dynamodb:BatchGetItem': ['PRODUCT#*'] }, index: { 'dynamodb:Query': ['CATALOG'] } },
      'get-product': { table: { 'dynamodb:BatchGetItem': ['PRODUCT#*'] }, index: {} },
      'list-customer-orders': { table: {}, index: { 'dynamodb:Query': ['CUSTOMER#*'] } },
      'list-my-orders': { table: {}, index: { 'dynamodb:Query': ['CUSTOMER#*'] } },
      'create-paypal-order': { table: { 'dynamodb:BatchGetItem': ['PRODUCT#*'] }, index: {} },
      'send-confirmation': { table: { 'dynamodb:PutItem': ['ORDER#*'] }, index: {} },
      'record-metrics': { table: consumer('record-metrics'), index: {} },
      'redrive-outbox': { table: { 'dynamodb:UpdateItem': ['OUTBOX#*'] }, index: { 'dynamodb:Query': ['OUTBOX'] } },
      'complete-compensations': {
        table: {
          'dynamodb:GetItem': ['ORDER#*'],
          'dynamodb:PutItem': ['ORDER#*'],
          'dynamodb:Query': ['ORDER#*'],
          'dynamodb:UpdateItem': ['COMPENSATION#*', 'ORDER#*', 'PRODUCT#*'],
        },
        index: { 'dynamodb:Query': ['COMPENSATION'] },
      },
      'recover-checkouts': { table: { 'dynamodb:UpdateItem': ['IDEMPOTENCY#*#*'] }, index: { 'dynamodb:Query': ['CHECKOUT'] } },
    });
  });

  it('uses patterns that match the keys the code writes, and no other kind', () => {
    const like = (pattern: string) => new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
    const matches = (pattern: string, value: string) => like(pattern).test(value);
    expect(matches('ORDER#*', keys.order('ord_1').PK)).toBe(true);
    expect(matches('ORDER#*', keys.reservation('ord_1', 'mug').PK)).toBe(true);
    expect(matches('PRODUCT#*', keys.stock('mug').PK)).toBe(true);
    expect(matches('OUTBOX#*', keys.outbox('ord_1', 'OrderPlaced').PK)).toBe(true);
    expect(matches('OUTBOX', keys.outboxPending('t', 'ord_1', 'OrderPlaced').GSI1PK)).toBe(true);
    expect(matches('COMPENSATION#*', keys.compensation('ord_1', 'VOID_PAYMENT').PK)).toBe(true);
    expect(matches('COMPENSATION', keys.compensationPending('t', 'ord_1', 'VOID_PAYMENT').GSI1PK)).toBe(true);
    expect(matches('QUOTE#*', keys.orderQuote('ord_1').PK)).toBe(true);
    expect(matches('CUSTOMER#*', keys.customerOrders('cust-1', 't', 'ord_1').GSI1PK)).toBe(true);
    // The prefixes do not overlap: an orders function cannot touch idempotency, outbox or consumer items.
    for (const other of [
      keys.idempotency('c', 'k').PK,
      keys.outbox('o', 'OrderPlaced').PK,
      keys.compensation('o', 'VOID_PAYMENT').PK,
      keys.orderQuote('o').PK,
      keys.eventConsumerIdempotencyPartition('x'),
      keys.stock('m').PK,
    ]) {
      expect(matches('ORDER#*', other), other).toBe(false);
    }
    expect(matches('EVENT_CONSUMER#record-metrics', keys.eventConsumerIdempotencyPartition('send-confirmation'))).toBe(false);
  });
});

describe('the stack as a whole', () => {
  it('hard-codes no resource name', () => {
    const namedProperty: Record<string, string> = {
      'AWS::DynamoDB::Table': 'TableName',
      'AWS::Lambda::Function': 'FunctionName',
      'AWS::SQS::Queue': 'QueueName',
      'AWS::StepFunctions::StateMachine': 'StateMachineName',
      'AWS::Logs::LogGroup': 'LogGroupName',
      'AWS::IAM::Role': 'RoleName',
      'AWS::SecretsManager::Secret': 'Name',
      'AWS::Events::Archive': 'ArchiveName',
    };
    for (const [id, resource] of Object.entries(json.Resources) as [string, Resource][]) {
      const property = namedProperty[resource.Type];
      if (property) expect(resource.Properties?.[property], `${id}.${property}`).toBeUndefined();
    }
  });

  it('grants no wildcard action, and wildcard resources only where AWS requires them', () => {
    const mayUseAnyResource = /^(xray:(PutTraceSegments|PutTelemetryRecords|GetSamplingRules|GetSamplingTargets)|logs:(CreateLogDelivery|GetLogDelivery|UpdateLogDelivery|DeleteLogDelivery|ListLogDeliveries|PutResourcePolicy|DescribeResourcePolicies|DescribeLogGroups))$/;
    // CDK's storefront deployment (BucketDeployment) is granted with CDK's own wildcards (s3:GetObject*,
    // s3:List*...) — on the site bucket and the asset bucket only; every role of the service has none.
    const isSiteDeployment = (p: Resource) =>
      (p.Properties['Roles'] as { Ref: string }[]).every((role) => role.Ref.startsWith('CustomCDKBucketDeployment'));
    const statementsOf = (p: Resource) => (p.Properties['PolicyDocument'] as { Statement: { Action: string | string[]; Resource: unknown }[] }).Statement;
    const siteDeployment = resourcesOf(json, 'AWS::IAM::Policy').filter(([, p]) => isSiteDeployment(p));
    expect(siteDeployment).toHaveLength(1);
    for (const statement of siteDeployment.flatMap(([, p]) => statementsOf(p))) {
      const resources = JSON.stringify(statement.Resource);
      if (JSON.stringify(statement.Action).includes('s3:')) expect(resources).toMatch(/StorefrontSite|cdk-[a-z0-9]+-assets/);
    }
    const statements = resourcesOf(json, 'AWS::IAM::Policy')
      .filter(([, p]) => !isSiteDeployment(p))
      .flatMap(([, p]) => statementsOf(p));
    expect(statements.length).toBeGreaterThan(20);
    for (const statement of statements) {
      const actions = Array.isArray(statement.Action) ? statement.Action : [statement.Action];
      for (const action of actions) expect(action).not.toContain('*');
      if (statement.Resource === '*') for (const action of actions) expect(action).toMatch(mayUseAnyResource);
    }
  });
});

describe('the storefront hosting', () => {
  it('keeps the site in a bucket nobody reaches but CloudFront: public access blocked, TLS required, encrypted', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
    });
    const [, policy] = resourcesOf(json, 'AWS::S3::BucketPolicy').find(([id]) => id.startsWith('StorefrontSite')) ?? [];
    const statements = (policy?.Properties['PolicyDocument'] as { Statement: { Effect: string; Principal: unknown; Action: unknown; Condition?: unknown }[] }).Statement;
    // TLS only: every request over plain HTTP is denied.
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Principal: { AWS: '*' }, Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    // The only reader: CloudFront, for this distribution (origin access control, SourceArn).
    const allows = statements.filter((st) => st.Effect === 'Allow');
    const readers = allows.filter((st) => JSON.stringify(st.Action).includes('s3:GetObject'));
    expect(readers).toHaveLength(1);
    expect(readers[0]).toMatchObject({ Principal: { Service: 'cloudfront.amazonaws.com' }, Condition: { StringEquals: { 'AWS:SourceArn': expect.anything() } } });
    expect(JSON.stringify(readers[0]?.Condition)).toContain('StorefrontDistribution');
    // No statement lets anyone else in.
    for (const st of allows) expect(JSON.stringify(st.Principal)).not.toMatch(/"\*"/);
  });

  it('reads the bucket through origin access control (no legacy OAI), signing every request', () => {
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: { OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' },
    });
    template.resourceCountIs('AWS::CloudFront::CloudFrontOriginAccessIdentity', 0);
    const [, distribution] = resourcesOf(json, 'AWS::CloudFront::Distribution')[0] ?? [];
    const config = distribution?.Properties['DistributionConfig'] as { Origins: { S3OriginConfig?: { OriginAccessIdentity: string }; OriginAccessControlId?: unknown }[] };
    const s3Origins = config.Origins.filter((o) => o.S3OriginConfig);
    expect(s3Origins).toHaveLength(1);
    expect(s3Origins[0]).toMatchObject({ S3OriginConfig: { OriginAccessIdentity: '' }, OriginAccessControlId: expect.anything() });
  });

  it('answers over HTTPS only: the shop redirects HTTP, the API refuses it, TLS 1.2 or later to viewers and to API Gateway', () => {
    const [, distribution] = resourcesOf(json, 'AWS::CloudFront::Distribution')[0] ?? [];
    type Behavior = { PathPattern?: string; ViewerProtocolPolicy: string; CachePolicyId: string; OriginRequestPolicyId?: string; AllowedMethods?: string[] };
    const config = distribution?.Properties['DistributionConfig'] as {
      DefaultCacheBehavior: Behavior;
      CacheBehaviors: Behavior[];
      ViewerCertificate?: { MinimumProtocolVersion?: string };
      Origins: { CustomOriginConfig?: { OriginProtocolPolicy: string; OriginSSLProtocols: string[] }; OriginPath?: string; DomainName: unknown }[];
    };
    expect(config.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('https-only');
    expect(config.CacheBehaviors.map((b) => [b.PathPattern, b.ViewerProtocolPolicy])).toEqual([
      ['shop', 'redirect-to-https'],
      ['shop/*', 'redirect-to-https'],
    ]);
    const api = config.Origins.find((o) => o.CustomOriginConfig);
    expect(api).toMatchObject({ OriginPath: '/prod', CustomOriginConfig: { OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] } });
    expect(text(api?.DomainName)).toMatch(/^<token>\.execute-api\.<token>\.<token>$/);
    // The API is never cached and gets every viewer header but Host (Authorization, Idempotency-Key).
    expect(config.DefaultCacheBehavior).toMatchObject({
      CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
      OriginRequestPolicyId: 'b689b0a8-53d0-40ab-baf2-68738e2966ac',
      AllowedMethods: expect.arrayContaining(['POST', 'DELETE', 'PUT', 'PATCH', 'OPTIONS']),
    });
  });

  it('deploys the shop under shop/ with its config.json: the hosted UI, the client and the shop URL, no hard-coded value', () => {
    const [, deployment] = resourcesOf(json, 'Custom::CDKBucketDeployment')[0] ?? [];
    expect(deployment?.Properties['DestinationBucketKeyPrefix']).toBe('shop/');
    expect(deployment?.Properties['DistributionPaths']).toEqual(['/shop/*']);
    const markers = JSON.stringify(deployment?.Properties['SourceMarkers']);
    for (const reference of ['CustomersHostedUi', 'CustomersStorefront', 'StorefrontDistribution']) expect(markers).toContain(reference);
  });

  it('sends PayPal buyers and Cognito sign-ins back to the deployed shop', () => {
    const [, client] = resourcesOf(json, 'AWS::Cognito::UserPoolClient').find(([id]) => id.startsWith('CustomersStorefront')) ?? [];
    expect(text((client?.Properties['CallbackURLs'] as unknown[])[0])).toBe('https://<token>/shop/');
    const [, paypal] = serviceFunctions(json).find(([, fn]) => String(fn.Metadata?.[HANDLER_METADATA_KEY]).includes('create-paypal-order')) ?? [];
    const environment = (paypal?.Properties['Environment'] as { Variables: Record<string, unknown> }).Variables;
    expect(text(environment['PAYPAL_RETURN_URL'])).toBe('https://<token>/shop/paypal/return');
    expect(text(environment['PAYPAL_CANCEL_URL'])).toBe('https://<token>/shop/paypal/cancel');
  });
});

describe('cdk-nag AwsSolutions', () => {
  it('finds nothing unacknowledged, and every acknowledgment names its rule and a reason', { timeout: 120_000 }, () => {
    const outdir = mkdtempSync(join(tmpdir(), 'orderflow-nag-'));
    try {
      const { app, stack } = createOrderflowApp({ bundle: false, outdir });
      // A finding fails the synth (ValidationFailed) and is written to validation-report.json.
      let failure: unknown;
      try {
        app.synth();
      } catch (error) {
        failure = error;
      }
      const reportPath = join(outdir, 'validation-report.json');
      const report = existsSync(reportPath) ? (JSON.parse(readFileSync(reportPath, 'utf8')) as { pluginReports: { violations: { ruleName: string }[] }[] }) : { pluginReports: [] };
      expect(report.pluginReports.flatMap((p) => p.violations.map((v) => v.ruleName))).toEqual([]);
      expect(failure).toBeUndefined();
      // The acknowledgments as CDK recorded them: each with a rule id and a reason a reader can use.
      // (metadata entries map "<kind>::<rule id>" to the reason).
      const acknowledged = stack.node
        .findAll()
        .flatMap((c) => c.node.metadata.filter((m) => m.type === 'aws:cdk:acknowledged-rules').flatMap((m) => Object.entries(m.data as Record<string, string>)));
      expect(acknowledged.length).toBeGreaterThan(20);
      for (const [id, reason] of acknowledged) {
        expect(id).toMatch(/::AwsSolutions-[A-Z]+\d+/);
        expect(reason.length, id).toBeGreaterThan(40);
      }
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  it('fails the synth on a finding nobody acknowledged', { timeout: 120_000 }, () => {
    const outdir = mkdtempSync(join(tmpdir(), 'orderflow-nag-'));
    try {
      const { app, stack } = createOrderflowApp({ bundle: false, outdir });
      // A queue with neither a dead-letter queue nor TLS enforced: AwsSolutions-SQS3 and SQS4.
      new sqs.Queue(stack, 'CarelessQueue');
      expect(() => app.synth()).toThrow(/SQS queue/);
      const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as { pluginReports: { violations: { ruleName: string }[] }[] };
      expect(report.pluginReports.flatMap((p) => p.violations.map((v) => v.ruleName))).toEqual(expect.arrayContaining(['AwsSolutions-SQS3', 'AwsSolutions-SQS4']));
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe('operations: the dashboard, the alarms and their topic', () => {
  const alarms = () => resourcesOf(json, 'AWS::CloudWatch::Alarm');
  const alarmNamed = (prefix: string) => alarms().find(([id]) => id.startsWith(`Monitoring${prefix}`))?.[1].Properties;

  it('has one dashboard with checkouts by outcome, the checkout latency, errors, executions, declines, functions, DynamoDB, dead letters and compensations', () => {
    const [, dashboard] = resourcesOf(json, 'AWS::CloudWatch::Dashboard')[0] ?? [];
    const body = text(dashboard?.Properties['DashboardBody']);
    for (const piece of [
      'Checkouts per minute by outcome',
      'MetricName=\\"OrdersPlaced\\"',
      'MetricName=\\"OrdersRejected\\"',
      'POST /orders p50',
      'POST /orders p95',
      'POST /orders p99',
      '5XXError',
      '4XXError',
      'ExecutionsFailed',
      'ExecutionsTimedOut',
      'Decline rate',
      'Throttles',
      'Duration',
      'WriteThrottleEvents',
      'ApproximateNumberOfMessagesVisible',
      'CompensationsStillPending',
      'OldestPendingCompensationSeconds',
      'CheckoutsSetAside',
      'OldestExpiredCheckoutSeconds',
    ]) {
      expect(body, piece).toContain(piece);
    }
  });

  it('alarms on the 5xx rate, the latency SLO, failed executions, every dead letter, the compensation backlog and throttling, all on the topic', () => {
    const [topicId] = resourcesOf(json, 'AWS::SNS::Topic').find(([id]) => id.startsWith('MonitoringAlarms')) ?? [];
    expect(alarmNamed('ServerErrorRate')).toMatchObject({ Threshold: 1, EvaluationPeriods: 5, DatapointsToAlarm: 3, ComparisonOperator: 'GreaterThanThreshold' });
    const latency = alarmNamed('CheckoutLatencySlo');
    expect(latency).toMatchObject({ Threshold: 3000, EvaluationPeriods: 5, DatapointsToAlarm: 3 });
    const [latencyQuery] = latency?.['Metrics'] as { MetricStat: { Metric: { Namespace: string; MetricName: string; Dimensions: unknown[] }; Stat: string } }[];
    expect(latencyQuery?.MetricStat).toMatchObject({ Stat: 'p95', Metric: { Namespace: 'AWS/ApiGateway', MetricName: 'Latency' } });
    expect(latencyQuery?.MetricStat.Metric.Dimensions).toEqual(expect.arrayContaining([{ Name: 'Method', Value: 'POST' }, { Name: 'Resource', Value: '/orders' }]));
    expect(JSON.stringify(alarmNamed('ExecutionsFailedOrTimedOut'))).toMatch(/ExecutionsFailed.*ExecutionsTimedOut/);
    // The oldest compensation still pending, against the recovery window (5 minutes by default).
    const backlog = alarmNamed('CompensationBacklog');
    expect(backlog).toMatchObject({ Threshold: 300, EvaluationPeriods: 1, ComparisonOperator: 'GreaterThanThreshold' });
    expect(JSON.stringify(backlog)).toMatch(/"Namespace":"orderflow".*"MetricName":"OldestPendingCompensationSeconds"|"MetricName":"OldestPendingCompensationSeconds".*"Namespace":"orderflow"/);
    // One alarm per dead-letter queue.
    const queues = resourcesOf(json, 'AWS::SQS::Queue').map(([id]) => id);
    const watched = alarms().filter(([id]) => id.startsWith('MonitoringDeadLetters')).map(([, a]) => JSON.stringify(a.Properties['Dimensions']));
    expect(watched).toHaveLength(queues.length);
    for (const queue of queues) expect(watched.some((d) => d.includes(queue)), queue).toBe(true);
    // Every function's throttles are in one of the throttle alarms.
    const throttles = alarms().filter(([id]) => id.startsWith('MonitoringFunctionThrottles')).map(([, a]) => JSON.stringify(a.Properties));
    for (const [fnId] of serviceFunctions(json)) expect(throttles.some((t) => t.includes(fnId)), fnId).toBe(true);
    expect(JSON.stringify(alarmNamed('TableThrottles'))).toMatch(/ReadThrottleEvents.*WriteThrottleEvents/);
    expect(alarmNamed('CheckoutsSetAside')).toMatchObject({ Threshold: 0, EvaluationPeriods: 1, ComparisonOperator: 'GreaterThanThreshold' });
    expect(JSON.stringify(alarmNamed('CheckoutsSetAside'))).toContain('"MetricName":"CheckoutsSetAside"');
    // Every alarm tells the topic when it fires and when it clears.
    for (const [id, a] of alarms()) {
      expect(a.Properties['AlarmActions'], id).toEqual([{ Ref: topicId }]);
      expect(a.Properties['OKActions'], id).toEqual([{ Ref: topicId }]);
    }
  });

  it('subscribes the configured e-mail to the alarms, and requires TLS on the topic', () => {
    const { template: withEmail } = synth({ 'orderflow:alarmEmail': 'oncall@example.com' });
    withEmail.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.com' });
    template.resourceCountIs('AWS::SNS::Subscription', 0);
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });
});

describe('stages', () => {
  const stageSynth = (stage: 'dev' | 'prod') => {
    const { stack } = createOrderflowApp({ bundle: false, stage, securityChecks: false });
    return { stack, template: Template.fromStack(stack), json: Template.fromStack(stack).toJSON() as CloudFormationTemplate };
  };

  it('dev and prod differ where they should: retention, what is kept, thresholds, the load-test client, the stack name', () => {
    const dev = stageSynth('dev');
    const prod = stageSynth('prod');
    expect([dev.stack.stackName, prod.stack.stackName]).toEqual(['Orderflow-dev', 'Orderflow-prod']);
    const retention = (t: CloudFormationTemplate) => new Set(resourcesOf(t, 'AWS::Logs::LogGroup').map(([, g]) => g.Properties['RetentionInDays']));
    expect(retention(dev.json)).toEqual(new Set([7]));
    expect(retention(prod.json)).toEqual(new Set([90]));
    dev.template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Delete' });
    prod.template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain' });
    dev.template.hasResource('AWS::Cognito::UserPool', { DeletionPolicy: 'Delete' });
    prod.template.hasResource('AWS::Cognito::UserPool', { DeletionPolicy: 'Retain' });
    const latency = (t: CloudFormationTemplate) => resourcesOf(t, 'AWS::CloudWatch::Alarm').find(([id]) => id.startsWith('MonitoringCheckoutLatencySlo'))?.[1].Properties['Threshold'];
    expect([latency(dev.json), latency(prod.json)]).toEqual([5000, 3000]);
    const clients = (t: CloudFormationTemplate) => resourcesOf(t, 'AWS::Cognito::UserPoolClient').length;
    expect([clients(dev.json), clients(prod.json)]).toEqual([2, 1]);
    // What the functions log: every INFO line in dev, warnings and errors (and metrics) in prod.
    const logLevels = (t: CloudFormationTemplate) =>
      new Set(resourcesOf(t, 'AWS::Lambda::Function').map(([, f]) => (f.Properties['Environment'] as { Variables?: Record<string, string> } | undefined)?.Variables?.['POWERTOOLS_LOG_LEVEL']).filter((v) => v !== undefined));
    expect([logLevels(dev.json), logLevels(prod.json)]).toEqual([new Set(['INFO']), new Set(['WARN'])]);
    // Lambda's own lines: kept in dev, filtered out in prod.
    const systemLevels = (t: CloudFormationTemplate) =>
      new Set(serviceFunctions(t).map(([, f]) => (f.Properties['LoggingConfig'] as { SystemLogLevel?: string }).SystemLogLevel).filter((v) => v !== undefined));
    expect([systemLevels(dev.json), systemLevels(prod.json)]).toEqual([new Set(['INFO']), new Set(['WARN'])]);
  });

  it('lets Lambda filter the logs of every function but those that publish metrics (an EMF line has no level: Lambda would drop it)', () => {
    for (const [id, fn] of serviceFunctions(json)) {
      const source = readFileSync(join(REPO_ROOT, String(fn.Metadata?.[HANDLER_METADATA_KEY]).split('#')[0] ?? ''), 'utf8');
      const publishesMetrics = /MetricsRecorder|from '@aws-lambda-powertools\/metrics'/.test(source);
      const logging = fn.Properties['LoggingConfig'] as { LogFormat?: string; ApplicationLogLevel?: string; SystemLogLevel?: string };
      if (publishesMetrics) expect(logging.LogFormat, id).toBeUndefined();
      else expect(logging, id).toMatchObject({ LogFormat: 'JSON', ApplicationLogLevel: 'WARN', SystemLogLevel: 'WARN' });
    }
    expect(serviceFunctions(json).filter(([, fn]) => (fn.Properties['LoggingConfig'] as { LogFormat?: string }).LogFormat === undefined)).toHaveLength(3);
  });

  it('lets the command line override a stage, and refuses a stage nobody defined', () => {
    const { stack } = createOrderflowApp({ bundle: false, stage: 'prod', securityChecks: false, context: { 'orderflow:logRetentionDays': '30' } });
    const groups = resourcesOf(Template.fromStack(stack).toJSON() as CloudFormationTemplate, 'AWS::Logs::LogGroup');
    expect(new Set(groups.map(([, g]) => g.Properties['RetentionInDays']))).toEqual(new Set([30]));
    expect(() => createOrderflowApp({ bundle: false, stage: 'staging', securityChecks: false })).toThrow(/unknown stage "staging": one of dev, prod/);
  });
});

describe('releases', () => {
  it('publishes a version of the checkout each deploy and moves the live alias to it as a canary that the alarms roll back', () => {
    const [versionId, version] = resourcesOf(json, 'AWS::StepFunctions::StateMachineVersion')[0] ?? [];
    const [machineId] = resourcesOf(json, 'AWS::StepFunctions::StateMachine')[0] ?? [];
    expect(version?.Properties).toMatchObject({ StateMachineArn: { Ref: machineId }, StateMachineRevisionId: { 'Fn::GetAtt': [machineId, 'StateMachineRevisionId'] } });
    expect(json.Resources[versionId ?? '']).toMatchObject({ UpdateReplacePolicy: 'Retain' });
    const [, alias] = resourcesOf(json, 'AWS::StepFunctions::StateMachineAlias')[0] ?? [];
    const preference = alias?.Properties['DeploymentPreference'] as { StateMachineVersionArn: unknown; Type: string; Percentage: number; Interval: number; Alarms: unknown[] };
    expect(alias?.Properties['Name']).toBe('live');
    expect(preference).toMatchObject({ StateMachineVersionArn: { 'Fn::GetAtt': [versionId, 'Arn'] }, Type: 'CANARY', Percentage: 10, Interval: 5 });
    const alarmIds = preference.Alarms.map((a) => (a as { Ref: string }).Ref);
    expect(alarmIds.map((id) => id.replace(/[0-9A-F]{8}$/, ''))).toEqual(['MonitoringServerErrorRate', 'MonitoringCheckoutLatencySlo', 'MonitoringExecutionsFailedOrTimedOut']);
  });

  it('has POST /orders start the live alias, and lets API Gateway start only that', () => {
    const [aliasId] = resourcesOf(json, 'AWS::StepFunctions::StateMachineAlias')[0] ?? [];
    const [, post] = resourcesOf(json, 'AWS::ApiGateway::Method').find(([, m]) => m.Properties['HttpMethod'] === 'POST' && JSON.stringify(m.Properties['Integration']).includes('StartSyncExecution')) ?? [];
    const requestTemplate = JSON.stringify((post?.Properties['Integration'] as { RequestTemplates: unknown }).RequestTemplates);
    expect(requestTemplate).toContain(`{"Ref":"${aliasId}"}`);
    const [machineId] = resourcesOf(json, 'AWS::StepFunctions::StateMachine')[0] ?? [];
    expect(requestTemplate).not.toContain(`{"Ref":"${machineId}"}`);
    const [roleId] = Object.entries(json.Resources).find(([id, r]) => r.Type === 'AWS::IAM::Role' && id.startsWith('CheckoutStartRole')) ?? [];
    const statements = resourcesOf(json, 'AWS::IAM::Policy')
      .filter(([, p]) => JSON.stringify(p.Properties['Roles']).includes(`"Ref":"${roleId}"`))
      .flatMap(([, p]) => (p.Properties['PolicyDocument'] as { Statement: { Action: unknown; Resource: unknown }[] }).Statement);
    expect(statements).toEqual([expect.objectContaining({ Action: 'states:StartSyncExecution', Resource: { Ref: aliasId } })]);
  });

  it('releases every proxy and consumer function through a live alias with a CodeDeploy canary on the same alarms', () => {
    const aliases = resourcesOf(json, 'AWS::Lambda::Alias');
    const released = aliases.map(([, a]) => String((json.Resources[(a.Properties['FunctionName'] as { Ref: string }).Ref] as Resource).Metadata?.[HANDLER_METADATA_KEY]));
    const handlerOf = (source: string) => source.replace(/^apps\/api\/src\/handlers\/|\.ts#handler$/g, '');
    expect(released.map(handlerOf).sort()).toEqual(
      ['create-paypal-order', 'get-order', 'get-product', 'list-customer-orders', 'list-my-orders', 'list-products', 'record-metrics', 'send-confirmation'].sort(),
    );
    for (const [, alias] of aliases) expect(alias.Properties).toMatchObject({ Name: 'live', FunctionVersion: { 'Fn::GetAtt': [expect.stringContaining('CurrentVersion'), 'Version'] } });
    // CodeDeploy moves each alias (the alias's UpdatePolicy names its deployment group).
    const groups = resourcesOf(json, 'AWS::CodeDeploy::DeploymentGroup');
    expect(groups).toHaveLength(aliases.length);
    for (const [id] of aliases) expect(JSON.stringify((json.Resources[id] as { UpdatePolicy?: unknown }).UpdatePolicy), id).toContain('CodeDeployLambdaAliasUpdate');

    const [configId, config] = resourcesOf(json, 'AWS::CodeDeploy::DeploymentConfig')[0] ?? [];
    expect(config?.Properties['TrafficRoutingConfig']).toEqual({ Type: 'TimeBasedCanary', TimeBasedCanary: { CanaryInterval: 5, CanaryPercentage: 10 } });
    for (const [, group] of groups) {
      expect(group.Properties).toMatchObject({
        DeploymentConfigName: { Ref: configId },
        AutoRollbackConfiguration: { Enabled: true, Events: expect.arrayContaining(['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM']) },
        AlarmConfiguration: { Enabled: true, Alarms: [{ Name: expect.anything() }, { Name: expect.anything() }, { Name: expect.anything() }] },
      });
    }
  });

  it('releases at once in dev and as a 10-minute canary in prod', () => {
    const aliasOf = (stage: 'dev' | 'prod') => {
      const { stack } = createOrderflowApp({ bundle: false, stage, securityChecks: false });
      const t = Template.fromStack(stack).toJSON() as CloudFormationTemplate;
      return { alias: resourcesOf(t, 'AWS::StepFunctions::StateMachineAlias')[0]?.[1].Properties['DeploymentPreference'], configs: resourcesOf(t, 'AWS::CodeDeploy::DeploymentConfig') };
    };
    const dev = aliasOf('dev');
    expect(dev.alias).toMatchObject({ Type: 'ALL_AT_ONCE' });
    expect(dev.alias).not.toHaveProperty('Percentage');
    expect(dev.configs).toHaveLength(0);
    expect(aliasOf('prod').alias).toMatchObject({ Type: 'CANARY', Percentage: 10, Interval: 10 });
  });
});
