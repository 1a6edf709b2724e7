import type { UserRow } from '../entities/user.entity.js';

const USER_FIELDS = {
  id: 'id',
  email: 'email',
  passwordHash: 'password_hash',
  role: 'role',
  disabledAt: 'disabled_at',
  webhookSecretVersion: 'webhook_secret_version',
  createdAt: 'created_at',
} as const satisfies Record<keyof UserRow, string>;

/** The select list of a user's row from `table`, each field named `<prefix><field>`. */
export function userColumns(table: string, prefix = ''): string {
  return Object.entries(USER_FIELDS)
    .map(([field, column]) => `${table}.${column} AS "${prefix}${field}"`)
    .join(', ');
}

/** The user's fields out of a row selected with `userColumns(table, prefix)`. */
export function userFromRow(row: Record<string, unknown>, prefix: string): UserRow {
  return Object.fromEntries(Object.keys(USER_FIELDS).map((field) => [field, row[`${prefix}${field}`]])) as unknown as UserRow;
}
