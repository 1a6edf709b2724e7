import type { ApiKeyListing, ApiKeysRepository, SessionsRepository, UserRole, UserRow, UsersRepository } from '@importer/db';
import { API_KEY_NAME_MAX_LENGTH, EMAIL_MAX_LENGTH, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, type SignUpPolicy } from '@importer/contracts';
import { z } from 'zod';
import { AccountError } from './accounts.errors.js';
import type { PasswordHasher } from './password-hasher.js';
import { apiKeyShownPrefix, isApiKey, isSessionToken, newApiKey, newSessionToken, tokenHash } from './tokens.js';

/** A session's or key's last use is written at most this often, not on every request. */
export const TOUCH_INTERVAL_MS = 60_000;

/** What the service needs of the repositories in `@importer/db`; tests put in-memory ones behind the same shapes. */
export interface AccountsRepositories {
  users: Pick<
    UsersRepository,
    'hasAny' | 'create' | 'createFirst' | 'findById' | 'findByEmail' | 'setPasswordHash' | 'setDisabledAt' | 'list' | 'findByIdentity' | 'linkIdentity'
  >;
  sessions: Pick<SessionsRepository, 'create' | 'findActive' | 'touch' | 'revoke' | 'revokeAllOfUser'>;
  apiKeys: Pick<ApiKeysRepository, 'create' | 'listForUser' | 'revoke' | 'findActiveByHash' | 'touch'>;
}

export interface AccountsSettings {
  /** How long a session lasts after its last use. */
  sessionTtlMs: number;
  /** Whether anyone may create an account (sign-up, or a first OIDC sign-in), or only an administrator adds people. */
  signUp: SignUpPolicy;
}

/** Someone an OIDC provider vouches for, as the sign-in module reads its ID token. */
export interface ExternalIdentity {
  issuer: string;
  subject: string;
  email: string | null;
  emailVerified: boolean;
}

/** A user as callers see them: no password hash, only whether there is one. */
export type Account = Omit<UserRow, 'passwordHash'> & { hasPassword: boolean };

export interface Credentials {
  email: string;
  password: string;
}

/** A session just opened: the token goes into the cookie and is never seen by the server again, only its hash. */
export interface IssuedSession {
  token: string;
  expiresAt: Date;
  account: Account;
}

/** Who a session cookie belongs to; `expiresAt` is the session's expiry after this use (for the cookie's Max-Age). */
export interface SessionCaller {
  account: Account;
  sessionId: string;
  expiresAt: Date;
}

/** Who an API key belongs to. */
export interface ApiKeyCaller {
  account: Account;
  apiKeyId: string;
}

/** A key just made: `key` is shown this once and stored only as its hash. */
export interface CreatedApiKey {
  key: string;
  apiKey: ApiKeyListing;
}

const EmailSchema = z.string().trim().toLowerCase().max(EMAIL_MAX_LENGTH).pipe(z.email());
const ApiKeyNameSchema = z.string().trim().min(1).max(API_KEY_NAME_MAX_LENGTH);
const IdSchema = z.uuid();

const toAccount = ({ passwordHash, ...user }: UserRow): Account => ({ ...user, hasPassword: passwordHash !== null });

function parseEmail(email: string): string {
  const parsed = EmailSchema.safeParse(email);
  if (!parsed.success) throw new AccountError('invalid_email', `That is not an email address we can use (at most ${EMAIL_MAX_LENGTH} characters).`);
  return parsed.data;
}

function checkNewPassword(password: string): void {
  if (password.length < PASSWORD_MIN_LENGTH || password.length > PASSWORD_MAX_LENGTH) {
    throw new AccountError('invalid_password', `A password needs ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters.`);
  }
}

const wrongCredentials = () => new AccountError('invalid_credentials', 'The email or the password is wrong.');

/**
 * Local accounts, server-side sessions and API keys, over the repositories. Passwords are argon2id hashes; session
 * tokens and API keys are 256-bit random strings handed out once and stored only as their SHA-256. Knows nothing of
 * HTTP: routes turn its AccountErrors into answers and its tokens into cookies.
 */
export class AccountsService {
  private readonly now: () => Date;
  private dummyHash: Promise<string> | undefined;

  constructor(
    private readonly repositories: AccountsRepositories,
    private readonly hasher: PasswordHasher,
    private readonly settings: AccountsSettings,
    options: { now?: () => Date } = {},
  ) {
    this.now = options.now ?? (() => new Date());
  }

  /** True until the first administrator exists: the web app then shows only the first-run page. */
  async needsFirstAdmin(): Promise<boolean> {
    return !(await this.repositories.users.hasAny());
  }

  /** Creates the first user, an administrator; refused (setup_done) once any user exists, also when two try at once. */
  async createFirstAdmin(credentials: Credentials): Promise<Account> {
    const setupDone = () => new AccountError('setup_done', 'The administrator account exists already; sign in instead.');
    if (await this.repositories.users.hasAny()) throw setupDone();
    const email = parseEmail(credentials.email);
    checkNewPassword(credentials.password);
    const created = await this.repositories.users.createFirst({ email, passwordHash: await this.hasher.hash(credentials.password), role: 'admin' });
    if (created === 'users_exist') throw setupDone();
    return toAccount(created);
  }

