import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A folder counts the attempts at its current page and keeps the last one's error, so a page that fails the same way
 * every time ends as a `failed` folder (and fails its job) instead of being re-sent by the watchdog forever.
 */
export class FolderListingAttempts1763744400000 implements MigrationInterface {
  name = 'FolderListingAttempts1763744400000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE import_folders ADD COLUMN attempts integer NOT NULL DEFAULT 0`);
    await db.query(`ALTER TABLE import_folders ADD COLUMN last_error text`);
    await db.query(`ALTER TABLE import_folders DROP CONSTRAINT import_folders_status_check`);
    await db.query(`ALTER TABLE import_folders ADD CONSTRAINT import_folders_status_check CHECK (status IN ('listing', 'done', 'failed'))`);
  }

  async down(db: QueryRunner): Promise<void> {
    // The older schema has no failed folders; as done, they are at least not listed again.
    await db.query(`UPDATE import_folders SET status = 'done' WHERE status = 'failed'`);
    await db.query(`ALTER TABLE import_folders DROP CONSTRAINT import_folders_status_check`);
    await db.query(`ALTER TABLE import_folders ADD CONSTRAINT import_folders_status_check CHECK (status IN ('listing', 'done'))`);
    await db.query(`ALTER TABLE import_folders DROP COLUMN last_error`);
    await db.query(`ALTER TABLE import_folders DROP COLUMN attempts`);
  }
}
