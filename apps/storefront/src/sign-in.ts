import type { AuthConfig } from './config';
import { type Session, sessionFromToken } from './session';

/**
 * Signing in. Locally (npm start): the stack's development issuer gives a token for the
 * Customer ID typed in. In AWS: Cognito's hosted UI with the authorization code and PKCE — the
 * shop keeps a verifier, sends its SHA-256 as the challenge, and trades the code for tokens.
 */

export class SignInError extends Error {
  override name = 'SignInError';
}

export async function signInLocally(fetchFn: typeof fetch, config: Extract<AuthConfig, { mode: 'local' }>, customerId: string): Promise<Session> {
  const response = await fetchFn(config.tokenUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ customerId }) });
  const body = (await response.json().catch(() => ({}))) as { token?: string; error?: { message?: string; details?: { message: string }[] } };
  if (!response.ok || !body.token) throw new SignInError(body.error?.details?.[0]?.message ?? body.error?.message ?? 'Sign-in failed.');
  const session = sessionFromToken(body.token);
  if (!session) throw new SignInError('The sign-in gave a token without a customer.');
  return session;
}

const base64url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

/** A PKCE verifier (43+ characters) and its S256 challenge. */
export async function pkcePair(random: (bytes: Uint8Array<ArrayBuffer>) => Uint8Array<ArrayBuffer> = (b) => crypto.getRandomValues(b)): Promise<{ verifier: string; challenge: string }> {
  const verifier = base64url(random(new Uint8Array(32)));
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  return { verifier, challenge: base64url(digest) };
}

export function hostedUiUrl(config: Extract<AuthConfig, { mode: 'cognito' }>, challenge: string, state: string): string {
  const params = new URLSearchParams({
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: config.redirectUri,
    scope: (config.scopes ?? ['openid', 'email', 'profile']).join(' '),
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state,
  });
  return `${config.domain}/oauth2/authorize?${params.toString()}`;
}

export async function exchangeCode(fetchFn: typeof fetch, config: Extract<AuthConfig, { mode: 'cognito' }>, code: string, verifier: string): Promise<Session> {
  const response = await fetchFn(`${config.domain}/oauth2/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', client_id: config.clientId, code, redirect_uri: config.redirectUri, code_verifier: verifier }).toString(),
  });
  const body = (await response.json().catch(() => ({}))) as { id_token?: string; error?: string };
  const session = body.id_token ? sessionFromToken(body.id_token) : undefined;
  if (!response.ok || !session) throw new SignInError(body.error ? `Sign-in failed: ${body.error}` : 'Sign-in failed.');
  return session;
}
