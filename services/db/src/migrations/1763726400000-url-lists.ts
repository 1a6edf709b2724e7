import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The lists of image URLs given to `POST /import/urls`, one row per line, listed a page at a time by position. */
export class UrlLists1763726400000 implements MigrationInterface {
  name = 'UrlLists1763726400000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE url_list_entries (
        list_id uuid NOT NULL,
        position integer NOT NULL,
        url text NOT NULL,
        CONSTRAINT url_list_entries_pkey PRIMARY KEY (list_id, position)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE url_list_entries`);
  }
}
