import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The three tables of DESIGN.md: images, import_jobs and the import_files ledger. */
export class InitialSchema1763719200000 implements MigrationInterface {
  name = 'InitialSchema1763719200000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE import_jobs (
        id uuid PRIMARY KEY,
        source varchar(32) NOT NULL,
        folder_url text,
        status varchar(32) NOT NULL,
        total_files integer NOT NULL DEFAULT 0,
        processed_files integer NOT NULL DEFAULT 0,
        failed_files integer NOT NULL DEFAULT 0,
        skipped_files integer NOT NULL DEFAULT 0,
        bytes bigint NOT NULL DEFAULT 0,
        webhook_url text,
        error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz,
        CONSTRAINT import_jobs_status_check CHECK (status IN
          ('queued', 'listing', 'running', 'completed', 'completed_with_errors', 'failed', 'cancelled'))
      )`);
    await db.query(`CREATE INDEX import_jobs_created_at_id ON import_jobs (created_at, id)`);

    await db.query(`
      CREATE TABLE images (
        id uuid PRIMARY KEY,
        source varchar(32) NOT NULL,
        source_file_id text NOT NULL,
        google_drive_id text,
        job_id uuid CONSTRAINT images_job_id_fkey REFERENCES import_jobs (id) ON DELETE SET NULL,
        name text NOT NULL,
        mime_type varchar(255) NOT NULL,
        size bigint NOT NULL,
        storage_path text NOT NULL,
        md5 char(32),
        width integer,
        height integer,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT images_source_file UNIQUE (source, source_file_id)
      )`);
    await db.query(`CREATE INDEX images_created_at_id ON images (created_at, id)`);
    await db.query(`CREATE INDEX images_source_created_at_id ON images (source, created_at, id)`);
    await db.query(`CREATE INDEX images_job_created_at_id ON images (job_id, created_at, id)`);

    await db.query(`
      CREATE TABLE import_files (
        id bigserial PRIMARY KEY,
        job_id uuid NOT NULL CONSTRAINT import_files_job_id_fkey REFERENCES import_jobs (id) ON DELETE CASCADE,
        source_file_id text NOT NULL,
        name text NOT NULL,
        source_path text NOT NULL,
        mime_type varchar(255),
        size bigint,
        status varchar(16) NOT NULL,
        attempts integer NOT NULL DEFAULT 0,
        last_error text,
        image_id uuid CONSTRAINT import_files_image_id_fkey REFERENCES images (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT import_files_job_source_file UNIQUE (job_id, source_file_id),
        CONSTRAINT import_files_status_check CHECK (status IN ('pending', 'done', 'failed', 'skipped'))
      )`);
    await db.query(`CREATE INDEX import_files_job_status_updated ON import_files (job_id, status, updated_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE import_files`);
    await db.query(`DROP TABLE images`);
    await db.query(`DROP TABLE import_jobs`);
  }
}
