import '@orderflow/workspace/quiet-aws-sdk';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { CognitoLoadUserPool } from './cognito-load-user-pool';
import { LOAD_USERS_USAGE, type LoadUsersTarget, LoadUsersUsageError, parseLoadUsersOptions, regionOfPool } from './load-users-options';
import { LoadUsersError, provisionLoadUsers } from './provision-load-users';

/** `npm run load-users`: load-test users in a pool and their tokens in a file. */


/** A password Cognito's policy takes (12+, upper, lower, digit), new each run. */
const newPassword = () => `Lt-${randomBytes(18).toString('base64url')}-9aZ`;

interface ResolvedPool {
  userPoolId: string;
  clientId: string;
  endpointUrl: string | undefined;
  local: boolean;
}

/** A local stack tells where its Cognito endpoint and pool are; its load-test client is the one named LoadTest. */
async function resolvePool(target: LoadUsersTarget): Promise<ResolvedPool> {
  if (target.kind === 'pool') return { ...target, local: false };
  const response = await fetch(`${target.baseUrl}/_local/info`).catch(() => undefined);
  if (!response?.ok) throw new LoadUsersError(`${target.baseUrl} is not a local stack (GET /_local/info failed): is npm start running?`);
  const info = (await response.json()) as { identity?: { userPoolId?: string; clientIds?: string[]; cognitoEndpoint?: string } | null };
  const clientId = info.identity?.clientIds?.find((id) => id.includes('LoadTest'));
  if (!info.identity?.userPoolId || !info.identity.cognitoEndpoint || !clientId) {
    throw new LoadUsersError(`${target.baseUrl} has no user pool with a LoadTest client`);
  }
  return { userPoolId: info.identity.userPoolId, clientId, endpointUrl: info.identity.cognitoEndpoint, local: true };
}

async function main(argv: string[]): Promise<number> {
  const options = parseLoadUsersOptions(argv);
  if (options === 'help') {
    process.stdout.write(`${LOAD_USERS_USAGE}\n`);
    return 0;
  }
  const pool = await resolvePool(options.target);
  const cognito = new CognitoIdentityProviderClient({
    region: regionOfPool(pool.userPoolId),
    retryMode: 'adaptive',
    maxAttempts: 8,
    ...(pool.endpointUrl ? { endpoint: pool.endpointUrl } : {}),
    // A local endpoint checks no signature, but the SDK signs: any credentials do.
    ...(pool.local ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  });
  try {
    process.stderr.write(`load-users: ${options.count} users in ${pool.userPoolId} (client ${pool.clientId})\n`);
    const step = Math.max(1, Math.ceil(options.count / 10));
    const credentials = await provisionLoadUsers({
      pool: new CognitoLoadUserPool(cognito, pool.userPoolId, pool.clientId),
      count: options.count,
      password: newPassword(),
      onProgress: (done, created) => {
        if (done % step === 0 || done === options.count) process.stderr.write(`  ${done}/${options.count} signed in (${created} created)\n`);
      },
    });
    mkdirSync(dirname(options.out), { recursive: true });
    writeFileSync(options.out, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
    process.stdout.write(`${options.out}: ${credentials.length} customers' ID tokens (valid for an hour)\n`);
    return 0;
  } finally {
    cognito.destroy();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof LoadUsersUsageError) {
      process.stderr.write(`${error.message}\n\n${LOAD_USERS_USAGE}\n`);
      process.exit(2);
    }
    process.stderr.write(`load-users: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}\n`);
    process.exit(1);
  },
);
