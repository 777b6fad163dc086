import { randomBytes, randomUUID, scryptSync, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The users of a local Cognito user pool: created by an administrator (AdminCreateUser), given
 * a password (temporary or permanent), put in groups, signed in with a password. Passwords are
 * kept as scrypt hashes; the directory lives in a JSON file when given one, so users survive a
 * restart.
 */

/** An error as Cognito names it (`__type` of the AWS answer): UsernameExistsException, NotAuthorizedException... */
export class CognitoError extends Error {
  constructor(
    override readonly name: string,
    message: string,
  ) {
    super(message);
  }
}

export type UserStatus = 'FORCE_CHANGE_PASSWORD' | 'CONFIRMED';

export interface LocalUser {
  /** The user name; with `usernameAttributes` it is the `sub` (the email is an alias). */
  username: string;
  sub: string;
  attributes: Record<string, string>;
  status: UserStatus;
  enabled: boolean;
  groups: string[];
  created: string;
  modified: string;
  password?: { salt: string; hash: string };
}

/** The pool's password policy, as CloudFormation's `Policies.PasswordPolicy` spells it. */
export interface PasswordPolicy {
  MinimumLength?: number;
  RequireLowercase?: boolean;
  RequireUppercase?: boolean;
  RequireNumbers?: boolean;
  RequireSymbols?: boolean;
}

export interface UserDirectoryOptions {
  /** Attributes that stand in for the user name (`email`): the name is then a generated `sub`. */
  usernameAttributes?: readonly string[];
  passwordPolicy?: PasswordPolicy;
  /** The pool's groups; unset: any group name is accepted. */
  groups?: readonly string[];
  /** Where the users are kept (JSON); none: in memory. */
  file?: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const SYMBOLS = /[\^$*.[\]{}()?"!@#%&/\\,><':;|_~`=+-]/;

function hashPassword(password: string, salt = randomBytes(16).toString('hex')): { salt: string; hash: string } {
  return { salt, hash: scryptSync(password, salt, 32).toString('hex') };
}

export class LocalUserDirectory {
  private readonly users = new Map<string, LocalUser>();

  constructor(private readonly options: UserDirectoryOptions = {}) {
    if (options.file && existsSync(options.file)) {
      for (const user of JSON.parse(readFileSync(options.file, 'utf8')) as LocalUser[]) this.users.set(user.username, user);
    }
  }

  /** AdminCreateUser: a user with a temporary password (if given) who must choose one at first sign-in. */
  create(username: string, attributes: Record<string, string>, temporaryPassword?: string): LocalUser {
    const aliases = this.options.usernameAttributes ?? [];
    if (aliases.includes('email')) {
      if (!EMAIL.test(username)) throw new CognitoError('InvalidParameterException', 'Username should be an email.');
      attributes = { ...attributes, email: attributes['email'] ?? username };
    }
    if (this.find(username) || (attributes['email'] && aliases.includes('email') && this.findByAlias('email', attributes['email']))) {
      throw new CognitoError('UsernameExistsException', 'An account with the given email already exists.');
    }
    if (temporaryPassword !== undefined) this.checkPolicy(temporaryPassword);
    const sub = randomUUID();
    const now = new Date().toISOString();
    const user: LocalUser = {
      username: aliases.length > 0 ? sub : username,
      sub,
      attributes: { ...attributes, sub },
      status: 'FORCE_CHANGE_PASSWORD',
      enabled: true,
      groups: [],
      created: now,
      modified: now,
      ...(temporaryPassword !== undefined ? { password: hashPassword(temporaryPassword) } : {}),
    };
    this.users.set(user.username, user);
    this.save();
    return user;
  }

  /** A user by name or, with `usernameAttributes`, by alias; UserNotFoundException otherwise. */
  get(username: string): LocalUser {
    const user = this.find(username);
    if (!user) throw new CognitoError('UserNotFoundException', 'User does not exist.');
    return user;
  }

  /** AdminSetUserPassword: permanent confirms the user; otherwise the password is temporary. */
  setPassword(username: string, password: string, permanent: boolean): void {
    const user = this.get(username);
    this.checkPolicy(password);
    user.password = hashPassword(password);
    user.status = permanent ? 'CONFIRMED' : 'FORCE_CHANGE_PASSWORD';
    user.modified = new Date().toISOString();
    this.save();
  }

  addToGroup(username: string, group: string): void {
    const user = this.get(username);
    if (this.options.groups && !this.options.groups.includes(group)) throw new CognitoError('ResourceNotFoundException', 'Group not found.');
    if (!user.groups.includes(group)) user.groups.push(group);
    user.modified = new Date().toISOString();
    this.save();
  }

  /** The user whose password this is, or NotAuthorizedException (the same words whatever was wrong, as Cognito). */
  authenticate(username: string, password: string): LocalUser {
    const user = this.find(username);
    const wrong = new CognitoError('NotAuthorizedException', 'Incorrect username or password.');
    if (!user?.password) throw wrong;
    const given = hashPassword(password, user.password.salt).hash;
    if (!timingSafeEqual(Buffer.from(given, 'hex'), Buffer.from(user.password.hash, 'hex'))) throw wrong;
    if (!user.enabled) throw new CognitoError('NotAuthorizedException', 'User is disabled.');
    return user;
  }

  list(): LocalUser[] {
    return [...this.users.values()];
  }

  private find(username: string): LocalUser | undefined {
    return this.users.get(username) ?? this.findByAlias('email', username);
  }

  private findByAlias(attribute: string, value: string): LocalUser | undefined {
    if (!(this.options.usernameAttributes ?? []).includes(attribute)) return undefined;
    const wanted = value.toLowerCase();
    return [...this.users.values()].find((u) => u.attributes[attribute]?.toLowerCase() === wanted);
  }

  private checkPolicy(password: string): void {
    const policy = this.options.passwordPolicy ?? {};
    const problems: string[] = [];
    if (password.length < (policy.MinimumLength ?? 8)) problems.push('not long enough');
    if (policy.RequireLowercase && !/[a-z]/.test(password)) problems.push('must have lowercase characters');
    if (policy.RequireUppercase && !/[A-Z]/.test(password)) problems.push('must have uppercase characters');
    if (policy.RequireNumbers && !/[0-9]/.test(password)) problems.push('must have numeric characters');
    if (policy.RequireSymbols && !SYMBOLS.test(password)) problems.push('must have symbol characters');
    if (problems.length > 0) throw new CognitoError('InvalidPasswordException', `Password did not conform with policy: Password ${problems.join(', ')}`);
  }

  private save(): void {
    if (!this.options.file) return;
    mkdirSync(dirname(this.options.file), { recursive: true });
    // Written aside and renamed: a crash leaves the old directory or the new one, never half of one.
    const temporary = `${this.options.file}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(this.list(), null, 2)}\n`, { mode: 0o600 });
    renameSync(temporary, this.options.file);
  }
}
