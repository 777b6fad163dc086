import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt, decodeProtectedHeader, SignJWT, generateKeyPair } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalUserPool, TokenRejectedError } from './local-user-pool';

const dir = mkdtempSync(join(tmpdir(), 'user-pool-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('LocalUserPool', () => {
  it('signs ID tokens shaped like Cognito\'s, and verifies them', async () => {
    const pool = await LocalUserPool.open({ region: 'eu-west-1', clientIds: ['storefront'] });
    const token = await pool.issueIdToken({ sub: 'cust-42', groups: ['operators'] });
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'RS256', kid: pool.jwks().keys[0]?.kid });
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({ sub: 'cust-42', 'cognito:groups': ['operators'], token_use: 'id', aud: 'storefront', iss: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_local' });
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(3600);
    expect(await pool.verify(token)).toMatchObject({ sub: 'cust-42' });
    expect(pool.jwks().keys[0]).not.toHaveProperty('d');
  });

  it('refuses a token of another key, an expired one, alg none, another audience, an access token, garbage', async () => {
    const pool = await LocalUserPool.open({ clientIds: ['storefront'] });
    const other = await LocalUserPool.open({ clientIds: ['storefront'] });
    const refused = async (token: string) => expect(pool.verify(token)).rejects.toBeInstanceOf(TokenRejectedError);
    await refused(await other.issueIdToken({ sub: 'cust-1' }));
    await refused(await pool.issueIdToken({ sub: 'cust-1', now: Math.floor(Date.now() / 1000) - 7200 }));
    const claims = decodeJwt(await pool.issueIdToken({ sub: 'cust-1' }));
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    await refused(`${encode({ alg: 'none', typ: 'JWT' })}.${encode(claims)}.`);
    const hmac = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode('a shared secret of 32 bytes!!!!!'));
    await refused(hmac);
    await refused(await pool.issueIdToken({ sub: 'cust-1', clientId: 'someone-else' }));
    const { privateKey } = await generateKeyPair('RS256');
    await refused(await new SignJWT({ ...claims }).setProtectedHeader({ alg: 'RS256', kid: pool.jwks().keys[0]?.kid ?? '' }).sign(privateKey));
    await refused(await pool.issueIdToken({ sub: 'cust-1', tokenUse: 'access' }));
    await refused('not.a.jwt');
    await refused('');
  });

  it('keeps its key pair in a file: tokens signed before a restart still verify', async () => {
    const keyFile = join(dir, 'identity', 'user-pool.json');
    const first = await LocalUserPool.open({ clientIds: ['storefront'], keyFile });
    const token = await first.issueIdToken({ sub: 'cust-7' });
    const again = await LocalUserPool.open({ clientIds: ['storefront'], keyFile });
    expect(await again.verify(token)).toMatchObject({ sub: 'cust-7' });
    expect(again.jwks()).toEqual(first.jwks());
  });
});
