import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Claimed work becomes a lease: who holds a file or a folder's page and until when. A replica renews what it holds,
 * so a dead one's work expires within seconds and the api's reaper sends it again; a lease with no holder is a retry
 * that is due at its expiry. A job keeps `recursive`, so a reaped folder is listed as its job asked.
 */
export class WorkLeases1763758800000 implements MigrationInterface {
  name = 'WorkLeases1763758800000';

  async up(db: QueryRunner): Promise<void> {
    for (const table of ['import_files', 'import_folders']) {
      await db.query(`ALTER TABLE ${table} ADD COLUMN lease_holder text, ADD COLUMN lease_expires_at timestamptz`);
    }
    await db.query(`CREATE INDEX import_files_lease_expires ON import_files (lease_expires_at) WHERE status = 'pending' AND lease_expires_at IS NOT NULL`);
    await db.query(`CREATE INDEX import_folders_lease_expires ON import_folders (lease_expires_at) WHERE status = 'listing' AND lease_expires_at IS NOT NULL`);
    await db.query(`ALTER TABLE import_jobs ADD COLUMN recursive boolean NOT NULL DEFAULT true`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE import_jobs DROP COLUMN recursive`);
    await db.query(`DROP INDEX import_folders_lease_expires`);
    await db.query(`DROP INDEX import_files_lease_expires`);
    for (const table of ['import_files', 'import_folders']) {
      await db.query(`ALTER TABLE ${table} DROP COLUMN lease_expires_at, DROP COLUMN lease_holder`);
    }
  }
}
