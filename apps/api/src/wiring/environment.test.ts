import { describe, expect, it } from 'vitest';
import { ConfigurationError, readApiEnvironment } from './environment';

describe('readApiEnvironment', () => {
  it('reads the table, region and DynamoDB endpoint override', () => {
    expect(readApiEnvironment({ TABLE_NAME: 'orders', AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8000' })).toEqual({
      tableName: 'orders',
      region: 'eu-west-1',
      dynamoDbEndpoint: 'http://127.0.0.1:8000',
      eventBusName: undefined,
      eventBridgeEndpoint: undefined,
    });
    expect(readApiEnvironment({ TABLE_NAME: 'orders' })).toEqual({
      tableName: 'orders',
      region: 'us-east-1',
      dynamoDbEndpoint: undefined,
      eventBusName: undefined,
      eventBridgeEndpoint: undefined,
    });
    expect(
      readApiEnvironment({ TABLE_NAME: 'orders', EVENT_BUS_NAME: 'orderflow', AWS_ENDPOINT_URL_EVENTBRIDGE: 'http://127.0.0.1:9' }),
    ).toMatchObject({ eventBusName: 'orderflow', eventBridgeEndpoint: 'http://127.0.0.1:9' });
  });

  it('names the missing variable', () => {
    expect(() => readApiEnvironment({})).toThrow(ConfigurationError);
    expect(() => readApiEnvironment({ TABLE_NAME: ' ' })).toThrow(/TABLE_NAME/);
  });
});
