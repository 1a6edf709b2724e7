import { randomUUID } from 'node:crypto';
import type { ActiveApiKey, ActiveSession, ApiKeyListing, ApiKeyRow, NewApiKey, NewSession, NewUser, SessionRow, UserRow } from '@importer/db';
import type { AccountsRepositories } from '../accounts/accounts.service.js';

/**
 * In-memory stand-ins for the accounts repositories, keeping the promises their PostgreSQL versions keep (and test in
 * services/db/test/integration): emails lower-cased and unique, expiry compared with the caller's time, another user's
 * key never revoked, found rows joined with their user as the user is now.
 */
export class FakeAccountRepositories implements AccountsRepositories {
  readonly userRows = new Map<string, UserRow>();
  /** Linked OIDC identities: `<issuer> <subject>` → user id. */
  readonly identityRows = new Map<string, string>();
  readonly sessionRows = new Map<string, SessionRow>();
  readonly apiKeyRows = new Map<string, ApiKeyRow>();
  /** Every write, in order, as `<table>.<method>`: what a test asserts was (not) written. */
  readonly writes: string[] = [];

  constructor(private readonly now: () => Date = () => new Date()) {}

  private user(id: string): UserRow {
    const user = this.userRows.get(id);
    if (!user) throw new Error(`foreign key: no user ${id}`);
    return { ...user };
  }

  readonly users: AccountsRepositories['users'] = {
    hasAny: async () => this.userRows.size > 0,
    create: async (user: NewUser) => {
      this.writes.push('users.create');
      const email = user.email.toLowerCase();
      if ([...this.userRows.values()].some((u) => u.email === email)) return 'email_taken';
      const row: UserRow = { id: randomUUID(), email, passwordHash: user.passwordHash, role: user.role, disabledAt: null, createdAt: this.now(), webhookSecretVersion: 1 };
      this.userRows.set(row.id, row);
      return { ...row };
    },
    createFirst: async (user: NewUser) => {
      if (this.userRows.size > 0) return 'users_exist';
      const created = await this.users.create(user);
      if (created === 'email_taken') throw new Error('unreachable: the table was empty');
      return created;
    },
    findById: async (id: string) => (this.userRows.has(id) ? this.user(id) : undefined),
    findByEmail: async (email: string) => {
      const found = [...this.userRows.values()].find((u) => u.email === email.toLowerCase());
      return found ? { ...found } : undefined;
    },
    setPasswordHash: async (id: string, passwordHash: string | null) => {
      this.writes.push('users.setPasswordHash');
      const user = this.userRows.get(id);
      if (user) user.passwordHash = passwordHash;
      return user !== undefined;
    },
    setDisabledAt: async (id: string, at: Date | null) => {
      this.writes.push('users.setDisabledAt');
      const user = this.userRows.get(id);
      if (user) user.disabledAt = at;
      return user !== undefined;
    },
    list: async () => [...this.userRows.values()].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime()).map((u) => ({ ...u })),
    findByIdentity: async (identity) => {
      const userId = this.identityRows.get(`${identity.issuer} ${identity.subject}`);
      return userId ? this.user(userId) : undefined;
    },
    linkIdentity: async (userId, identity) => {
      this.writes.push('users.linkIdentity');
      const key = `${identity.issuer} ${identity.subject}`;
      const owner = this.identityRows.get(key);
      if (owner && owner !== userId) return 'taken';
      this.identityRows.set(key, userId);
      return 'linked';
    },
  };

  readonly sessions: AccountsRepositories['sessions'] = {
    create: async (session: NewSession) => {
      this.writes.push('sessions.create');
      this.user(session.userId);
      if (this.sessionRows.has(session.id)) throw new Error('duplicate key: sessions_pkey');
      const at = this.now();
      this.sessionRows.set(session.id, { ...session, createdAt: at, lastSeenAt: at });
    },
    findActive: async (id: string, now: Date): Promise<ActiveSession | undefined> => {
      const session = this.sessionRows.get(id);
      return session && session.expiresAt > now ? { session: { ...session }, user: this.user(session.userId) } : undefined;
    },
    touch: async (id: string, now: Date, expiresAt: Date) => {
      this.writes.push('sessions.touch');
      const session = this.sessionRows.get(id);
      if (!session || session.expiresAt <= now) return false;
      session.lastSeenAt = now;
      if (expiresAt > session.expiresAt) session.expiresAt = expiresAt;
      return true;
    },
    revoke: async (id: string) => {
      this.writes.push('sessions.revoke');
      return this.sessionRows.delete(id);
    },
    revokeAllOfUser: async (userId: string, keep?: string) => {
      this.writes.push('sessions.revokeAllOfUser');
      const ended = [...this.sessionRows.values()].filter((s) => s.userId === userId && s.id !== keep);
      for (const session of ended) this.sessionRows.delete(session.id);
      return ended.length;
    },
  };

  readonly apiKeys: AccountsRepositories['apiKeys'] = {
    create: async (key: NewApiKey) => {
      this.writes.push('apiKeys.create');
      this.user(key.userId);
      if ([...this.apiKeyRows.values()].some((k) => k.keyHash === key.keyHash)) throw new Error('duplicate key: api_keys_key_hash');
      const row: ApiKeyRow = { ...key, id: randomUUID(), createdAt: this.now(), lastUsedAt: null, revokedAt: null };
      this.apiKeyRows.set(row.id, row);
      return listing(row);
    },
    listForUser: async (userId: string) =>
      [...this.apiKeyRows.values()]
        .filter((k) => k.userId === userId && k.revokedAt === null)
        .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
        .map(listing),
    revoke: async (userId: string, id: string, now: Date) => {
      this.writes.push('apiKeys.revoke');
      const key = this.apiKeyRows.get(id);
      if (!key || key.userId !== userId || key.revokedAt !== null) return false;
      key.revokedAt = now;
      return true;
    },
    findActiveByHash: async (keyHash: string): Promise<ActiveApiKey | undefined> => {
      const key = [...this.apiKeyRows.values()].find((k) => k.keyHash === keyHash && k.revokedAt === null);
      return key ? { key: listing(key), user: this.user(key.userId) } : undefined;
    },
    touch: async (id: string, now: Date) => {
      this.writes.push('apiKeys.touch');
      const key = this.apiKeyRows.get(id);
      if (key) key.lastUsedAt = now;
    },
  };
}

function listing({ keyHash: _hash, ...key }: ApiKeyRow): ApiKeyListing {
  return { ...key };
}
