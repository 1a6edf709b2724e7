import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { DataSource } from 'typeorm';
import { createDataSource, dropDatabase, ensureDatabase, ImageEntity, ImportFileEntity, ImportJobEntity, migrations, UserEntity } from '../../src/index.js';

const databaseUrl = `postgres://postgres@127.0.0.1:5432/importer_migrations_${randomUUID().slice(0, 8)}`;
const TABLES = ['api_keys', 'image_totals', 'images', 'import_files', 'import_folders', 'import_jobs', 'sessions', 'url_list_entries', 'user_identities', 'users'];

async function tableNames(dataSource: DataSource): Promise<string[]> {
  const rows: { table_name: string }[] = await dataSource.query(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'typeorm_migrations' ORDER BY table_name`,
  );
  return rows.map((row) => row.table_name);
}

/** Undoes migration `name` and every migration after it, so a test starts from the schema before it. */
async function undoThrough(dataSource: DataSource, name: string): Promise<void> {
  const index = migrations.findIndex((m) => m.name === name);
  assert.ok(index >= 0, `${name} is listed`);
  for (let i = index; i < migrations.length; i++) await dataSource.undoLastMigration({ transaction: 'each' });
}

/** The schema TypeORM would still change to match the entities: nothing, when the migrations wrote what the entities describe. */
async function pendingSchemaChanges(dataSource: DataSource): Promise<string[]> {
  return (await dataSource.driver.createSchemaBuilder().log()).upQueries.map((q) => q.query);
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
    assert.deepEqual(await pendingSchemaChanges(dataSource), []);

    const users = dataSource.getRepository(UserEntity);
    const [ownerId, otherId] = [randomUUID(), randomUUID()];
    await users.insert([
      { id: ownerId, email: 'owner@example.com', role: 'admin' },
      { id: otherId, email: 'other@example.com', role: 'user' },
    ]);
    assert.equal((await users.findOneByOrFail({ id: ownerId })).webhookSecretVersion, 1);
    const jobs = dataSource.getRepository(ImportJobEntity);
    const jobId = randomUUID();
    await jobs.insert({ id: jobId, ownerId, source: 'google_drive', folderUrl: 'https://drive.google.com/drive/folders/x', status: 'queued' });
    const images = dataSource.getRepository(ImageEntity);
    const image = {
      id: randomUUID(), ownerId, source: 'google_drive', sourceFileId: 'file-1', googleDriveId: 'file-1', jobId,
      name: 'a.png', mimeType: 'image/png', size: 5_000_000_000, storagePath: 'google_drive/ab/cd', md5: null, width: 1, height: 1,
    };
    await images.insert(image);
    assert.equal((await images.findOneByOrFail({ id: image.id })).size, 5_000_000_000, 'bigint sizes round-trip as exact numbers');
    await assert.rejects(images.insert({ ...image, id: randomUUID() }), /images_owner_source_file/, 'unique on (owner, source, source_file_id)');
    await images.insert({ ...image, id: randomUUID(), ownerId: otherId });
    // What the schema builder cannot see: the unique holds NULLS NOT DISTINCT.
    await images.insert({ ...image, id: randomUUID(), ownerId: null });
    await assert.rejects(images.insert({ ...image, id: randomUUID(), ownerId: null }), /images_owner_source_file/, 'images nobody owns are one per source file too');
    await assert.rejects(users.delete({ id: ownerId }), /import_jobs_owner_id_fkey/, 'an owner is not deleted from under their jobs');

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
    assert.deepEqual(await pendingSchemaChanges(dataSource), []);
  });
});

describe('FolderSharedLink1763748000000 on PostgreSQL', () => {
  const url = `postgres://postgres@127.0.0.1:5432/importer_migrations_${randomUUID().slice(0, 8)}`;
  let dataSource: DataSource;
  const link = 'https://www.dropbox.com/scl/fo/abc/def?rlkey=xyz';
  const undoThroughSharedLink = () => undoThrough(dataSource, 'FolderSharedLink1763748000000');
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

describe('Ownership1763755200000 on PostgreSQL', () => {
  const url = `postgres://postgres@127.0.0.1:5432/importer_migrations_${randomUUID().slice(0, 8)}`;
  let dataSource: DataSource;
  const undoThroughOwnership = () => undoThrough(dataSource, 'Ownership1763755200000');
  /** The owners a table's rows have, each once. */
  const owners = async (table: 'images' | 'import_jobs') =>
    ((await dataSource.query(`SELECT DISTINCT owner_id AS "ownerId" FROM ${table}`)) as { ownerId: string | null }[]).map((row) => row.ownerId);
  /** A job, an image of it and an image of no job, as the schema before the migration holds them. */
  const importedBeforeAccounts = async () => {
    const [job, image, loose] = [randomUUID(), randomUUID(), randomUUID()];
    await dataSource.query(`INSERT INTO import_jobs (id, source, status) VALUES ($1, 'url', 'completed')`, [job]);
    await dataSource.query(
      `INSERT INTO images (id, source, source_file_id, job_id, name, mime_type, size, storage_path)
       VALUES ($1, 'url', $4, $3, 'a.png', 'image/png', 1, 'url/a'), ($2, 'url', $5, NULL, 'b.png', 'image/png', 1, 'url/b')`,
      [image, loose, job, `a-${image}`, `b-${loose}`],
    );
  };

  before(async () => {
    await ensureDatabase(url);
    dataSource = await createDataSource({ databaseUrl: url, poolSize: 2 }).initialize();
    await dataSource.runMigrations({ transaction: 'each' });
    await undoThroughOwnership();
  });

  after(async () => {
    await dataSource?.destroy();
    await dropDatabase(url);
  });

  test('up with no user yet leaves every job and image to the first administrator to claim', async () => {
    await importedBeforeAccounts();
    await dataSource.runMigrations({ transaction: 'each' });
    assert.deepEqual([await owners('import_jobs'), await owners('images')], [[null], [null]]);
    await undoThroughOwnership();
  });

  test('up gives every job, and every image with or without a job, to the earliest administrator; every user starts at webhook secret version 1', async () => {
    const [user, first, later] = [randomUUID(), randomUUID(), randomUUID()];
    await dataSource.query(
      `INSERT INTO users (id, email, role, created_at) VALUES ($1, 'user@example.com', 'user', '2026-01-01Z'), ($2, 'first@example.com', 'admin', '2026-01-02Z'), ($3, 'later@example.com', 'admin', '2026-01-03Z')`,
      [user, first, later],
    );
    await importedBeforeAccounts();
    await dataSource.runMigrations({ transaction: 'each' });
    assert.deepEqual([await owners('import_jobs'), await owners('images')], [[first], [first]]);
    assert.deepEqual(await dataSource.query(`SELECT DISTINCT webhook_secret_version AS v FROM users`), [{ v: 1 }]);
    assert.deepEqual(await pendingSchemaChanges(dataSource), []);
  });

  test("down keeps the oldest row of each source file, losing other owners' copies, and restores the old unique; up again rebuilds the schema", async () => {
    const [admin] = (await dataSource.query(`SELECT id FROM users WHERE role = 'admin' ORDER BY created_at LIMIT 1`)) as { id: string }[];
    const other = randomUUID();
    await dataSource.query(`INSERT INTO users (id, email, role) VALUES ($1, 'other@example.com', 'user')`, [other]);
    const [oldest, copy] = [randomUUID(), randomUUID()];
    await dataSource.query(
      `INSERT INTO images (id, owner_id, source, source_file_id, name, mime_type, size, storage_path, created_at)
       VALUES ($1, $3, 'google_drive', 'twice', 'a.png', 'image/png', 1, 'k1', '2026-02-01Z'), ($2, $4, 'google_drive', 'twice', 'a.png', 'image/png', 1, 'k2', '2026-02-02Z')`,
      [oldest, copy, other, admin?.id],
    );
    await undoThroughOwnership();
    assert.deepEqual(await dataSource.query(`SELECT id FROM images WHERE source_file_id = 'twice'`), [{ id: oldest }]);
    await assert.rejects(
      dataSource.query(`INSERT INTO images (id, source, source_file_id, name, mime_type, size, storage_path) VALUES ($1, 'google_drive', 'twice', 'a.png', 'image/png', 1, 'k3')`, [randomUUID()]),
      /images_source_file/,
    );
    const columns = (await dataSource.query(
      `SELECT table_name || '.' || column_name AS c FROM information_schema.columns WHERE column_name IN ('owner_id', 'webhook_secret_version') ORDER BY 1`,
    )) as unknown[];
    assert.deepEqual(columns, []);

    await dataSource.runMigrations({ transaction: 'each' });
    assert.deepEqual(await pendingSchemaChanges(dataSource), []);
    assert.deepEqual(await owners('images'), [admin?.id], 'up fills again');
  });
});
