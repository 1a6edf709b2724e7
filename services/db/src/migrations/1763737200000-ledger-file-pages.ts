import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A job's files page by page (`GET /import/jobs/{id}/files`), by status or all: the same cost on every page. */
export class LedgerFilePages1763737200000 implements MigrationInterface {
  name = 'LedgerFilePages1763737200000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE INDEX import_files_job_id ON import_files (job_id, id)`);
    await db.query(`CREATE INDEX import_files_job_status_id ON import_files (job_id, status, id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX import_files_job_status_id`);
    await db.query(`DROP INDEX import_files_job_id`);
  }
}
