import { answerOperations, type AwsJsonAnswer, type AwsJsonServer, type AwsJsonServerOptions, startAwsJsonServer } from '../aws-json/aws-json-server';
import type { LocalUserPool, SignInResult } from './local-user-pool';
import { CognitoError, type LocalUser } from './user-directory';

/**
 * Cognito user pools' API as AWS serves it (JSON 1.1, `X-Amz-Target:
 * AWSCognitoIdentityProviderService.<Operation>`) in front of LocalUserPools: the real
 * `@aws-sdk/client-cognito-identity-provider` and the AWS CLI create users, set passwords,
 * put users in groups and sign them in with a password. Timestamps are epoch seconds.
 */

const TARGET_PREFIX = 'AWSCognitoIdentityProviderService.';

type Input = Record<string, unknown>;
type Pools = ReadonlyMap<string, LocalUserPool>;
type Operation = (pools: Pools, input: Input) => unknown;

function text(input: Input, key: string): string {
  const value = input[key];
  if (typeof value !== 'string' || value === '') {
    throw new CognitoError('InvalidParameterException', `1 validation error detected: Value at '${key.charAt(0).toLowerCase()}${key.slice(1)}' failed to satisfy constraint: Member must not be null`);
  }
  return value;
}

function poolOf(pools: Pools, input: Input): LocalUserPool {
  const id = text(input, 'UserPoolId');
  const pool = pools.get(id);
  if (!pool) throw new CognitoError('ResourceNotFoundException', `User pool ${id} does not exist.`);
  return pool;
}

/** The pool that has app client `clientId` (InitiateAuth names only the client). */
function poolOfClient(pools: Pools, clientId: string): LocalUserPool {
  const pool = [...pools.values()].find((p) => p.clientIds.includes(clientId));
  if (!pool) throw new CognitoError('ResourceNotFoundException', `User pool client ${clientId} does not exist.`);
  return pool;
}

function attributesOf(input: Input): Record<string, string> {
  const list = input['UserAttributes'];
  if (list === undefined) return {};
  if (!Array.isArray(list)) throw new CognitoError('InvalidParameterException', 'UserAttributes must be a list of {Name, Value}');
  const attributes: Record<string, string> = {};
  for (const entry of list as unknown[]) {
    const { Name, Value } = (entry ?? {}) as { Name?: unknown; Value?: unknown };
    if (typeof Name !== 'string' || typeof Value !== 'string') throw new CognitoError('InvalidParameterException', 'UserAttributes must be a list of {Name, Value}');
    attributes[Name] = Value;
  }
  return attributes;
}

const epochSeconds = (iso: string) => new Date(iso).getTime() / 1000;

function userJson(user: LocalUser, attributesKey: 'Attributes' | 'UserAttributes') {
  return {
    Username: user.username,
    [attributesKey]: Object.entries(user.attributes).map(([Name, Value]) => ({ Name, Value })),
    UserCreateDate: epochSeconds(user.created),
    UserLastModifiedDate: epochSeconds(user.modified),
    Enabled: user.enabled,
    UserStatus: user.status,
  };
}

function authParameters(input: Input): { username: string; password: string } {
  const parameters = (input['AuthParameters'] ?? {}) as Record<string, unknown>;
  const username = parameters['USERNAME'];
  const password = parameters['PASSWORD'];
  if (typeof username !== 'string' || typeof password !== 'string') throw new CognitoError('InvalidParameterException', 'Missing required parameter USERNAME or PASSWORD');
  return { username, password };
}

function authenticationAnswer(result: SignInResult) {
  if (result.kind === 'challenge') {
    // No RespondToAuthChallenge locally: an administrator sets a permanent password instead.
    return { ChallengeName: result.challengeName, ChallengeParameters: { USER_ID_FOR_SRP: result.username }, Session: `local-${crypto.randomUUID()}` };
  }
  return { ChallengeParameters: {}, AuthenticationResult: { IdToken: result.idToken, AccessToken: result.accessToken, ExpiresIn: result.expiresIn, TokenType: 'Bearer' } };
}

const OPERATIONS: Record<string, Operation> = {
  AdminCreateUser: (pools, input) => {
    const pool = poolOf(pools, input);
    const temporary = input['TemporaryPassword'];
    const user = pool.users.create(text(input, 'Username'), attributesOf(input), typeof temporary === 'string' ? temporary : undefined);
    return { User: userJson(user, 'Attributes') };
  },
  AdminGetUser: (pools, input) => userJson(poolOf(pools, input).users.get(text(input, 'Username')), 'UserAttributes'),
  AdminSetUserPassword: (pools, input) => {
    poolOf(pools, input).users.setPassword(text(input, 'Username'), text(input, 'Password'), input['Permanent'] === true);
    return {};
  },
  AdminAddUserToGroup: (pools, input) => {
    poolOf(pools, input).users.addToGroup(text(input, 'Username'), text(input, 'GroupName'));
    return {};
  },
  AdminInitiateAuth: async (pools, input) => {
    const { username, password } = authParameters(input);
    return authenticationAnswer(await poolOf(pools, input).signIn(text(input, 'ClientId'), text(input, 'AuthFlow'), username, password));
  },
  InitiateAuth: async (pools, input) => {
    const clientId = text(input, 'ClientId');
    const { username, password } = authParameters(input);
    const flow = text(input, 'AuthFlow');
    if (flow.startsWith('ADMIN_')) throw new CognitoError('InvalidParameterException', `${flow} is an AdminInitiateAuth flow`);
    return authenticationAnswer(await poolOfClient(pools, clientId).signIn(clientId, flow, username, password));
  },
};

/** The operations this endpoint answers (the others answer UnknownOperationException). */
export const COGNITO_OPERATIONS = Object.keys(OPERATIONS);

export function answerCognito(pools: Pools, target: string, input: Input | undefined): Promise<AwsJsonAnswer> {
  return answerOperations(
    { target, input },
    { serviceName: 'Cognito', targetPrefix: TARGET_PREFIX, operations: OPERATIONS, service: pools, isServiceError: (error) => error instanceof CognitoError },
  );
}

export type CognitoEndpoint = AwsJsonServer;

/** Serves LocalUserPools (by pool id) over AWS's protocol; `AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER` points the SDK at it. */
export function startCognitoEndpoint(pools: Pools, options: Omit<AwsJsonServerOptions, 'contentType'> = {}): Promise<CognitoEndpoint> {
  return startAwsJsonServer((request) => answerCognito(pools, request.target, request.json()), { ...options, contentType: 'application/x-amz-json-1.1' });
}
