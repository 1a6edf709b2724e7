import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { ApiKeyRow } from '../entities/api-key.entity.js';
import type { UserRow } from '../entities/user.entity.js';
import { storableText } from '../storable-text.js';
import { returningRows } from './returning-rows.js';
import { userColumns, userFromRow } from './user-columns.js';

/** A key to store: only its hash and the prefix shown in lists, never the key; its name is written as storableText. */
export type NewApiKey = Pick<ApiKeyRow, 'userId' | 'name' | 'prefix' | 'keyHash'>;

/** A key as it is listed: everything but its hash. */
export type ApiKeyListing = Omit<ApiKeyRow, 'keyHash'>;

/** A key that is not revoked, with its user as they are now (disabled or not: the caller decides). */
export interface ActiveApiKey {
  key: ApiKeyListing;
  user: UserRow;
}

const KEY_FIELDS = `id, user_id AS "userId", name, prefix, created_at AS "createdAt", last_used_at AS "lastUsedAt", revoked_at AS "revokedAt"`;
const KEY_COLUMNS = `k.id, k.user_id AS "userId", k.name, k.prefix, k.created_at AS "createdAt", k.last_used_at AS "lastUsedAt", k.revoked_at AS "revokedAt"`;

/** The `api_keys` table: each user's keys, found by the SHA-256 of the key a request brings. */
export class ApiKeysRepository {
  constructor(private readonly db: DataSource) {}

  async create(key: NewApiKey): Promise<ApiKeyListing> {
    const [row] = (await this.db.query(
      `INSERT INTO api_keys (id, user_id, name, prefix, key_hash) VALUES ($1, $2, $3, $4, $5) RETURNING ${KEY_FIELDS}`,
      [randomUUID(), key.userId, storableText(key.name), key.prefix, key.keyHash],
    )) as ApiKeyListing[];
    if (!row) throw new Error('INSERT … RETURNING gave no row');
    return row;
  }

  /** The user's keys that are not revoked, newest first. */
  async listForUser(userId: string): Promise<ApiKeyListing[]> {
    return (await this.db.query(
      `SELECT ${KEY_FIELDS} FROM api_keys WHERE user_id = $1 AND revoked_at IS NULL ORDER BY created_at DESC, id DESC`,
      [userId],
    )) as ApiKeyListing[];
  }

  /** Revokes the key if it is the user's and not revoked yet; false otherwise (another user's key looks like no key). */
  async revoke(userId: string, id: string, now: Date): Promise<boolean> {
    const rows = await returningRows(this.db, `UPDATE api_keys SET revoked_at = $3 WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL RETURNING id`, [
      id,
      userId,
      now,
    ]);
    return rows.length === 1;
  }

  /** The key with this hash and its user, in one query, unless it is revoked. */
  async findActiveByHash(keyHash: string): Promise<ActiveApiKey | undefined> {
    const [row] = (await this.db.query(
      `SELECT ${KEY_COLUMNS}, ${userColumns('u', 'user.')} FROM api_keys k JOIN users u ON u.id = k.user_id WHERE k.key_hash = $1 AND k.revoked_at IS NULL`,
      [keyHash],
    )) as (ApiKeyListing & Record<string, unknown>)[];
    if (!row) return undefined;
    const { id, userId, name, prefix, createdAt, lastUsedAt, revokedAt } = row;
    return { key: { id, userId, name, prefix, createdAt, lastUsedAt, revokedAt }, user: userFromRow(row, 'user.') };
  }

  /** Records a use of the key at `now`. */
  async touch(id: string, now: Date): Promise<void> {
    await this.db.query(`UPDATE api_keys SET last_used_at = $2 WHERE id = $1`, [id, now]);
  }
}
