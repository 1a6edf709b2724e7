import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Accounts: users (email and argon2id password, or OIDC only), their server-side sessions and API keys (both kept as
 * SHA-256 of the token, never the token), and their OIDC identities.
 */
export class Accounts1763751600000 implements MigrationInterface {
  name = 'Accounts1763751600000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY,
        email varchar(254) NOT NULL,
        password_hash text,
        role varchar(16) NOT NULL,
        disabled_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT users_email UNIQUE (email),
        CONSTRAINT users_email_lower_check CHECK (email = lower(email)),
        CONSTRAINT users_role_check CHECK (role IN ('admin', 'user'))
      )`);

    await db.query(`
      CREATE TABLE sessions (
        id char(64) PRIMARY KEY,
        user_id uuid NOT NULL CONSTRAINT sessions_user_id_fkey REFERENCES users (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        last_seen_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX sessions_expires_at ON sessions (expires_at)`);
    await db.query(`CREATE INDEX sessions_user_id ON sessions (user_id)`);

    await db.query(`
      CREATE TABLE api_keys (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL CONSTRAINT api_keys_user_id_fkey REFERENCES users (id) ON DELETE CASCADE,
        name varchar(100) NOT NULL,
        prefix varchar(16) NOT NULL,
        key_hash char(64) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        revoked_at timestamptz,
        CONSTRAINT api_keys_key_hash UNIQUE (key_hash)
      )`);
    await db.query(`CREATE INDEX api_keys_user_id_created_at ON api_keys (user_id, created_at)`);

    await db.query(`
      CREATE TABLE user_identities (
        issuer text NOT NULL,
        subject text NOT NULL,
        user_id uuid NOT NULL CONSTRAINT user_identities_user_id_fkey REFERENCES users (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT user_identities_pkey PRIMARY KEY (issuer, subject)
      )`);
    await db.query(`CREATE INDEX user_identities_user_id ON user_identities (user_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE user_identities`);
    await db.query(`DROP TABLE api_keys`);
    await db.query(`DROP TABLE sessions`);
    await db.query(`DROP TABLE users`);
  }
}
