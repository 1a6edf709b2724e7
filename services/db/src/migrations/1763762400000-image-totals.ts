import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Adds each group's change (count and bytes of the rows in `changed`, signed by `sign`) to image_totals. */
const applyDelta = (changed: string) => `
  INSERT INTO image_totals AS t (owner_id, source, job_id, images, bytes)
  SELECT owner_id, source, job_id, sum(n), sum(b) FROM (${changed}) AS d(owner_id, source, job_id, n, b)
  GROUP BY owner_id, source, job_id HAVING sum(n) <> 0 OR sum(b) <> 0
  -- One order for every statement, so two that touch the same groups lock them alike rather than deadlock.
  ORDER BY owner_id, source, job_id
  ON CONFLICT (owner_id, source, job_id) DO UPDATE SET images = t.images + EXCLUDED.images, bytes = t.bytes + EXCLUDED.bytes`;

/**
 * The gallery's `total` and the storage quota cost a sum of a few rows instead of a count over every image: one row
 * per (owner, source, job) with its images and bytes, kept by statement triggers on images (insert, the upsert's
 * update, delete; job_id set to NULL when a job is deleted, owner_id claimed by the first administrator, truncate),
 * so a batch of a thousand images changes each of its groups once. Backfilled from the images there are.
 */
export class ImageTotals1763762400000 implements MigrationInterface {
  name = 'ImageTotals1763762400000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE image_totals (
        owner_id uuid,
        source varchar(32) NOT NULL,
        job_id uuid,
        images bigint NOT NULL,
        bytes bigint NOT NULL,
        CONSTRAINT image_totals_group UNIQUE NULLS NOT DISTINCT (owner_id, source, job_id)
      )`);
    await db.query(`
      CREATE FUNCTION image_totals_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN ${applyDelta('SELECT owner_id, source, job_id, 1, size FROM inserted')}; RETURN NULL; END $$`);
    await db.query(`
      CREATE FUNCTION image_totals_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN ${applyDelta('SELECT owner_id, source, job_id, -1, -size FROM deleted')}; RETURN NULL; END $$`);
    await db.query(`
      CREATE FUNCTION image_totals_updated() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN ${applyDelta('SELECT owner_id, source, job_id, -1, -size FROM old_rows UNION ALL SELECT owner_id, source, job_id, 1, size FROM new_rows')}; RETURN NULL; END $$`);
    await db.query(`CREATE FUNCTION image_totals_truncated() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN TRUNCATE image_totals; RETURN NULL; END $$`);
    await db.query(`CREATE TRIGGER image_totals_insert AFTER INSERT ON images REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION image_totals_inserted()`);
    await db.query(`CREATE TRIGGER image_totals_delete AFTER DELETE ON images REFERENCING OLD TABLE AS deleted FOR EACH STATEMENT EXECUTE FUNCTION image_totals_deleted()`);
    await db.query(
      `CREATE TRIGGER image_totals_update AFTER UPDATE ON images REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION image_totals_updated()`,
    );
    await db.query(`CREATE TRIGGER image_totals_truncate AFTER TRUNCATE ON images FOR EACH STATEMENT EXECUTE FUNCTION image_totals_truncated()`);
    await db.query(`
      INSERT INTO image_totals (owner_id, source, job_id, images, bytes)
      SELECT owner_id, source, job_id, count(*), coalesce(sum(size), 0) FROM images GROUP BY owner_id, source, job_id`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const event of ['insert', 'delete', 'update', 'truncate']) await db.query(`DROP TRIGGER image_totals_${event} ON images`);
    for (const fn of ['inserted', 'deleted', 'updated', 'truncated']) await db.query(`DROP FUNCTION image_totals_${fn}()`);
    await db.query(`DROP TABLE image_totals`);
  }
}
