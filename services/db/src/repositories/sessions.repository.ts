import type { DataSource } from 'typeorm';
import type { SessionRow } from '../entities/session.entity.js';
import type { UserRow } from '../entities/user.entity.js';
import { affectedRows } from './affected-rows.js';
import { userColumns, userFromRow } from './user-columns.js';

/** A session to open: its id is the hash of a token only the browser keeps. */
export type NewSession = Pick<SessionRow, 'id' | 'userId' | 'expiresAt'>;

/** A session that has not expired, with its user as they are now (disabled or not: the caller decides). */
export interface ActiveSession {
  session: SessionRow;
  user: UserRow;
}

const SESSION_COLUMNS = `s.id, s.user_id AS "userId", s.created_at AS "createdAt", s.expires_at AS "expiresAt", s.last_seen_at AS "lastSeenAt"`;

/** The `sessions` table: server-side sessions, so any api replica can serve any of them. Times are the caller's. */
export class SessionsRepository {
  constructor(private readonly db: DataSource) {}

  async create(session: NewSession): Promise<void> {
    await this.db.query(`INSERT INTO sessions (id, user_id, expires_at) VALUES ($1, $2, $3)`, [session.id, session.userId, session.expiresAt]);
  }

  /** The session with this id and its user, in one query, unless it expired by `now`. */
  async findActive(id: string, now: Date): Promise<ActiveSession | undefined> {
    const [row] = (await this.db.query(
      `SELECT ${SESSION_COLUMNS}, ${userColumns('u', 'user.')} FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = $1 AND s.expires_at > $2`,
      [id, now],
    )) as (SessionRow & Record<string, unknown>)[];
    if (!row) return undefined;
    const { id: sessionId, userId, createdAt, expiresAt, lastSeenAt } = row;
    return { session: { id: sessionId, userId, createdAt, expiresAt, lastSeenAt }, user: userFromRow(row, 'user.') };
  }

  /** Records a use at `now` and moves the expiry to `expiresAt` (never earlier); false when the session is gone or expired. */
  async touch(id: string, now: Date, expiresAt: Date): Promise<boolean> {
    const changed = await affectedRows(
      this.db,
      `UPDATE sessions SET last_seen_at = $2, expires_at = GREATEST(expires_at, $3) WHERE id = $1 AND expires_at > $2`,
      [id, now, expiresAt],
    );
    return changed === 1;
  }

  /** Ends one session (sign-out); false when there was none. */
  async revoke(id: string): Promise<boolean> {
    return (await affectedRows(this.db, `DELETE FROM sessions WHERE id = $1`, [id])) === 1;
  }

  /** Ends every session of the user but `keep` (the one changing the password, say); the number ended. */
  async revokeAllOfUser(userId: string, keep?: string): Promise<number> {
    return affectedRows(this.db, `DELETE FROM sessions WHERE user_id = $1 AND ($2::char(64) IS NULL OR id <> $2::char(64))`, [userId, keep ?? null]);
  }

  /** Deletes the sessions expired by `now`; the number deleted. */
  async deleteExpired(now: Date): Promise<number> {
    return affectedRows(this.db, `DELETE FROM sessions WHERE expires_at <= $1`, [now]);
  }
}
