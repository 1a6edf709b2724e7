import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createDataSource } from './data-source.js';
import { dropDatabase, ensureDatabase } from './ensure-database.js';

export interface TestDatabase {
  url: string;
  dataSource: DataSource;
  /** Closes the connection and drops the database. */
  drop(): Promise<void>;
}

/** A fresh database on the local server with every migration applied, for one integration test file. */
export async function createTestDatabase(prefix = 'importer_test', serverUrl = 'postgres://postgres@127.0.0.1:5432'): Promise<TestDatabase> {
  const url = `${serverUrl}/${prefix}_${randomUUID().replaceAll('-', '').slice(0, 10)}`;
  await ensureDatabase(url);
  const dataSource = await createDataSource({ databaseUrl: url, poolSize: 4 }).initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  return {
    url,
    dataSource,
    async drop() {
      await dataSource.destroy();
      await dropDatabase(url);
    },
  };
}
