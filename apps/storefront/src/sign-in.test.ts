import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { exchangeCode, hostedUiUrl, pkcePair, SignInError, signInLocally } from './sign-in';

const token = (claims: Record<string, unknown>) => `h.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.s`;
const cognito = { mode: 'cognito' as const, domain: 'https://shop.auth.eu-west-1.amazoncognito.com', clientId: 'client1', redirectUri: 'https://shop.example/shop/' };

describe('signing in', () => {
  it('locally: a token of the development issuer for the Customer ID typed in', async () => {
    const fetchFn = (async (_url: string, init: RequestInit) => {
      const { customerId } = JSON.parse(String(init.body)) as { customerId: string };
      return new Response(JSON.stringify({ token: token({ sub: customerId, exp: 9_999_999_999 }), expiresIn: 3600 }), { status: 200 });
    }) as typeof fetch;
    expect(await signInLocally(fetchFn, { mode: 'local', tokenUrl: '/_local/auth/token' }, 'cust-42')).toMatchObject({ customerId: 'cust-42' });
    const refusing = (async () => new Response(JSON.stringify({ error: { message: 'x', details: [{ message: "customerId may contain only letters, digits, '-' and '_'" }] } }), { status: 400 })) as typeof fetch;
    await expect(signInLocally(refusing, { mode: 'local', tokenUrl: '/t' }, 'bad id')).rejects.toThrow(/may contain only/);
  });

  it('in AWS: PKCE (S256 of the verifier) through the hosted UI, the code traded for an ID token', async () => {
    const { verifier, challenge } = await pkcePair();
    expect(verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(challenge).toBe(createHash('sha256').update(verifier).digest('base64url'));
    const url = new URL(hostedUiUrl(cognito, challenge, 'state-1'));
    expect(url.origin + url.pathname).toBe('https://shop.auth.eu-west-1.amazoncognito.com/oauth2/authorize');
    expect(Object.fromEntries(url.searchParams)).toMatchObject({ response_type: 'code', client_id: 'client1', code_challenge_method: 'S256', code_challenge: challenge, state: 'state-1', scope: 'openid email profile' });

    let sent: URLSearchParams | undefined;
    const fetchFn = (async (_url: string, init: RequestInit) => {
      sent = new URLSearchParams(String(init.body));
      return new Response(JSON.stringify({ id_token: token({ sub: 'uuid-1', exp: 9_999_999_999 }) }), { status: 200 });
    }) as typeof fetch;
    expect(await exchangeCode(fetchFn, cognito, 'code-1', verifier)).toMatchObject({ customerId: 'uuid-1' });
    expect(sent?.get('code_verifier')).toBe(verifier);
    expect(sent?.get('grant_type')).toBe('authorization_code');
    const refused = (async () => new Response(JSON.stringify({ error: 'invalid_grant' }), { status: 400 })) as typeof fetch;
    await expect(exchangeCode(refused, cognito, 'c', verifier)).rejects.toBeInstanceOf(SignInError);
  });
});
