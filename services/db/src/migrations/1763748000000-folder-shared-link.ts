import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A Dropbox folder's shared link gets a column of its own: `resource_key` held it for Dropbox jobs and Drive's resource
 * key for Drive jobs, one column meaning two things.
 */
export class FolderSharedLink1763748000000 implements MigrationInterface {
  name = 'FolderSharedLink1763748000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE import_folders ADD COLUMN shared_link text`);
    await db.query(
      `UPDATE import_folders f SET shared_link = f.resource_key, resource_key = NULL
       FROM import_jobs j WHERE j.id = f.job_id AND j.source = 'dropbox' AND f.resource_key IS NOT NULL`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`UPDATE import_folders SET resource_key = shared_link WHERE shared_link IS NOT NULL`);
    await db.query(`ALTER TABLE import_folders DROP COLUMN shared_link`);
  }
}
