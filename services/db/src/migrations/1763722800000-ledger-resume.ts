import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What resuming needs: the folder side of the ledger (which folders are still being listed, from which page),
 * and on each file what the transfer needs to fetch and verify it, so stalled work can be re-published from the ledger alone.
 */
export class LedgerResume1763722800000 implements MigrationInterface {
  name = 'LedgerResume1763722800000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE import_folders (
        job_id uuid NOT NULL CONSTRAINT import_folders_job_id_fkey REFERENCES import_jobs (id) ON DELETE CASCADE,
        folder_id text NOT NULL,
        resource_key text,
        path text NOT NULL,
        cursor text,
        status varchar(16) NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT import_folders_pkey PRIMARY KEY (job_id, folder_id),
        CONSTRAINT import_folders_status_check CHECK (status IN ('listing', 'done'))
      )`);
    await db.query(`CREATE INDEX import_folders_job_status_updated ON import_folders (job_id, status, updated_at)`);
    await db.query(`ALTER TABLE import_files ADD COLUMN source_meta jsonb NOT NULL DEFAULT '{}'::jsonb`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE import_files DROP COLUMN source_meta`);
    await db.query(`DROP TABLE import_folders`);
  }
}
