import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Each image's WebP preview: its object key and size, filled in after the transfer by the preview maker. */
export class ImagePreviews1763730000000 implements MigrationInterface {
  name = 'ImagePreviews1763730000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE images ADD COLUMN preview_path text, ADD COLUMN preview_width integer, ADD COLUMN preview_height integer`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE images DROP COLUMN preview_path, DROP COLUMN preview_width, DROP COLUMN preview_height`);
  }
}
