import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type JWK, jwtVerify, type JWTPayload, createLocalJWKSet, SignJWT } from 'jose';

/**
 * A Cognito user pool on this machine, as far as tokens go: it signs ID tokens shaped like
 * Cognito's (RS256 with a `kid`, `sub`, `cognito:groups`, `token_use: id`, `iss`, `aud`,
 * `auth_time`, `iat`, `exp`), publishes its JWKS, and verifies tokens as API Gateway's Cognito
 * authorizer does. Its key pair is made at first start and kept (a file), so tokens survive a
 * restart; without a file it lives in memory.
 */

export interface LocalUserPoolOptions {
  region?: string;
  /** The pool's id (`<region>_<id>`). */
  userPoolId?: string;
  /** The app clients whose ids may be a token's `aud`. */
  clientIds: readonly string[];
  /** Where the key pair is kept (JSON); none: a new pair each start. */
  keyFile?: string;
}

export interface IssueOptions {
  sub: string;
  groups?: readonly string[];
  /** The app client (`aud`); the first client by default. */
  clientId?: string;
  ttlSeconds?: number;
  /** Extra claims (email, `cognito:username`...). */
  claims?: Record<string, unknown>;
  /** The signing time (seconds since the epoch); now by default. */
  now?: number;
  /** `access` makes an access-token-shaped token (which API Gateway's authorizer, without scopes, refuses). */
  tokenUse?: 'id' | 'access';
}

type SigningKey = Parameters<SignJWT['sign']>[0];

/** A token the pool would not vouch for: why, in words (never echoed to a client). */
export class TokenRejectedError extends Error {
  override name = 'TokenRejectedError';
}

interface KeyFile {
  kid: string;
  privateJwk: JWK;
  publicJwk: JWK;
}

export const DEFAULT_TOKEN_TTL_SECONDS = 3600;

export class LocalUserPool {
  readonly issuer: string;
  readonly userPoolId: string;
  readonly clientIds: readonly string[];

  private constructor(
    options: LocalUserPoolOptions,
    private readonly key: { kid: string; privateKey: SigningKey; publicJwk: JWK },
  ) {
    const region = options.region ?? 'us-east-1';
    this.userPoolId = options.userPoolId ?? `${region}_local`;
    this.issuer = `https://cognito-idp.${region}.amazonaws.com/${this.userPoolId}`;
    this.clientIds = options.clientIds;
  }

  static async open(options: LocalUserPoolOptions): Promise<LocalUserPool> {
    if (options.clientIds.length === 0) throw new Error('a user pool needs at least one app client');
    let stored: KeyFile | undefined;
    if (options.keyFile && existsSync(options.keyFile)) stored = JSON.parse(readFileSync(options.keyFile, 'utf8')) as KeyFile;
    if (!stored) {
      const pair = await generateKeyPair('RS256', { extractable: true });
      const kid = crypto.randomUUID();
      stored = { kid, privateJwk: await exportJWK(pair.privateKey), publicJwk: { ...(await exportJWK(pair.publicKey)), kid, alg: 'RS256', use: 'sig' } };
      if (options.keyFile) {
        mkdirSync(dirname(options.keyFile), { recursive: true });
        writeFileSync(options.keyFile, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
      }
    }
    const privateKey = await importJWK(stored.privateJwk, 'RS256');
    return new LocalUserPool(options, { kid: stored.kid, privateKey, publicJwk: stored.publicJwk });
  }

  /** The pool's public keys, as `https://cognito-idp.../<pool>/.well-known/jwks.json` publishes them. */
  jwks(): { keys: JWK[] } {
    return { keys: [this.key.publicJwk] };
  }

  /** An ID token for `sub`, signed now. */
  async issueIdToken(options: IssueOptions): Promise<string> {
    const now = options.now ?? Math.floor(Date.now() / 1000);
    const clientId = options.clientId ?? this.clientIds[0];
    return new SignJWT({
      ...options.claims,
      ...(options.groups && options.groups.length > 0 ? { 'cognito:groups': [...options.groups] } : {}),
      'cognito:username': options.sub,
      token_use: options.tokenUse ?? 'id',
      auth_time: now,
      event_id: crypto.randomUUID(),
    })
      .setProtectedHeader({ alg: 'RS256', kid: this.key.kid, typ: 'JWT' })
      .setSubject(options.sub)
      .setIssuer(this.issuer)
      .setAudience(clientId as string)
      .setIssuedAt(now)
      .setExpirationTime(now + (options.ttlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS))
      .sign(this.key.privateKey);
  }

  /**
   * The claims of an ID token this pool signed for one of its clients, still valid — as API
   * Gateway's Cognito authorizer checks it; TokenRejectedError otherwise (another key, `alg:
   * none` or HS256, expired, another issuer or audience, an access token).
   */
  async verify(token: string): Promise<JWTPayload> {
    try {
      const { payload } = await jwtVerify(token, createLocalJWKSet(this.jwks()), {
        algorithms: ['RS256'],
        issuer: this.issuer,
        audience: [...this.clientIds],
        requiredClaims: ['sub', 'exp', 'iat', 'token_use'],
      });
      if (payload['token_use'] !== 'id') throw new TokenRejectedError('not an ID token');
      return payload;
    } catch (error) {
      if (error instanceof TokenRejectedError) throw error;
      throw new TokenRejectedError((error as Error).message);
    }
  }
}
