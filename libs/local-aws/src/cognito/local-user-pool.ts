import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { CognitoError, LocalUserDirectory, type PasswordPolicy } from './user-directory';
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
  /** Where the users are kept (JSON); none: in memory. */
  usersFile?: string;
  /** Attributes that sign a user in instead of a user name (the template's `UsernameAttributes`). */
  usernameAttributes?: readonly string[];
  passwordPolicy?: PasswordPolicy;
  /** The pool's groups (unset: any). */
  groups?: readonly string[];
  /** Each client's `ExplicitAuthFlows` (ALLOW_USER_PASSWORD_AUTH...); a client not named here allows every flow. */
  clientAuthFlows?: Readonly<Record<string, readonly string[]>>;
}

/** What a password sign-in gives: Cognito's AuthenticationResult, or the challenge of a user who must first choose a password. */
export type SignInResult =
  | { kind: 'tokens'; idToken: string; accessToken: string; expiresIn: number }
  | { kind: 'challenge'; challengeName: 'NEW_PASSWORD_REQUIRED'; username: string };

/** The password flows of InitiateAuth/AdminInitiateAuth and the ExplicitAuthFlows value that allows each. */
const FLOW_PERMISSION: Record<string, string> = {
  USER_PASSWORD_AUTH: 'ALLOW_USER_PASSWORD_AUTH',
  ADMIN_USER_PASSWORD_AUTH: 'ALLOW_ADMIN_USER_PASSWORD_AUTH',
  ADMIN_NO_SRP_AUTH: 'ALLOW_ADMIN_USER_PASSWORD_AUTH',
};

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
  readonly users: LocalUserDirectory;
  private readonly clientAuthFlows: Readonly<Record<string, readonly string[]>>;

  private constructor(
    options: LocalUserPoolOptions,
    private readonly key: { kid: string; privateKey: SigningKey; publicJwk: JWK },
  ) {
    const region = options.region ?? 'us-east-1';
    this.userPoolId = options.userPoolId ?? `${region}_local`;
    this.issuer = `https://cognito-idp.${region}.amazonaws.com/${this.userPoolId}`;
    this.clientIds = options.clientIds;
    this.clientAuthFlows = options.clientAuthFlows ?? {};
    this.users = new LocalUserDirectory({
      ...(options.usernameAttributes ? { usernameAttributes: options.usernameAttributes } : {}),
      ...(options.passwordPolicy ? { passwordPolicy: options.passwordPolicy } : {}),
      ...(options.groups ? { groups: options.groups } : {}),
      ...(options.usersFile ? { file: options.usersFile } : {}),
    });
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
      'cognito:username': options.sub,
      ...options.claims,
      ...(options.groups && options.groups.length > 0 ? { 'cognito:groups': [...options.groups] } : {}),
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
   * A user's sign-in with a password through app client `clientId` (InitiateAuth's
   * USER_PASSWORD_AUTH, AdminInitiateAuth's ADMIN_USER_PASSWORD_AUTH): their ID token (sub,
   * groups, email) and an access token, or NEW_PASSWORD_REQUIRED for a temporary password.
   */
  async signIn(clientId: string, flow: string, username: string, password: string): Promise<SignInResult> {
    if (!this.clientIds.includes(clientId)) throw new CognitoError('ResourceNotFoundException', `User pool client ${clientId} does not exist.`);
    const permission = FLOW_PERMISSION[flow];
    if (!permission) throw new CognitoError('InvalidParameterException', `Unsupported auth flow ${flow}: only password flows are available locally.`);
    const allowed = this.clientAuthFlows[clientId];
    if (allowed && !allowed.includes(permission)) throw new CognitoError('InvalidParameterException', 'Auth flow not enabled for this client');
    const user = this.users.authenticate(username, password);
    if (user.status === 'FORCE_CHANGE_PASSWORD') return { kind: 'challenge', challengeName: 'NEW_PASSWORD_REQUIRED', username: user.username };
    const email = user.attributes['email'];
    const idToken = await this.issueIdToken({
      sub: user.sub,
      groups: user.groups,
      clientId,
      claims: { 'cognito:username': user.username, ...(email ? { email, email_verified: user.attributes['email_verified'] === 'true' } : {}) },
    });
    const accessToken = await this.issueIdToken({
      sub: user.sub,
      groups: user.groups,
      clientId,
      tokenUse: 'access',
      claims: { client_id: clientId, username: user.username, scope: 'aws.cognito.signin.user.admin' },
    });
    return { kind: 'tokens', idToken, accessToken, expiresIn: DEFAULT_TOKEN_TTL_SECONDS };
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
