import type { CloudFormationTemplate } from '@orderflow/local-aws';
import { CHECKOUT_INTEGRATION_ERROR_TEMPLATE, CHECKOUT_REQUEST_TEMPLATE, CHECKOUT_RESPONSE_TEMPLATE } from '@orderflow/order-workflow';

/**
 * A small CloudFormation template shaped like the synthesized stack (same resource types,
 * intrinsics and metadata), for unit tests that must not pay for a CDK synth.
 */
export function fixtureTemplate(): CloudFormationTemplate {
  const apiRef = { Ref: 'Api' };
  const fnArn = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });
  const proxyUri = (id: string) => ({
    'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':apigateway:', { Ref: 'AWS::Region' }, ':lambda:path/2015-03-31/functions/', fnArn(id), '/invocations']],
  });
  return {
    Resources: {
      Table: {
        Type: 'AWS::DynamoDB::Table',
        Properties: {
          AttributeDefinitions: [
            { AttributeName: 'PK', AttributeType: 'S' },
            { AttributeName: 'SK', AttributeType: 'S' },
            { AttributeName: 'GSI1PK', AttributeType: 'S' },
            { AttributeName: 'GSI1SK', AttributeType: 'S' },
          ],
          KeySchema: [
            { AttributeName: 'PK', KeyType: 'HASH' },
            { AttributeName: 'SK', KeyType: 'RANGE' },
          ],
          BillingMode: 'PAY_PER_REQUEST',
          GlobalSecondaryIndexes: [
            {
              IndexName: 'GSI1',
              KeySchema: [
                { AttributeName: 'GSI1PK', KeyType: 'HASH' },
                { AttributeName: 'GSI1SK', KeyType: 'RANGE' },
              ],
              Projection: { ProjectionType: 'ALL' },
            },
          ],
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        },
      },
      Bus: { Type: 'AWS::Events::EventBus', Properties: { Name: 'ignored-here' } },
      Secret: { Type: 'AWS::SecretsManager::Secret', Properties: {} },
      Failures: { Type: 'AWS::SQS::Queue', Properties: {} },
      RuleDeadLetters: { Type: 'AWS::SQS::Queue', Properties: {} },
      GetThingFunction: {
        Type: 'AWS::Lambda::Function',
        Metadata: { 'orderflow:handler': 'apps/local/src/test/fixture-handlers.ts#getThing' },
        Properties: {
          Timeout: 5,
          MemorySize: 256,
          Environment: { Variables: { TABLE_NAME: { Ref: 'Table' }, POWERTOOLS_SERVICE_NAME: 'orderflow' } },
        },
      },
      ConsumeFunction: {
        Type: 'AWS::Lambda::Function',
        Metadata: { 'orderflow:handler': 'apps/local/src/test/fixture-handlers.ts#consume' },
        Properties: {
          Timeout: 10,
          DeadLetterConfig: { TargetArn: fnArn('Failures') },
          Environment: { Variables: { TABLE_NAME: { Ref: 'Table' }, PAYMENT_SECRETS_ARN: { Ref: 'Secret' } } },
        },
      },
      ConsumeInvokeConfig: {
        Type: 'AWS::Lambda::EventInvokeConfig',
        Properties: { FunctionName: { Ref: 'ConsumeFunction' }, MaximumRetryAttempts: 1, Qualifier: '$LATEST' },
      },
      ConsumeRule: {
        Type: 'AWS::Events::Rule',
        Properties: {
          EventBusName: { Ref: 'Bus' },
          EventPattern: { source: ['orderflow.orders'], 'detail-type': ['OrderPlaced'] },
          State: 'ENABLED',
          Targets: [
            {
              Id: 'Target0',
              Arn: fnArn('ConsumeFunction'),
              RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 7200 },
              DeadLetterConfig: { Arn: fnArn('RuleDeadLetters') },
            },
          ],
        },
      },
      JobFunction: {
        Type: 'AWS::Lambda::Function',
        Metadata: { 'orderflow:handler': 'apps/local/src/test/fixture-handlers.ts#consume' },
        Properties: { Timeout: 60, Environment: { Variables: { TABLE_NAME: { Ref: 'Table' } } } },
      },
      JobSchedule: {
        Type: 'AWS::Events::Rule',
        Properties: { ScheduleExpression: 'rate(5 minutes)', State: 'ENABLED', Targets: [{ Id: 'Target0', Arn: fnArn('JobFunction') }] },
      },
      Api: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'Api' } },
      Stage: { Type: 'AWS::ApiGateway::Stage', Properties: { RestApiId: apiRef, StageName: 'prod' } },
      Validator: { Type: 'AWS::ApiGateway::RequestValidator', Properties: { RestApiId: apiRef, ValidateRequestBody: true } },
      OrderModel: {
        Type: 'AWS::ApiGateway::Model',
        Properties: {
          RestApiId: apiRef,
          ContentType: 'application/json',
          Schema: {
            $schema: 'http://json-schema.org/draft-04/schema#',
            type: 'object',
            properties: { customerId: { type: 'string', minLength: 1 } },
            required: ['customerId'],
            additionalProperties: false,
          },
        },
      },
      Orders: { Type: 'AWS::ApiGateway::Resource', Properties: { ParentId: { 'Fn::GetAtt': ['Api', 'RootResourceId'] }, PathPart: 'orders', RestApiId: apiRef } },
      Things: { Type: 'AWS::ApiGateway::Resource', Properties: { ParentId: { 'Fn::GetAtt': ['Api', 'RootResourceId'] }, PathPart: 'things', RestApiId: apiRef } },
      Thing: { Type: 'AWS::ApiGateway::Resource', Properties: { ParentId: { Ref: 'Things' }, PathPart: '{thingId}', RestApiId: apiRef } },
      ThingGet: {
        Type: 'AWS::ApiGateway::Method',
        Properties: {
          HttpMethod: 'GET',
          ResourceId: { Ref: 'Thing' },
          RestApiId: apiRef,
          Integration: { Type: 'AWS_PROXY', IntegrationHttpMethod: 'POST', Uri: proxyUri('GetThingFunction') },
        },
      },
      OrdersPost: {
        Type: 'AWS::ApiGateway::Method',
        Properties: {
          HttpMethod: 'POST',
          ResourceId: { Ref: 'Orders' },
          RestApiId: apiRef,
          RequestValidatorId: { Ref: 'Validator' },
          RequestModels: { 'application/json': { Ref: 'OrderModel' } },
          Integration: {
            Type: 'AWS',
            IntegrationHttpMethod: 'POST',
            PassthroughBehavior: 'NEVER',
            Uri: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':apigateway:', { Ref: 'AWS::Region' }, ':states:action/StartSyncExecution']] },
            RequestTemplates: {
              'application/json': {
                'Fn::Join': ['', CHECKOUT_REQUEST_TEMPLATE.split('@@STATE_MACHINE_ARN@@').flatMap((part, i) => (i === 0 ? [part] : [{ Ref: 'StateMachine' }, part]))],
              },
            },
            IntegrationResponses: [
              { StatusCode: '200', ResponseTemplates: { 'application/json': CHECKOUT_RESPONSE_TEMPLATE } },
              { StatusCode: '500', SelectionPattern: '[45]\\d{2}', ResponseTemplates: { 'application/json': CHECKOUT_INTEGRATION_ERROR_TEMPLATE } },
            ],
          },
        },
      },
      StateMachine: { Type: 'AWS::StepFunctions::StateMachine', Properties: {} },
      NotFound: {
        Type: 'AWS::ApiGateway::GatewayResponse',
        Properties: {
          RestApiId: apiRef,
          ResponseType: 'MISSING_AUTHENTICATION_TOKEN',
          StatusCode: '404',
          ResponseTemplates: { 'application/json': '{"error":{"code":"ROUTE_NOT_FOUND","message":"No such route."}}' },
        },
      },
      BadBody: {
        Type: 'AWS::ApiGateway::GatewayResponse',
        Properties: {
          RestApiId: apiRef,
          ResponseType: 'BAD_REQUEST_BODY',
          StatusCode: '400',
          ResponseTemplates: {
            'application/json': '{"error":{"code":"VALIDATION_FAILED","message":"The request is not valid.","details":[{"path":"(root)","message":$context.error.messageString}]}}',
          },
        },
      },
      Default5xx: {
        Type: 'AWS::ApiGateway::GatewayResponse',
        Properties: {
          RestApiId: apiRef,
          ResponseType: 'DEFAULT_5XX',
          StatusCode: '500',
          ResponseTemplates: { 'application/json': '{"error":{"code":"INTERNAL","message":"Something went wrong on our side."}}' },
        },
      },
    },
  };
}
