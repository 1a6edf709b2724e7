import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A job keeps its file quota, so an ImportJob actor whose state store lost it (Redis restarted with nothing kept) is
 * rebuilt from its row and the ledger with every rule it started under.
 */
export class JobRecovery1763760600000 implements MigrationInterface {
  name = 'JobRecovery1763760600000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE import_jobs ADD COLUMN max_files integer`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE import_jobs DROP COLUMN max_files`);
  }
}
