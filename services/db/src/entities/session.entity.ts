import { EntitySchema } from 'typeorm';

/** A signed-in browser: the cookie holds an opaque token, this row only its hash, so a leaked table signs nobody in. */
export interface SessionRow {
  /** SHA-256 of the session token, in hex; never the token itself. */
  id: string;
  userId: string;
  createdAt: Date;
  /** The session resolves to nobody from then on; each use moves it later (a sliding expiry). */
  expiresAt: Date;
  lastSeenAt: Date;
}

export const SessionEntity = new EntitySchema<SessionRow>({
  name: 'Session',
  tableName: 'sessions',
  columns: {
    id: { type: 'char', length: 64, primary: true },
    userId: { name: 'user_id', type: 'uuid' },
    createdAt: { name: 'created_at', type: 'timestamptz', createDate: true },
    expiresAt: { name: 'expires_at', type: 'timestamptz' },
    lastSeenAt: { name: 'last_seen_at', type: 'timestamptz', default: () => 'now()' },
  },
  foreignKeys: [{ name: 'sessions_user_id_fkey', target: 'User', columnNames: ['userId'], referencedColumnNames: ['id'], onDelete: 'CASCADE' }],
  indices: [
    { name: 'sessions_expires_at', columns: ['expiresAt'] },
    { name: 'sessions_user_id', columns: ['userId'] },
  ],
});
