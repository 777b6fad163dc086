import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { cacheDir } from '@orderflow/dynamodb-local';

export const LOAD_USERS_USAGE = `Usage: npm run load-users -- [target] [options]

Creates load-test users in a user pool (verified, no invitation sent, idempotent), gives them a
fresh password, signs each in once and writes their credentials — a JSON array of
{customerId, token} — for npm run load --tokens-file and k6's TOKENS_FILE. ID tokens last an hour.

Target, one of:
  --outputs-file <file>    cdk deploy --outputs-file output: UserPoolId and LoadTestClientId
  --user-pool-id <id> --client-id <id>   the pool and its load-test client (LoadTestClientId)
  --base-url <url>         a local stack (npm start): its Cognito endpoint and pool, from /_local/info

  --count <n>              users (default 50; the scenarios spread over up to 500)
  --out <file>             where to write the credentials (default .cache/load-users.tokens.json)
  --endpoint-url <url>     Cognito's API elsewhere than AWS's
  -h, --help               this text

In AWS it needs credentials allowed cognito-idp:AdminCreateUser, AdminSetUserPassword and
AdminInitiateAuth on the pool; the region is the pool id's.`;

export class LoadUsersUsageError extends Error {
  override name = 'LoadUsersUsageError';
}

export type LoadUsersTarget =
  | { kind: 'pool'; userPoolId: string; clientId: string; endpointUrl: string | undefined }
  | { kind: 'local'; baseUrl: string };

export interface LoadUsersOptions {
  target: LoadUsersTarget;
  count: number;
  out: string;
}

/** Pool and client from `cdk deploy --outputs-file` (the first stack that has both). */
export function poolFromOutputsFile(path: string): { userPoolId: string; clientId: string } {
  let outputs: unknown;
  try {
    outputs = JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch (error) {
    throw new LoadUsersUsageError(`cannot read ${path}: ${(error as Error).message}`);
  }
  for (const stack of Object.values((outputs ?? {}) as Record<string, Record<string, unknown>>)) {
    const userPoolId = stack?.['UserPoolId'];
    const clientId = stack?.['LoadTestClientId'];
    if (typeof userPoolId === 'string' && typeof clientId === 'string') return { userPoolId, clientId };
  }
  throw new LoadUsersUsageError(`${path} has no stack with the outputs UserPoolId and LoadTestClientId (is the stack's loadTestClient off?)`);
}

export function parseLoadUsersOptions(argv: string[]): LoadUsersOptions | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        'outputs-file': { type: 'string' },
        'user-pool-id': { type: 'string' },
        'client-id': { type: 'string' },
        'base-url': { type: 'string' },
        'endpoint-url': { type: 'string' },
        count: { type: 'string', default: '50' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }));
  } catch (error) {
    throw new LoadUsersUsageError((error as Error).message);
  }
  if (values.help) return 'help';
  const count = Number(values.count);
  if (!Number.isInteger(count) || count < 1 || count > 10_000) throw new LoadUsersUsageError('--count is a whole number from 1 to 10000');
  const given = [values['outputs-file'], values['user-pool-id'] ?? values['client-id'], values['base-url']].filter((v) => v !== undefined);
  if (given.length !== 1) throw new LoadUsersUsageError('give one target: --outputs-file, --user-pool-id with --client-id, or --base-url');
  let target: LoadUsersTarget;
  if (values['base-url'] !== undefined) {
    if (!/^https?:\/\//.test(values['base-url'])) throw new LoadUsersUsageError('--base-url is http(s)://host:port');
    target = { kind: 'local', baseUrl: values['base-url'].replace(/\/+$/, '') };
  } else {
    const pool = values['outputs-file'] !== undefined ? poolFromOutputsFile(values['outputs-file']) : { userPoolId: values['user-pool-id'] ?? '', clientId: values['client-id'] ?? '' };
    if (!/^[\w-]+_[0-9a-zA-Z]+$/.test(pool.userPoolId)) throw new LoadUsersUsageError('--user-pool-id is <region>_<id>');
    if (pool.clientId === '') throw new LoadUsersUsageError('--client-id is needed with --user-pool-id');
    target = { kind: 'pool', ...pool, endpointUrl: values['endpoint-url'] };
  }
  return { target, count, out: values.out ?? join(cacheDir(), 'load-users.tokens.json') };
}

/** A pool id's region: `eu-west-1_AbC123` → `eu-west-1`. */
export const regionOfPool = (userPoolId: string) => userPoolId.slice(0, userPoolId.indexOf('_'));
