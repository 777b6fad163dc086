import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LoadUsersUsageError, parseLoadUsersOptions, regionOfPool } from './load-users-options';

describe('npm run load-users options', () => {
  it('take a pool and client, a local stack, or cdk outputs', () => {
    expect(parseLoadUsersOptions(['--user-pool-id', 'eu-west-1_AbC123', '--client-id', 'abc', '--count', '20', '--out', 't.json'])).toEqual({
      target: { kind: 'pool', userPoolId: 'eu-west-1_AbC123', clientId: 'abc', endpointUrl: undefined },
      count: 20,
      out: 't.json',
    });
    const local = parseLoadUsersOptions(['--base-url', 'http://localhost:3000/']);
    expect(local).toMatchObject({ target: { kind: 'local', baseUrl: 'http://localhost:3000' }, count: 50 });
    expect(local !== 'help' && local.out).toMatch(/\.cache\/load-users\.tokens\.json$/);

    const outputs = join(mkdtempSync(join(tmpdir(), 'outputs-')), 'cdk-outputs.json');
    writeFileSync(outputs, JSON.stringify({ Other: { ApiUrl: 'x' }, Orderflow: { UserPoolId: 'us-east-2_Zz9', LoadTestClientId: 'client9' } }));
    expect(parseLoadUsersOptions(['--outputs-file', outputs])).toMatchObject({ target: { kind: 'pool', userPoolId: 'us-east-2_Zz9', clientId: 'client9' } });
    expect(parseLoadUsersOptions(['-h'])).toBe('help');
    expect(regionOfPool('us-east-2_Zz9')).toBe('us-east-2');
  });

  it('refuse no target, two targets, a bad pool id, a bad count, unknown options', () => {
    const bad = [
      [],
      ['--base-url', 'http://localhost:3000', '--user-pool-id', 'eu-west-1_A', '--client-id', 'c'],
      ['--user-pool-id', 'nope', '--client-id', 'c'],
      ['--user-pool-id', 'eu-west-1_A'],
      ['--base-url', 'localhost:3000'],
      ['--base-url', 'http://localhost:3000', '--count', '0'],
      ['--base-url', 'http://localhost:3000', '--frobnicate'],
      ['--outputs-file', '/nonexistent.json'],
    ];
    for (const argv of bad) expect(() => parseLoadUsersOptions(argv), argv.join(' ')).toThrow(LoadUsersUsageError);
  });
});
