import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { UserRow } from '../entities/user.entity.js';
import { affectedRows } from './affected-rows.js';
import { returningRows } from './returning-rows.js';
import { userColumns } from './user-columns.js';

/** A user to create: an id is given, created_at is now, and nobody starts disabled. */
export type NewUser = Pick<UserRow, 'email' | 'passwordHash' | 'role'>;

/** An account at an OIDC provider, as its ID token names it. */
export interface OidcIdentity {
  issuer: string;
  subject: string;
}

const COLUMNS = userColumns('users');

/** The `users` table and the OIDC identities linked to them. Emails are compared and stored lower-cased, by PostgreSQL's lower(). */
export class UsersRepository {
  constructor(private readonly db: DataSource) {}

  /** True once any user exists: the first administrator has been created. */
  async hasAny(): Promise<boolean> {
    const [row] = (await this.db.query(`SELECT EXISTS (SELECT 1 FROM users) AS "any"`)) as { any: boolean }[];
    return row?.any ?? false;
  }

  /** Creates a user, or answers 'email_taken' when the email (in any case) already has one. */
  async create(user: NewUser): Promise<UserRow | 'email_taken'> {
    return (await insertUser(this.db.manager, user)) ?? 'email_taken';
  }

  /**
   * Creates the first user, only while there is none: the table is locked against other writers for the check and the
   * insert, so two first-run requests at once make one user, and a user created meanwhile by any other path is seen.
   * In the same transaction the first user claims every job and image from before accounts (owner_id NULL).
   */
  async createFirst(user: NewUser): Promise<UserRow | 'users_exist'> {
    return this.db.transaction(async (manager) => {
      await manager.query(`LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE`);
      const [row] = (await manager.query(`SELECT EXISTS (SELECT 1 FROM users) AS "any"`)) as { any: boolean }[];
      if (row?.any) return 'users_exist';
      const created = await insertUser(manager, user);
      if (!created) throw new Error('the first user collided with a user in a table it had locked');
      await manager.query(`UPDATE import_jobs SET owner_id = $1 WHERE owner_id IS NULL`, [created.id]);
      await manager.query(`UPDATE images SET owner_id = $1 WHERE owner_id IS NULL`, [created.id]);
      return created;
    });
  }

  /** Every user, oldest first (the first administrator leads). */
  async list(): Promise<UserRow[]> {
    return (await this.db.query(`SELECT ${COLUMNS} FROM users ORDER BY created_at, id`)) as UserRow[];
  }

  async findById(id: string): Promise<UserRow | undefined> {
    const [row] = (await this.db.query(`SELECT ${COLUMNS} FROM users WHERE id = $1`, [id])) as UserRow[];
    return row;
  }

  /** The user with this email, whatever its case. */
  async findByEmail(email: string): Promise<UserRow | undefined> {
    const [row] = (await this.db.query(`SELECT ${COLUMNS} FROM users WHERE email = lower($1)`, [email])) as UserRow[];
    return row;
  }

  /** Replaces the user's password hash (null: OIDC sign-in only); false when there is no such user. */
  async setPasswordHash(id: string, passwordHash: string | null): Promise<boolean> {
    return (await affectedRows(this.db, `UPDATE users SET password_hash = $2 WHERE id = $1`, [id, passwordHash])) === 1;
  }

  /** Disables the user from `at`, or enables them again with null; false when there is no such user. */
  async setDisabledAt(id: string, at: Date | null): Promise<boolean> {
    return (await affectedRows(this.db, `UPDATE users SET disabled_at = $2 WHERE id = $1`, [id, at])) === 1;
  }

  /** The version the user's webhook signing secret is derived with; undefined when there is no such user. */
  async webhookSecretVersion(userId: string): Promise<number | undefined> {
    const [row] = (await this.db.query(`SELECT webhook_secret_version AS version FROM users WHERE id = $1`, [userId])) as { version: number }[];
    return row?.version;
  }

  /** Rotates the user's webhook signing secret: the next version, raised in one statement so two rotations give two versions; undefined when there is no such user. */
  async bumpWebhookSecretVersion(userId: string): Promise<number | undefined> {
    const [row] = await returningRows<{ version: number }>(
      this.db,
      `UPDATE users SET webhook_secret_version = webhook_secret_version + 1 WHERE id = $1 RETURNING webhook_secret_version AS version`,
      [userId],
    );
    return row?.version;
  }

  /** The user an OIDC account is linked to. */
  async findByIdentity(identity: OidcIdentity): Promise<UserRow | undefined> {
    const [row] = (await this.db.query(
      `SELECT ${userColumns('u')} FROM user_identities i JOIN users u ON u.id = i.user_id WHERE i.issuer = $1 AND i.subject = $2`,
      [identity.issuer, identity.subject],
    )) as UserRow[];
    return row;
  }

  /** Links an OIDC account to the user; linking it again to the same user changes nothing, to another answers 'taken'. */
  async linkIdentity(userId: string, identity: OidcIdentity): Promise<'linked' | 'taken'> {
    const inserted = (await this.db.query(
      `INSERT INTO user_identities (issuer, subject, user_id) VALUES ($1, $2, $3) ON CONFLICT (issuer, subject) DO NOTHING RETURNING user_id`,
      [identity.issuer, identity.subject, userId],
    )) as unknown[];
    if (inserted.length === 1) return 'linked';
    const owner = await this.findByIdentity(identity);
    return owner?.id === userId ? 'linked' : 'taken';
  }
}

/** Inserts the user; undefined when the email is taken. */
async function insertUser(manager: EntityManager, user: NewUser): Promise<UserRow | undefined> {
  const [row] = (await manager.query(
    `INSERT INTO users (id, email, password_hash, role) VALUES ($1, lower($2), $3, $4) ON CONFLICT (email) DO NOTHING RETURNING ${COLUMNS}`,
    [randomUUID(), user.email, user.passwordHash, user.role],
  )) as UserRow[];
  return row;
}
