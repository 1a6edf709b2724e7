import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { SourceFile } from '@importer/contracts';
import { FolderListingsRepository, JobLedgerRepository, JobSummariesRepository } from '../../src/index.js';
import { createTestDatabase, type TestDatabase } from '../../src/testing.js';
import { freshJob, listedFile as file, ROOT as root } from './fresh-job.fixture.js';
import { freshUser } from './fresh-user.fixture.js';

const HOUR_AGO = () => new Date(Date.now() - 3_600_000);
const MINUTE_AGO = () => new Date(Date.now() - 60_000);

describe('the ImportJob actor\'s ledger in PostgreSQL', () => {
  let db: TestDatabase;
  let ledger: JobLedgerRepository;
  /** Sets files' status (and size, for a done one) as the transfer would have. */
  const settle = async (jobId: string, status: string, ids: string[], size = 100) =>
    db.dataSource.query(`UPDATE import_files SET status = $2::text, size = $4, last_error = CASE WHEN $2::text = 'failed' THEN 'gone' END WHERE job_id = $1 AND source_file_id = ANY($3::text[])`, [
      jobId,
      status,
      ids,
      size,
    ]);
  /** Makes a job's rows look untouched since `at`. */
  const untouchedSince = async (jobId: string, at: Date) => {
    await db.dataSource.query(`UPDATE import_files SET updated_at = $2 WHERE job_id = $1`, [jobId, at]);
    await db.dataSource.query(`UPDATE import_folders SET updated_at = $2 WHERE job_id = $1`, [jobId, at]);
  };

  before(async () => {
    db = await createTestDatabase();
    ledger = new JobLedgerRepository(db.dataSource);
  });

  after(async () => {
    await db?.drop();
  });

  test('opening the root folder twice leaves one, listing from its first page', async () => {
    const jobId = await freshJob(db.dataSource);
    await ledger.openRoot(jobId, { ...root, path: 'again' });
    const folders = (await db.dataSource.query(`SELECT folder_id, path, cursor, status FROM import_folders WHERE job_id = $1`, [jobId])) as unknown[];
    assert.deepEqual(folders, [{ folder_id: 'root', path: '', cursor: null, status: 'listing' }]);
    assert.deepEqual(await ledger.counts(jobId), { totalFiles: 0, processedFiles: 0, failedFiles: 0, skippedFiles: 0, bytes: 0, foldersPending: 1 });
  });

  test('counts are exact per outcome, with the bytes imported; a failed folder stays pending', async () => {
    const jobId = await freshJob(db.dataSource, { files: ['a', 'b', 'c', 'd', 'e', 'f'].map((id) => file(id)) });
    await settle(jobId, 'done', ['a', 'b'], 5_000_000_000);
    await settle(jobId, 'failed', ['c']);
    await settle(jobId, 'skipped', ['d', 'e']);
    assert.deepEqual(await ledger.counts(jobId), { totalFiles: 6, processedFiles: 2, failedFiles: 1, skippedFiles: 2, bytes: 10_000_000_000, foldersPending: 1 });
    await db.dataSource.query(`UPDATE import_folders SET status = 'failed' WHERE job_id = $1`, [jobId]);
    assert.equal((await ledger.counts(jobId)).foldersPending, 1, 'a failed folder never lets the job complete without it');
    await db.dataSource.query(`UPDATE import_folders SET status = 'done' WHERE job_id = $1`, [jobId]);
    assert.equal((await ledger.counts(jobId)).foldersPending, 0);
  });

  test('stalled folders, listing or failed, are claimed with the page to list next, and not again at once', async () => {
    const jobId = await freshJob(db.dataSource, { files: [file('a')] });
    await db.dataSource.query(
      `INSERT INTO import_folders (job_id, folder_id, resource_key, path, cursor, status) VALUES ($1, 'sub', 'rk', 'Sub', NULL, 'failed'), ($1, 'done', NULL, 'Done', NULL, 'done')`,
      [jobId],
    );
    await untouchedSince(jobId, HOUR_AGO());
    const stalled = await ledger.claimStalledFolders(jobId, MINUTE_AGO());
    assert.deepEqual(
      stalled.sort((x, y) => x.folder.id.localeCompare(y.folder.id)),
      [
        { folder: root, cursor: 'more' },
        { folder: { id: 'sub', path: 'Sub', resourceKey: 'rk' }, cursor: null },
      ],
    );
    assert.deepEqual(await ledger.claimStalledFolders(jobId, MINUTE_AGO()), [], 'claimed folders count as touched now');
  });

  test('stale pending files are claimed as they were listed, the first ones found up to the limit, and not again at once', async () => {
    const jobId = await freshJob(db.dataSource, { files: [file('a', 'Sub/a.jpg'), file('b'), file('c'), file('d')] });
    await settle(jobId, 'done', ['b']);
    await untouchedSince(jobId, HOUR_AGO());
    const first = await ledger.claimStalePending(jobId, MINUTE_AGO(), 2);
    assert.deepEqual(
      first.sort((x, y) => x.sourceFileId.localeCompare(y.sourceFileId)),
      [file('a', 'Sub/a.jpg'), file('c')],
    );
    assert.deepEqual((await ledger.claimStalePending(jobId, MINUTE_AGO(), 10)).map((f) => f.sourceFileId), ['d'], 'the claimed ones count as touched now');
    assert.deepEqual(await ledger.claimStalePending(jobId, MINUTE_AGO(), 10), []);
  });

  test('a retry puts the failed files back to pending with their attempts at 0, and hands them back as listed', async () => {
    const jobId = await freshJob(db.dataSource, { files: [file('a'), file('b'), file('c')] });
    await db.dataSource.query(`UPDATE import_files SET attempts = 3 WHERE job_id = $1`, [jobId]);
    await settle(jobId, 'failed', ['a', 'c']);
    await settle(jobId, 'done', ['b']);
    const reset = await ledger.resetFailed(jobId);
    assert.deepEqual(reset.sort((x, y) => x.sourceFileId.localeCompare(y.sourceFileId)), [file('a'), file('c')]);
    const rows = (await db.dataSource.query(`SELECT source_file_id AS id, status, attempts, last_error AS "lastError" FROM import_files WHERE job_id = $1 ORDER BY id`, [jobId])) as unknown[];
    assert.deepEqual(rows, [
      { id: 'a', status: 'pending', attempts: 0, lastError: null },
      { id: 'b', status: 'done', attempts: 3, lastError: null },
      { id: 'c', status: 'pending', attempts: 0, lastError: null },
    ]);
    assert.deepEqual(await ledger.resetFailed(jobId), []);
  });

  test("a Dropbox job's folders and files come back with their shared link, and a file row written before sharedLink comes back as it was stored", async () => {
    const link = 'https://www.dropbox.com/scl/fo/abc/def?rlkey=xyz';
    const jobId = randomUUID();
    const ownerId = (await freshUser(db.dataSource)).id;
    await new JobSummariesRepository(db.dataSource).open({ id: jobId, ownerId, source: 'dropbox', folderUrl: link, webhookUrl: null });
    const dropboxRoot = { id: '/', path: '', sharedLink: link };
    await ledger.openRoot(jobId, dropboxRoot);
    const listed: SourceFile = { sourceFileId: 'id:a', name: 'a.png', path: 'a.png', locator: '/a.png', mimeType: 'image/png', size: 1, md5: null, sharedLink: link };
    const sub = { id: '/Sub', path: 'Sub', sharedLink: link };
    await new FolderListingsRepository(db.dataSource).recordPage(jobId, dropboxRoot, null, { files: [listed], folders: [sub], skipped: [], nextCursor: 'more' });
    await db.dataSource.query(
      `INSERT INTO import_files (job_id, source_file_id, name, source_path, mime_type, size, status, source_meta) VALUES ($1, 'id:old', 'old.png', 'Sub/old.png', 'image/png', 1, 'pending', $2)`,
      [jobId, JSON.stringify({ md5: null, resourceKey: link })],
    );
    await untouchedSince(jobId, HOUR_AGO());

    const folders = await ledger.claimStalledFolders(jobId, MINUTE_AGO());
    assert.deepEqual(folders.map((f) => f.folder).sort((x, y) => x.id.localeCompare(y.id)), [dropboxRoot, sub]);
    const stale = await ledger.claimStalePending(jobId, MINUTE_AGO(), 10);
    assert.deepEqual(stale.sort((x, y) => x.sourceFileId.localeCompare(y.sourceFileId)), [
      listed,
      { sourceFileId: 'id:old', name: 'old.png', path: 'Sub/old.png', mimeType: 'image/png', size: 1, md5: null, resourceKey: link },
    ]);
  });
});
