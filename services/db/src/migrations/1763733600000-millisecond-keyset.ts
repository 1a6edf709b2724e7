import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Keyset cursors carry `created_at` as a JavaScript Date, which holds milliseconds; PostgreSQL stored microseconds,
 * so a row created in the same millisecond as a page's last row, but before it, fell between pages. Stored at
 * millisecond precision, the cursor names a row's position exactly.
 */
export class MillisecondKeyset1763733600000 implements MigrationInterface {
  name = 'MillisecondKeyset1763733600000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE images ALTER COLUMN created_at TYPE timestamptz(3)`);
    await db.query(`ALTER TABLE import_jobs ALTER COLUMN created_at TYPE timestamptz(3)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE import_jobs ALTER COLUMN created_at TYPE timestamptz`);
    await db.query(`ALTER TABLE images ALTER COLUMN created_at TYPE timestamptz`);
  }
}