  /** Creates a user with a password (an administrator adding someone, or sign-up when it is open). */
  async createUser(credentials: Credentials & { role?: UserRole }): Promise<Account> {
    const email = parseEmail(credentials.email);
    checkNewPassword(credentials.password);
    const created = await this.repositories.users.create({ email, passwordHash: await this.hasher.hash(credentials.password), role: credentials.role ?? 'user' });
    if (created === 'email_taken') throw new AccountError('email_taken', 'There is an account with that email already.');
    return toAccount(created);
  }

  /** Creates an account and signs it in, when sign-up is open; the first account is only ever made by setup. */
  async signUp(credentials: Credentials): Promise<IssuedSession> {
    if (this.settings.signUp !== 'open') throw new AccountError('sign_up_closed', 'Sign-up is closed here: ask an administrator for an account.');
    if (await this.needsFirstAdmin()) throw new AccountError('setup_required', 'Create the administrator account first.');
    const account = await this.createUser(credentials);
    return this.openSession(account.id);
  }

  /**
   * Signs in someone an OIDC provider vouches for: the user linked to that identity; else the user with that verified
   * email, now linked; else, when sign-up is open, a new user without a password. An unverified email links nothing, so
   * nobody takes over an account by claiming its address at a provider.
   */
  async signInWithIdentity(identity: ExternalIdentity): Promise<IssuedSession> {
    if (await this.needsFirstAdmin()) throw new AccountError('setup_required', 'Create the administrator account first.');
    const linked = await this.repositories.users.findByIdentity(identity);
    if (linked) return this.openSession(linked.id);
    const email = identity.email && identity.emailVerified ? EmailSchema.safeParse(identity.email) : undefined;
    if (!email?.success) throw new AccountError('sign_up_closed', 'The provider did not vouch for an email address, so no account here can be matched to this sign-in.');
    const existing = await this.repositories.users.findByEmail(email.data);
    let userId = existing?.id;
    if (!userId) {
      if (this.settings.signUp !== 'open') throw new AccountError('sign_up_closed', `There is no account here for ${email.data}: ask an administrator for one.`);
      const created = await this.repositories.users.create({ email: email.data, passwordHash: null, role: 'user' });
      if (created === 'email_taken') throw new AccountError('email_taken', 'There is an account with that email already.');
      userId = created.id;
    }
    if ((await this.repositories.users.linkIdentity(userId, identity)) === 'taken') throw new AccountError('email_taken', 'That sign-in is linked to another account.');
    return this.openSession(userId);
  }

  /** Every user, oldest first: the administrators' users page. */
  async listUsers(): Promise<Account[]> {
    return (await this.repositories.users.list()).map(toAccount);
  }

  /** Disables a user (their sessions end at once, their keys stop working) or enables them again; never oneself. */
  async setDisabled(actingUserId: string, userId: string, disabled: boolean): Promise<Account> {
    if (!IdSchema.safeParse(userId).success) throw new AccountError('user_not_found', 'There is no such user.');
    if (disabled && actingUserId === userId) throw new AccountError('cannot_disable_self', 'You cannot disable your own account.');
    if (!(await this.repositories.users.setDisabledAt(userId, disabled ? this.now() : null))) throw new AccountError('user_not_found', 'There is no such user.');
    if (disabled) await this.repositories.sessions.revokeAllOfUser(userId);
    const user = await this.repositories.users.findById(userId);
    if (!user) throw new AccountError('user_not_found', 'There is no such user.');
    return toAccount(user);
  }

  /**
   * Checks the password and opens a session. An unknown email, a user without a password (OIDC only) and a malformed
   * email are checked against a dummy hash, so the answer takes as long as for a wrong password and tells none of them
   * apart. A disabled user is told so only after giving the right password.
   */
  async signIn(credentials: Credentials): Promise<IssuedSession> {
    if (credentials.password.length > PASSWORD_MAX_LENGTH) throw wrongCredentials();
    const email = EmailSchema.safeParse(credentials.email);
    const user = email.success ? await this.repositories.users.findByEmail(email.data) : undefined;
    const stored = user?.passwordHash ?? (await this.dummy());
    const matches = await this.hasher.verify(stored, credentials.password);
    if (!user?.passwordHash || !matches) throw wrongCredentials();
    if (user.disabledAt) throw new AccountError('account_disabled', 'This account is disabled; ask an administrator.');
    return this.issueSession(user);
  }

  /** Opens a session for a user signed in some other way (OIDC); refused for an unknown or disabled user. */
  async openSession(userId: string): Promise<IssuedSession> {
    const user = await this.repositories.users.findById(userId);
    if (!user) throw new AccountError('user_not_found', 'There is no such user.');
    if (user.disabledAt) throw new AccountError('account_disabled', 'This account is disabled; ask an administrator.');
    return this.issueSession(user);
  }

