import { EntitySchema } from 'typeorm';

/** What a user may do: an `admin` also lists and disables users and sees every job. */
export const USER_ROLES = ['admin', 'user'] as const;
export type UserRole = (typeof USER_ROLES)[number];

/** One person who signs in, with a password, through OIDC (`user_identities`), or both. */
export interface UserRow {
  id: string;
  /** Stored lower-cased (held so by `users_email_lower_check`), so the unique constraint is case-insensitive. */
  email: string;
  /** The argon2id hash (PHC string); null for a user who signs in only through OIDC. */
  passwordHash: string | null;
  /** Held to USER_ROLES by `users_role_check`. */
  role: UserRole;
  /** When an administrator disabled the account; a disabled user's sessions and API keys resolve to nobody. */
  disabledAt: Date | null;
  /** With the deployment's secret and the user id, derives the user's webhook signing secret; rotating the secret bumps it. */
  webhookSecretVersion: number;
  createdAt: Date;
}

export const UserEntity = new EntitySchema<UserRow>({
  name: 'User',
  tableName: 'users',
  columns: {
    id: { type: 'uuid', primary: true },
    email: { type: 'varchar', length: 254 },
    passwordHash: { name: 'password_hash', type: 'text', nullable: true },
    role: { type: 'varchar', length: 16 },
    disabledAt: { name: 'disabled_at', type: 'timestamptz', nullable: true },
    webhookSecretVersion: { name: 'webhook_secret_version', type: 'integer', default: 1 },
    createdAt: { name: 'created_at', type: 'timestamptz', createDate: true },
  },
  uniques: [{ name: 'users_email', columns: ['email'] }],
  checks: [
    { name: 'users_email_lower_check', expression: `email = lower(email)` },
    { name: 'users_role_check', expression: `role IN ('admin', 'user')` },
  ],
});
