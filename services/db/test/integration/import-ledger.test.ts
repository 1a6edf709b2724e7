import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { SourceFile } from '@importer/contracts';
import { ImportLedger } from '../../src/index.js';
import { createTestDatabase, type TestDatabase } from '../../src/testing.js';

const file = (id: string, path = `${id}.jpg`): SourceFile => ({
  sourceFileId: id, name: path.split('/').pop() ?? id, path, mimeType: 'image/jpeg', size: 100, md5: 'a'.repeat(32), resourceKey: `key-${id}`,
});

describe('the import ledger in PostgreSQL', () => {
  let db: TestDatabase;
  let ledger: ImportLedger;
  const jobId = randomUUID();
  const root = { id: 'root', path: '' };

  before(async () => {
    db = await createTestDatabase();
    ledger = new ImportLedger(db.dataSource);
    await ledger.openJob({ id: jobId, source: 'google_drive', folderUrl: 'https://drive.google.com/drive/folders/root', webhookUrl: null }, root);
  });

  after(async () => {
    await db?.drop();
  });

  test('opening a job twice leaves one job and one root folder', async () => {
    await ledger.openJob({ id: jobId, source: 'google_drive', folderUrl: null, webhookUrl: null }, root);
    assert.deepEqual(await db.dataSource.query(`SELECT count(*)::int AS n FROM import_jobs WHERE id = $1`, [jobId]), [{ n: 1 }]);
    assert.deepEqual(await ledger.counts(jobId), { found: 0, done: 0, failed: 0, skipped: 0, bytes: 0, foldersPending: 1 });
  });

  test('a page records its files, skipped entries and subfolders once, and a redelivery is stale', async () => {
    const page = {
      files: [file('a'), file('b'), file('a', 'shortcut-to-a.jpg')],
      folders: [{ id: 'sub', path: 'Sub' }],
      skipped: [{ sourceFileId: 'doc', name: 'Notes', path: 'Notes', mimeType: 'application/vnd.google-apps.document', reason: 'Google Docs file' }],
      nextCursor: 'page-2',
    };
    const recorded = await ledger.recordPage(jobId, root, null, page);
    assert.notEqual(recorded, 'stale');
    if (recorded === 'stale') return;
    assert.deepEqual(recorded.newFiles.map((f) => f.sourceFileId), ['a', 'b'], 'the same content twice on one page is one file');
    assert.deepEqual(recorded.newFolders, [{ id: 'sub', path: 'Sub' }]);
    assert.equal(recorded.newSkipped, 1);
    assert.equal(recorded.folderDone, false);

    assert.equal(await ledger.recordPage(jobId, root, null, page), 'stale');
    assert.deepEqual(await ledger.counts(jobId), { found: 3, done: 0, failed: 0, skipped: 1, bytes: 0, foldersPending: 2 });

    const [meta] = (await db.dataSource.query(`SELECT source_meta FROM import_files WHERE job_id = $1 AND source_file_id = 'a'`, [jobId])) as {
      source_meta: Record<string, unknown>;
    }[];
    assert.equal(meta?.source_meta.resourceKey, 'key-a', 'what the transfer needs is kept for re-publishing');
  });

  test('the last page of each folder finishes it; files seen before are not new again', async () => {
    const last = await ledger.recordPage(jobId, root, 'page-2', { files: [file('b'), file('c')], folders: [], skipped: [], nextCursor: null });
    assert.ok(last !== 'stale');
    assert.deepEqual(last.newFiles.map((f) => f.sourceFileId), ['c']);
    assert.equal(last.folderDone, true);
    const sub = await ledger.recordPage(jobId, { id: 'sub', path: 'Sub' }, null, { files: [file('d', 'Sub/d.jpg')], folders: [], skipped: [], nextCursor: null });
    assert.ok(sub !== 'stale');
    assert.deepEqual(await ledger.counts(jobId), { found: 5, done: 0, failed: 0, skipped: 1, bytes: 0, foldersPending: 0 });
    assert.equal(await ledger.recordPage(jobId, { id: 'sub', path: 'Sub' }, null, { files: [], folders: [], skipped: [], nextCursor: null }), 'stale');
  });

  test('the backlog counts the files still pending in running jobs, and nothing once the job has ended', async () => {
    const waiting = await ledger.backlog();
    assert.deepEqual([waiting.pendingFiles, waiting.pendingFolders], [4, 0]);
    assert.ok(waiting.oldestPendingSeconds >= 0 && waiting.oldestPendingSeconds < 600, `${waiting.oldestPendingSeconds} s`);
    await ledger.markFailed(jobId, 'a', 'fileNotDownloadable: no');
    assert.equal((await ledger.backlog()).pendingFiles, 3);
    await db.dataSource.query(`UPDATE import_jobs SET status = 'cancelled' WHERE id = $1`, [jobId]);
    assert.deepEqual(await ledger.backlog(), { pendingFiles: 0, pendingFolders: 0, oldestPendingSeconds: 0 });
  });
});

describe('the images table', () => {
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase();
  });
  after(async () => {
    await db?.drop();
  });

  test('a batch upsert inserts once and updates the same rows after; a file listed twice is one row; Drive images keep their id in google_drive_id', async () => {
    const { ImagesRepository } = await import('../../src/index.js');
    const images = new ImagesRepository(db.dataSource);
    const jobId = randomUUID();
    await new ImportLedger(db.dataSource).openJob({ id: jobId, source: 'google_drive', folderUrl: null, webhookUrl: null }, { id: 'r', path: '' });
    const image = (sourceFileId: string, size = 10) => ({
      id: randomUUID(), source: 'google_drive', sourceFileId, jobId, name: `${sourceFileId}.png`, mimeType: 'image/png', size,
      storagePath: `google_drive/${sourceFileId}`, md5: 'b'.repeat(32), width: 2, height: 3,
    });
    const first = await images.upsertMany([image('file-9'), image('file-10'), image('file-10')]);
    assert.equal(first.size, 2);
    const second = await images.upsertMany([image('file-9', 11), image('file-11')]);
    assert.equal(second.get('file-9'), first.get('file-9'), 'the second write updates the first row');
    assert.notEqual(second.get('file-11'), undefined);
    const found = await images.findBySourceFile('google_drive', 'file-9');
    assert.deepEqual(found, { id: first.get('file-9'), md5: 'b'.repeat(32), contentHash: null, size: 11 });
    const rows = (await db.dataSource.query(`SELECT source_file_id, google_drive_id, width FROM images WHERE job_id = $1 ORDER BY source_file_id`, [jobId])) as unknown[];
    assert.deepEqual(rows, [
      { source_file_id: 'file-10', google_drive_id: 'file-10', width: 2 },
      { source_file_id: 'file-11', google_drive_id: 'file-11', width: 2 },
      { source_file_id: 'file-9', google_drive_id: 'file-9', width: 2 },
    ]);
    const dropbox = await images.upsertMany([{ ...image('id:x'), source: 'dropbox', contentHash: 'c'.repeat(64), width: null }]);
    const stored = await images.find(dropbox.get('id:x') ?? '');
    assert.deepEqual([stored?.googleDriveId, stored?.width, (await images.findBySourceFile('dropbox', 'id:x'))?.contentHash], [null, null, 'c'.repeat(64)]);
    await assert.rejects(images.upsertMany([image('a'), { ...image('b'), source: 'url' }]), /one source/);
    assert.deepEqual(await images.upsertMany([]), new Map());
  });
});
