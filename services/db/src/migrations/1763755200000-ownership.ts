import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every job and image belongs to a user: `owner_id` on both, indexed so each user's lists cost what they did before,
 * and an image is unique per owner, so two users importing the same source file get a row (and an object) each.
 * Each user's webhook signing secret is derived from the deployment's secret, the user id and a version that rotating bumps.
 * Rows from before accounts go to the first administrator, or stay NULL until UsersRepository.createFirst claims them.
 */
export class Ownership1763755200000 implements MigrationInterface {
  name = 'Ownership1763755200000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE users ADD COLUMN webhook_secret_version integer NOT NULL DEFAULT 1`);
    await db.query(`ALTER TABLE import_jobs ADD COLUMN owner_id uuid CONSTRAINT import_jobs_owner_id_fkey REFERENCES users (id) ON DELETE RESTRICT`);
    await db.query(`ALTER TABLE images ADD COLUMN owner_id uuid CONSTRAINT images_owner_id_fkey REFERENCES users (id) ON DELETE RESTRICT`);

    // Filled before the new indices are built, so a large table's rows are not written into them twice.
    const [firstAdmin] = (await db.query(`SELECT id FROM users WHERE role = 'admin' ORDER BY created_at, id LIMIT 1`)) as { id: string }[];
    if (firstAdmin) {
      await db.query(`UPDATE import_jobs SET owner_id = $1`, [firstAdmin.id]);
      await db.query(`UPDATE images i SET owner_id = j.owner_id FROM import_jobs j WHERE j.id = i.job_id`);
      await db.query(`UPDATE images SET owner_id = $1 WHERE owner_id IS NULL`, [firstAdmin.id]);
    }

    await db.query(`CREATE INDEX import_jobs_owner_created_at_id ON import_jobs (owner_id, created_at, id)`);
    await db.query(`ALTER TABLE images DROP CONSTRAINT images_source_file`);
    // NULLS NOT DISTINCT needs PostgreSQL 15, the oldest this runs on: images nobody owns yet stay one per source file.
    await db.query(`ALTER TABLE images ADD CONSTRAINT images_owner_source_file UNIQUE NULLS NOT DISTINCT (owner_id, source, source_file_id)`);
    await db.query(`DROP INDEX images_created_at_id`);
    await db.query(`DROP INDEX images_source_created_at_id`);
    await db.query(`CREATE INDEX images_owner_created_at_id ON images (owner_id, created_at, id)`);
    await db.query(`CREATE INDEX images_owner_source_created_at_id ON images (owner_id, source, created_at, id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX images_owner_source_created_at_id`);
    await db.query(`DROP INDEX images_owner_created_at_id`);
    await db.query(`ALTER TABLE images DROP CONSTRAINT images_owner_source_file`);
    // One row per source file again: the oldest stays; every other owner's copy loses its row (its object stays in the bucket).
    await db.query(`
      DELETE FROM images later USING images older
      WHERE later.source = older.source AND later.source_file_id = older.source_file_id AND (older.created_at, older.id) < (later.created_at, later.id)`);
    await db.query(`ALTER TABLE images ADD CONSTRAINT images_source_file UNIQUE (source, source_file_id)`);
    await db.query(`CREATE INDEX images_created_at_id ON images (created_at, id)`);
    await db.query(`CREATE INDEX images_source_created_at_id ON images (source, created_at, id)`);
    await db.query(`ALTER TABLE images DROP COLUMN owner_id`);

    await db.query(`DROP INDEX import_jobs_owner_created_at_id`);
    await db.query(`ALTER TABLE import_jobs DROP COLUMN owner_id`);

    await db.query(`ALTER TABLE users DROP COLUMN webhook_secret_version`);
  }
}
