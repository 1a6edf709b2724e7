import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Dropbox lists no md5, so its content_hash is what tells a re-import whether a file changed since it was stored. */
export class ImageContentHash1763740800000 implements MigrationInterface {
  name = 'ImageContentHash1763740800000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE images ADD COLUMN content_hash char(64)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE images DROP COLUMN content_hash`);
  }
}
