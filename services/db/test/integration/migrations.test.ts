import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { DataSource } from 'typeorm';
import { createDataSource, dropDatabase, ensureDatabase, ImageEntity, ImportFileEntity, ImportJobEntity, migrations } from '../../src/index.js';

const databaseUrl = `postgres://postgres@127.0.0.1:5432/importer_migrations_${randomUUID().slice(0, 8)}`;
const TABLES = ['api_keys', 'images', 'import_files', 'import_folders', 'import_jobs', 'sessions', 'url_list_entries', 'user_identities', 'users'];

async function tableNames(dataSource: DataSource): Promise<string[]> {
  const rows: { table_name: string }[] = await dataSource.query(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'typeorm_migrations' ORDER BY table_name`,
  );
  return rows.map((row) => row.table_name);
}

describe('TypeORM migrations on PostgreSQL', () => {
  let dataSource: DataSource;

  before(async () => {
    await ensureDatabase(databaseUrl);
    dataSource = await createDataSource({ databaseUrl, poolSize: 2 }).initialize();
  });

  after(async () => {
    await dataSource?.destroy();
    await dropDatabase(databaseUrl);
  });

  test('up creates the tables the entities describe, with their constraints', async () => {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    assert.deepEqual(applied.map((m) => m.name), migrations.map((m) => m.name));
    assert.deepEqual(await tableNames(dataSource), TABLES);

    // The schema written by hand in the migration must be what the entities expect: TypeORM finds nothing to change.
    const pending = await dataSource.driver.createSchemaBuilder().log();
    assert.deepEqual(pending.upQueries.map((q) => q.query), []);

    const jobs = dataSource.getRepository(ImportJobEntity);
    const jobId = randomUUID();
    await jobs.insert({ id: jobId, source: 'google_drive', folderUrl: 'https://drive.google.com/drive/folders/x', status: 'queued' });
    const images = dataSource.getRepository(ImageEntity);
    const image = {
      id: randomUUID(), source: 'google_drive', sourceFileId: 'file-1', googleDriveId: 'file-1', jobId,
      name: 'a.png', mimeType: 'image/png', size: 5_000_000_000, storagePath: 'google_drive/ab/cd', md5: null, width: 1, height: 1,
    };
    await images.insert(image);
    assert.equal((await images.findOneByOrFail({ id: image.id })).size, 5_000_000_000, 'bigint sizes round-trip as exact numbers');
    await assert.rejects(images.insert({ ...image, id: randomUUID() }), /images_source_file/, 'unique on (source, source_file_id)');

    const files = dataSource.getRepository(ImportFileEntity);
    await files.insert({ jobId, sourceFileId: 'file-1', name: 'a.png', sourcePath: 'a.png', status: 'pending' });
    await assert.rejects(
      files.insert({ jobId, sourceFileId: 'file-1', name: 'a.png', sourcePath: 'a.png', status: 'pending' }),
      /import_files_job_source_file/,
    );
    // In SQL: the entities' types already refuse these statuses, and the checks are what stops everything else.
    await assert.rejects(
      dataSource.query(`INSERT INTO import_files (job_id, source_file_id, name, source_path, status) VALUES ($1, 'file-2', 'b.png', 'b.png', 'lost')`, [jobId]),
      /import_files_status_check/,
    );
    await assert.rejects(dataSource.query(`UPDATE import_jobs SET status = 'paused' WHERE id = $1`, [jobId]), /import_jobs_status_check/);
  });

  test('down reverts every migration and leaves no table behind', async () => {
    for (let i = 0; i < migrations.length; i++) await dataSource.undoLastMigration({ transaction: 'each' });
    assert.deepEqual(await tableNames(dataSource), []);
    const executed: unknown[] = await dataSource.query('SELECT * FROM typeorm_migrations');
    assert.equal(executed.length, 0);
  });

  test('up again after down rebuilds the same schema', async () => {
    await dataSource.runMigrations({ transaction: 'each' });
    assert.deepEqual(await tableNames(dataSource), TABLES);
  });
});

describe('FolderSharedLink1763748000000 on PostgreSQL', () => {
  const url = `postgres://postgres@127.0.0.1:5432/importer_migrations_${randomUUID().slice(0, 8)}`;
  let dataSource: DataSource;
  const link = 'https://www.dropbox.com/scl/fo/abc/def?rlkey=xyz';
  /** Undoes FolderSharedLink1763748000000 and every migration after it, so the test starts from the schema before it. */
  const undoThroughSharedLink = async () => {
    const index = migrations.findIndex((m) => m.name === 'FolderSharedLink1763748000000');
    assert.ok(index >= 0, 'the migration under test is listed');
    for (let i = index; i < migrations.length; i++) await dataSource.undoLastMigration({ transaction: 'each' });
  };
  const folders = async () =>
    (await dataSource.query(`SELECT folder_id AS id, resource_key AS "resourceKey", shared_link AS "sharedLink" FROM import_folders ORDER BY folder_id`)) as unknown[];

  before(async () => {
    await ensureDatabase(url);
    dataSource = await createDataSource({ databaseUrl: url, poolSize: 2 }).initialize();
    await dataSource.runMigrations({ transaction: 'each' });
    await undoThroughSharedLink();
  });

  after(async () => {
    await dataSource?.destroy();
    await dropDatabase(url);
  });

  test("up moves the Dropbox folders' shared links out of resource_key, down moves them back", async () => {
    const dropbox = randomUUID();
    const drive = randomUUID();
    await dataSource.query(`INSERT INTO import_jobs (id, source, status) VALUES ($1, 'dropbox', 'listing'), ($2, 'google_drive', 'listing')`, [dropbox, drive]);
    await dataSource.query(
      `INSERT INTO import_folders (job_id, folder_id, resource_key, path, status) VALUES ($1, '/', $3, '', 'listing'), ($1, '/Sub', $3, 'Sub', 'listing'), ($2, '1Drive', '0-rk', '', 'listing'), ($2, '1Plain', NULL, 'Plain', 'listing')`,
      [dropbox, drive, link],
    );
    await dataSource.runMigrations({ transaction: 'each' });
    assert.deepEqual(await folders(), [
      { id: '/', resourceKey: null, sharedLink: link },
      { id: '/Sub', resourceKey: null, sharedLink: link },
      { id: '1Drive', resourceKey: '0-rk', sharedLink: null },
      { id: '1Plain', resourceKey: null, sharedLink: null },
    ]);
    await undoThroughSharedLink();
    assert.deepEqual(
      ((await dataSource.query(`SELECT folder_id AS id, resource_key AS "resourceKey" FROM import_folders ORDER BY folder_id`)) as unknown[]),
      [
        { id: '/', resourceKey: link },
        { id: '/Sub', resourceKey: link },
        { id: '1Drive', resourceKey: '0-rk' },
        { id: '1Plain', resourceKey: null },
      ],
    );
  });
});
