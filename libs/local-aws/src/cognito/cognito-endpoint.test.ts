import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  InvalidParameterException,
  InvalidPasswordException,
  NotAuthorizedException,
  ResourceNotFoundException,
  UsernameExistsException,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CognitoEndpoint, startCognitoEndpoint } from './cognito-endpoint';
import { LocalUserPool } from './local-user-pool';

// The real SDK against the endpoint, as a script that provisions users would use it.

const POOL_ID = 'eu-west-1_Customers';
const dir = mkdtempSync(join(tmpdir(), 'local-cognito-'));
let pool: LocalUserPool;
let endpoint: CognitoEndpoint;
let cognito: CognitoIdentityProviderClient;

const openPool = () =>
  LocalUserPool.open({
    region: 'eu-west-1',
    userPoolId: POOL_ID,
    clientIds: ['Storefront', 'LoadTest'],
    keyFile: join(dir, 'key.json'),
    usersFile: join(dir, 'users.json'),
    usernameAttributes: ['email'],
    passwordPolicy: { MinimumLength: 12, RequireNumbers: true, RequireLowercase: true, RequireUppercase: true },
    groups: ['operators'],
    clientAuthFlows: { Storefront: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'], LoadTest: ['ALLOW_ADMIN_USER_PASSWORD_AUTH'] },
  });

beforeAll(async () => {
  pool = await openPool();
  endpoint = await startCognitoEndpoint(new Map([[POOL_ID, pool]]));
  cognito = new CognitoIdentityProviderClient({ endpoint: endpoint.endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
});
afterAll(async () => {
  cognito.destroy();
  await endpoint.stop();
  rmSync(dir, { recursive: true, force: true });
});

const PASSWORD = 'Correct-Horse-42';

describe('the local Cognito endpoint through @aws-sdk/client-cognito-identity-provider', () => {
  let sub = '';

  it('creates a user whose name is a generated sub when email is the username attribute, once', async () => {
    const created = await cognito.send(
      new AdminCreateUserCommand({ UserPoolId: POOL_ID, Username: 'ada@example.com', MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email_verified', Value: 'true' }] }),
    );
    sub = created.User?.Attributes?.find((a) => a.Name === 'sub')?.Value ?? '';
    expect(sub).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.User).toMatchObject({ Username: sub, Enabled: true, UserStatus: 'FORCE_CHANGE_PASSWORD' });
    expect(created.User?.UserCreateDate).toBeInstanceOf(Date);
    await expect(cognito.send(new AdminCreateUserCommand({ UserPoolId: POOL_ID, Username: 'ADA@example.com' }))).rejects.toBeInstanceOf(UsernameExistsException);
    await expect(cognito.send(new AdminCreateUserCommand({ UserPoolId: POOL_ID, Username: 'not-an-email' }))).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(cognito.send(new AdminCreateUserCommand({ UserPoolId: 'eu-west-1_Other', Username: 'x@example.com' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('asks for a new password while it is temporary, holds the pool\'s policy, then signs in with an ID token the pool verifies', async () => {
    await cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: POOL_ID, Username: 'ada@example.com', Password: 'Temporary-Pass-1', Permanent: false }));
    const challenged = await cognito.send(
      new AdminInitiateAuthCommand({ UserPoolId: POOL_ID, ClientId: 'LoadTest', AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'ada@example.com', PASSWORD: 'Temporary-Pass-1' } }),
    );
    expect(challenged.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    expect(challenged.AuthenticationResult).toBeUndefined();

    await expect(
      cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: POOL_ID, Username: 'ada@example.com', Password: 'short1A', Permanent: true })),
    ).rejects.toBeInstanceOf(InvalidPasswordException);
    await expect(
      cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: POOL_ID, Username: 'ada@example.com', Password: 'alllowercase-and-long-1', Permanent: true })),
    ).rejects.toThrow(/uppercase/);
    await cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: POOL_ID, Username: 'ada@example.com', Password: PASSWORD, Permanent: true }));
    await cognito.send(new AdminAddUserToGroupCommand({ UserPoolId: POOL_ID, Username: 'ada@example.com', GroupName: 'operators' }));

    const signedIn = await cognito.send(
      new AdminInitiateAuthCommand({ UserPoolId: POOL_ID, ClientId: 'LoadTest', AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'ada@example.com', PASSWORD } }),
    );
    expect(signedIn.AuthenticationResult).toMatchObject({ TokenType: 'Bearer', ExpiresIn: 3600 });
    const claims = await pool.verify(signedIn.AuthenticationResult?.IdToken ?? '');
    expect(claims).toMatchObject({ sub, email: 'ada@example.com', email_verified: true, 'cognito:groups': ['operators'], aud: 'LoadTest', token_use: 'id' });
    // The access token is not an ID token: the API's authorizer refuses it.
    await expect(pool.verify(signedIn.AuthenticationResult?.AccessToken ?? '')).rejects.toThrow(/not an ID token/);
  });

  it('refuses a wrong password, an unknown user and a flow the client does not allow, in Cognito\'s words', async () => {
    const signIn = (clientId: string, password: string, username = 'ada@example.com', flow: 'ADMIN_USER_PASSWORD_AUTH' | 'ADMIN_NO_SRP_AUTH' = 'ADMIN_USER_PASSWORD_AUTH') =>
      cognito.send(new AdminInitiateAuthCommand({ UserPoolId: POOL_ID, ClientId: clientId, AuthFlow: flow, AuthParameters: { USERNAME: username, PASSWORD: password } }));
    await expect(signIn('LoadTest', 'Wrong-Password-99')).rejects.toBeInstanceOf(NotAuthorizedException);
    await expect(signIn('LoadTest', PASSWORD, 'nobody@example.com')).rejects.toThrow('Incorrect username or password.');
    await expect(signIn('Storefront', PASSWORD)).rejects.toThrow('Auth flow not enabled for this client');
    await expect(signIn('Nope', PASSWORD)).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(
      cognito.send(new InitiateAuthCommand({ ClientId: 'LoadTest', AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'ada@example.com', PASSWORD } })),
    ).rejects.toThrow('Auth flow not enabled for this client');
    await expect(cognito.send(new AdminGetUserCommand({ UserPoolId: POOL_ID, Username: 'nobody@example.com' }))).rejects.toBeInstanceOf(UserNotFoundException);
    await expect(cognito.send(new AdminAddUserToGroupCommand({ UserPoolId: POOL_ID, Username: 'ada@example.com', GroupName: 'admins' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('keeps its users in the file: a reopened pool signs the same user in', async () => {
    const reopened = await openPool();
    const result = await reopened.signIn('LoadTest', 'ADMIN_USER_PASSWORD_AUTH', 'ada@example.com', PASSWORD);
    expect(result.kind).toBe('tokens');
    const user = await cognito.send(new AdminGetUserCommand({ UserPoolId: POOL_ID, Username: 'ada@example.com' }));
    expect(user).toMatchObject({ Username: sub, UserStatus: 'CONFIRMED' });
    expect(user.UserAttributes?.find((a) => a.Name === 'email')?.Value).toBe('ada@example.com');
  });
});
