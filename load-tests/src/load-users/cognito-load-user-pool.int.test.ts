import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { type CognitoEndpoint, LocalUserPool, startCognitoEndpoint } from '@orderflow/local-aws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CognitoLoadUserPool } from './cognito-load-user-pool';
import { provisionLoadUsers } from './provision-load-users';

// The real Cognito SDK client against a local Cognito endpoint with the pool's settings as the
// stack deploys them (email user names, the password policy, a client of the admin flow only).

const POOL_ID = 'eu-west-1_Customers';
let pool: LocalUserPool;
let endpoint: CognitoEndpoint;
let cognito: CognitoIdentityProviderClient;

beforeAll(async () => {
  pool = await LocalUserPool.open({
    region: 'eu-west-1',
    userPoolId: POOL_ID,
    clientIds: ['Storefront', 'LoadTest'],
    usernameAttributes: ['email'],
    passwordPolicy: { MinimumLength: 12, RequireLowercase: true, RequireUppercase: true, RequireNumbers: true },
    clientAuthFlows: { Storefront: ['ALLOW_USER_SRP_AUTH'], LoadTest: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] },
  });
  endpoint = await startCognitoEndpoint(new Map([[POOL_ID, pool]]));
  cognito = new CognitoIdentityProviderClient({ endpoint: endpoint.endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
});
afterAll(async () => {
  cognito.destroy();
  await endpoint.stop();
});

describe('CognitoLoadUserPool through @aws-sdk/client-cognito-identity-provider', () => {
  it('provisions users whose ID tokens the pool vouches for, each for its own sub; a second run reuses them', async () => {
    const users = new CognitoLoadUserPool(cognito, POOL_ID, 'LoadTest');
    const first = await provisionLoadUsers({ pool: users, count: 8, password: 'Load-Test-Pass-1' });
    for (const credential of first) {
      const claims = await pool.verify(credential.token);
      expect(claims.sub).toBe(credential.customerId);
      expect(claims['email']).toMatch(/^load-user-\d+@load-test\.invalid$/);
    }
    expect(new Set(first.map((c) => c.customerId)).size).toBe(8);
    const second = await provisionLoadUsers({ pool: users, count: 8, password: 'Load-Test-Pass-2' });
    expect(second.map((c) => c.customerId)).toEqual(first.map((c) => c.customerId));
  });

  it("fails as Cognito does through the storefront's client (the admin flow is not enabled there)", async () => {
    const users = new CognitoLoadUserPool(cognito, POOL_ID, 'Storefront');
    await expect(provisionLoadUsers({ pool: users, count: 1, password: 'Load-Test-Pass-1' })).rejects.toThrow('Auth flow not enabled for this client');
  });
});
