import { describe, expect, it } from 'vitest';
import { type FunctionEnvironmentSpecs, functionEnvironment, type LocalEndpoints } from './function-environment';

const local: LocalEndpoints = {
  dynamoEndpoint: 'http://127.0.0.1:1',
  secretsEndpoint: 'http://127.0.0.1:2',
  eventBridgeEndpoint: 'http://127.0.0.1:3',
  stepFunctionsEndpoint: 'http://127.0.0.1:4',
  sandboxes: { env: { STRIPE_API_BASE: 'http://127.0.0.1:5', PAYPAL_BASE_URL: 'http://127.0.0.1:6' } },
  scheduleScale: 1,
  showFunctionLogs: false,
  storefrontUrl: 'http://localhost:3000/shop/',
};
const specs: FunctionEnvironmentSpecs = [
  { logicalId: 'PriceCart', environment: { TABLE_NAME: 'orderflow', POWERTOOLS_LOG_LEVEL: 'WARN' } },
  { logicalId: 'RecoverCheckouts', environment: { TABLE_NAME: 'orderflow', POWERTOOLS_LOG_LEVEL: 'WARN', RECOVERY_PASS_INTERVAL_SECONDS: '5' } },
];

describe('functionEnvironment', () => {
  it('is the template\'s variables with the local endpoints, at the template\'s log level', () => {
    expect(functionEnvironment(specs, local)).toMatchObject({
      TABLE_NAME: 'orderflow',
      POWERTOOLS_LOG_LEVEL: 'WARN',
      AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:1',
      STRIPE_API_BASE: 'http://127.0.0.1:5',
      PAYPAL_RETURN_URL: 'http://localhost:3000/shop/paypal/return',
      RECOVERY_PASS_INTERVAL_SECONDS: '5',
    });
  });

  it('has the handlers log at INFO when every line is shown (--function-logs), and scales the recovery passes with the schedules', () => {
    const environment = functionEnvironment(specs, { ...local, showFunctionLogs: true, scheduleScale: 0.2 });
    expect(environment['POWERTOOLS_LOG_LEVEL']).toBe('INFO');
    expect(environment['RECOVERY_PASS_INTERVAL_SECONDS']).toBe('1');
  });
});
