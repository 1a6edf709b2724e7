import { EntitySchema } from 'typeorm';

/** A key a user's programs send as `Authorization: Bearer <key>`; shown once when made, stored only as its hash. */
export interface ApiKeyRow {
  id: string;
  userId: string;
  /** The user's own label for it ("laptop", "backup script"). */
  name: string;
  /** The key's first characters, so a list can tell keys apart without holding them. */
  prefix: string;
  /** SHA-256 of the whole key, in hex. */
  keyHash: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  /** Once set, the key resolves to nobody. */
  revokedAt: Date | null;
}

export const ApiKeyEntity = new EntitySchema<ApiKeyRow>({
  name: 'ApiKey',
  tableName: 'api_keys',
  columns: {
    id: { type: 'uuid', primary: true },
    userId: { name: 'user_id', type: 'uuid' },
    name: { type: 'varchar', length: 100 },
    prefix: { type: 'varchar', length: 16 },
    keyHash: { name: 'key_hash', type: 'char', length: 64 },
    createdAt: { name: 'created_at', type: 'timestamptz', createDate: true },
    lastUsedAt: { name: 'last_used_at', type: 'timestamptz', nullable: true },
    revokedAt: { name: 'revoked_at', type: 'timestamptz', nullable: true },
  },
  foreignKeys: [{ name: 'api_keys_user_id_fkey', target: 'User', columnNames: ['userId'], referencedColumnNames: ['id'], onDelete: 'CASCADE' }],
  uniques: [{ name: 'api_keys_key_hash', columns: ['keyHash'] }],
  indices: [{ name: 'api_keys_user_id_created_at', columns: ['userId', 'createdAt'] }],
});