  /**
   * The user behind a session token, or null when the token is malformed, unknown, expired, or its user disabled.
   * A use more than TOUCH_INTERVAL_MS after the last one is recorded and moves the expiry to a full TTL from now.
   */
  async resolveSession(token: string): Promise<SessionCaller | null> {
    if (!isSessionToken(token)) return null;
    const now = this.now();
    const found = await this.repositories.sessions.findActive(tokenHash(token), now);
    if (!found || found.user.disabledAt) return null;
    let expiresAt = found.session.expiresAt;
    if (now.getTime() - found.session.lastSeenAt.getTime() >= TOUCH_INTERVAL_MS) {
      const extended = this.sessionExpiry(now);
      if (await this.repositories.sessions.touch(found.session.id, now, extended)) expiresAt = extended > expiresAt ? extended : expiresAt;
    }
    return { account: toAccount(found.user), sessionId: found.session.id, expiresAt };
  }

  /** Ends the token's session (sign-out); an unknown or malformed token ends nothing and is no error. */
  async revokeSession(token: string): Promise<void> {
    if (isSessionToken(token)) await this.repositories.sessions.revoke(tokenHash(token));
  }

  /**
   * Replaces the user's password once the current one checks out, and ends every other session of theirs (a thief's
   * included); `keepSessionId` is the session making the change, which stays signed in. Answers how many ended.
   */
  async changePassword(change: { userId: string; currentPassword: string; newPassword: string; keepSessionId?: string }): Promise<{ sessionsEnded: number }> {
    const user = await this.repositories.users.findById(change.userId);
    if (!user) throw new AccountError('user_not_found', 'There is no such user.');
    if (user.disabledAt) throw new AccountError('account_disabled', 'This account is disabled; ask an administrator.');
    checkNewPassword(change.newPassword);
    const current = change.currentPassword.length <= PASSWORD_MAX_LENGTH && user.passwordHash !== null && (await this.hasher.verify(user.passwordHash, change.currentPassword));
    if (!current) throw new AccountError('invalid_credentials', 'The current password is wrong.');
    await this.repositories.users.setPasswordHash(user.id, await this.hasher.hash(change.newPassword));
    return { sessionsEnded: await this.repositories.sessions.revokeAllOfUser(user.id, change.keepSessionId) };
  }

  /** Makes an API key for the user; the key itself is in the answer this once. */
  async createApiKey(userId: string, name: string): Promise<CreatedApiKey> {
    const parsed = ApiKeyNameSchema.safeParse(name);
    if (!parsed.success) throw new AccountError('invalid_api_key_name', `An API key needs a name of 1 to ${API_KEY_NAME_MAX_LENGTH} characters.`);
    const key = newApiKey();
    const apiKey = await this.repositories.apiKeys.create({ userId, name: parsed.data, prefix: apiKeyShownPrefix(key), keyHash: tokenHash(key) });
    return { key, apiKey };
  }

  /** The user's keys that are not revoked, newest first, without any secret. */
  async listApiKeys(userId: string): Promise<ApiKeyListing[]> {
    return this.repositories.apiKeys.listForUser(userId);
  }

  /** Revokes one of the user's keys; another user's key, a revoked one and an unknown id are all api_key_not_found. */
  async revokeApiKey(userId: string, apiKeyId: string): Promise<void> {
    const revoked = IdSchema.safeParse(apiKeyId).success && (await this.repositories.apiKeys.revoke(userId, apiKeyId, this.now()));
    if (!revoked) throw new AccountError('api_key_not_found', 'There is no such API key.');
  }

  /** The user behind an API key, or null when it is malformed, unknown, revoked, or its user disabled; a use is recorded. */
  async resolveApiKey(key: string): Promise<ApiKeyCaller | null> {
    if (!isApiKey(key)) return null;
    const found = await this.repositories.apiKeys.findActiveByHash(tokenHash(key));
    if (!found || found.user.disabledAt) return null;
    const now = this.now();
    const lastUsed = found.key.lastUsedAt;
    if (!lastUsed || now.getTime() - lastUsed.getTime() >= TOUCH_INTERVAL_MS) await this.repositories.apiKeys.touch(found.key.id, now);
    return { account: toAccount(found.user), apiKeyId: found.key.id };
  }

  private async issueSession(user: UserRow): Promise<IssuedSession> {
    const token = newSessionToken();
    const expiresAt = this.sessionExpiry(this.now());
    await this.repositories.sessions.create({ id: tokenHash(token), userId: user.id, expiresAt });
    return { token, expiresAt, account: toAccount(user) };
  }

  private sessionExpiry(now: Date): Date {
    return new Date(now.getTime() + this.settings.sessionTtlMs);
  }

  /** A hash of a password nobody knows, made once, to verify against when there is no real hash to check. */
  private dummy(): Promise<string> {
    this.dummyHash ??= this.hasher.hash(newSessionToken()).catch((error: unknown) => {
      this.dummyHash = undefined;
      throw error;
    });
    return this.dummyHash;
  }
}
