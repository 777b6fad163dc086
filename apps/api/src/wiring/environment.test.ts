import { describe, expect, it } from 'vitest';
import { ConfigurationError, readAllowedOrigins, readApiEnvironment } from './environment';

describe('readApiEnvironment', () => {
  it('reads the table, region and DynamoDB endpoint override', () => {
    expect(readApiEnvironment({ TABLE_NAME: 'orders', AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8000' })).toEqual({
      tableName: 'orders',
      region: 'eu-west-1',
      dynamoDbEndpoint: 'http://127.0.0.1:8000',
      eventBusName: undefined,
      eventBridgeEndpoint: undefined,
      stateMachineArn: undefined,
      stepFunctionsEndpoint: undefined,
      recoveryPasses: 1,
      recoveryPassIntervalSeconds: 15,
    });
    expect(readApiEnvironment({ TABLE_NAME: 'orders' })).toEqual({
      tableName: 'orders',
      region: 'us-east-1',
      dynamoDbEndpoint: undefined,
      eventBusName: undefined,
      eventBridgeEndpoint: undefined,
      stateMachineArn: undefined,
      stepFunctionsEndpoint: undefined,
      recoveryPasses: 1,
      recoveryPassIntervalSeconds: 15,
    });
    expect(
      readApiEnvironment({ TABLE_NAME: 'orders', EVENT_BUS_NAME: 'orderflow', AWS_ENDPOINT_URL_EVENTBRIDGE: 'http://127.0.0.1:9' }),
    ).toMatchObject({ eventBusName: 'orderflow', eventBridgeEndpoint: 'http://127.0.0.1:9' });
  });

  it('reads the checkout state machine, the Step Functions endpoint and the recovery passes', () => {
    expect(
      readApiEnvironment({
        TABLE_NAME: 'orders',
        STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:1:stateMachine:Checkout',
        AWS_ENDPOINT_URL_SFN: 'http://127.0.0.1:7',
        RECOVERY_PASSES: '4',
        RECOVERY_PASS_INTERVAL_SECONDS: '0',
      }),
    ).toMatchObject({
      stateMachineArn: 'arn:aws:states:us-east-1:1:stateMachine:Checkout',
      stepFunctionsEndpoint: 'http://127.0.0.1:7',
      recoveryPasses: 4,
      recoveryPassIntervalSeconds: 0,
    });
    expect(() => readApiEnvironment({ TABLE_NAME: 'orders', RECOVERY_PASSES: '0' })).toThrow(/RECOVERY_PASSES/);
    expect(() => readApiEnvironment({ TABLE_NAME: 'orders', RECOVERY_PASS_INTERVAL_SECONDS: 'soon' })).toThrow(/RECOVERY_PASS_INTERVAL_SECONDS/);
  });

  it('reads the storefront origins allowed to call the API', () => {
    expect(readAllowedOrigins({ ALLOWED_ORIGINS: 'https://shop.example.com, http://localhost:5173' })).toEqual([
      'https://shop.example.com',
      'http://localhost:5173',
    ]);
    expect(() => readAllowedOrigins({ ALLOWED_ORIGINS: 'https://shop.example.com/path' })).toThrow(/ALLOWED_ORIGINS/);
    expect(readAllowedOrigins({})).toEqual([]);
  });

  it('names the missing variable', () => {
    expect(() => readApiEnvironment({})).toThrow(ConfigurationError);
    expect(() => readApiEnvironment({ TABLE_NAME: ' ' })).toThrow(/TABLE_NAME/);
  });
});
