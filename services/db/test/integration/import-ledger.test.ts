import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { SourceFile } from '@importer/contracts';
import { ImportLedger, isDataError, JobSummaries, sqlState } from '../../src/index.js';
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
    assert.deepEqual(await ledger.counts(jobId), { totalFiles: 0, processedFiles: 0, failedFiles: 0, skippedFiles: 0, bytes: 0, foldersPending: 1 });
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
    assert.deepEqual(await ledger.counts(jobId), { totalFiles: 3, processedFiles: 0, failedFiles: 0, skippedFiles: 1, bytes: 0, foldersPending: 2 });

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
    assert.deepEqual(await ledger.counts(jobId), { totalFiles: 5, processedFiles: 0, failedFiles: 0, skippedFiles: 1, bytes: 0, foldersPending: 0 });
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

  test('an image whose name holds NUL is stored with the name made safe', async () => {
    const { ImagesRepository } = await import('../../src/index.js');
    const images = new ImagesRepository(db.dataSource);
    const written = await images.upsertMany([
      { id: randomUUID(), source: 'url', sourceFileId: 'nul', jobId: null, name: '\u0000.png', mimeType: 'image/png', size: 1, storagePath: 'url/nul', md5: null, width: null, height: null },
    ]);
    assert.equal((await images.find(written.get('nul') ?? ''))?.name, '\ufffd.png');
  });
});

describe('text PostgreSQL cannot store, and pages that keep failing', () => {
  let db: TestDatabase;
  let ledger: ImportLedger;
  const root = { id: 'root', path: '' };
  const openJob = async () => {
    const jobId = randomUUID();
    await ledger.openJob({ id: jobId, source: 'url', folderUrl: 'https://h.example/a\u0000', webhookUrl: null }, root);
    return jobId;
  };

  before(async () => {
    db = await createTestDatabase();
    ledger = new ImportLedger(db.dataSource, { maxListingAttempts: 3 });
  });

  after(async () => {
    await db?.drop();
  });

  test('PostgreSQL refuses NUL as a data error (class 22), which is what the lister treats as permanent', async () => {
    const refusal = await db.dataSource.query(`SELECT $1::text AS t`, ['a\u0000b']).then(() => undefined, (error: unknown) => error);
    assert.equal(sqlState(refusal), '22021');
    assert.equal(isDataError(refusal), true);
  });

  test('a page with NUL and control characters in names, paths and reasons is stored and read back made safe', async () => {
    const jobId = await openJob();
    const recorded = await ledger.recordPage(jobId, root, null, {
      files: [{ sourceFileId: 'f1', name: '\u0000.png', path: 'Dir\u001b/\u0000.png', mimeType: 'image/png', size: 1, md5: null }],
      folders: [{ id: 'sub', path: 'Sub\u0000' }],
      skipped: [{ sourceFileId: 'line-2', name: 'x\u0000', path: 'x\u0000', mimeType: null, reason: 'invalid_url\u0000' }],
      nextCursor: null,
    });
    assert.ok(recorded !== 'stale');
    await ledger.markFailed(jobId, 'f1', 'HTTP 404: \u0000 not found');
    const files = await ledger.filesPage(jobId, {}, 10);
    assert.deepEqual(
      files.map((f) => [f.name, f.path, f.reason]),
      [
        ['\ufffd.png', 'Dir\ufffd/\ufffd.png', 'HTTP 404: \ufffd not found'],
        ['x\ufffd', 'x\ufffd', 'invalid_url\ufffd'],
      ],
    );
    const folders = (await db.dataSource.query(`SELECT path FROM import_folders WHERE job_id = $1 AND folder_id = 'sub'`, [jobId])) as { path: string }[];
    assert.deepEqual(folders, [{ path: 'Sub\ufffd' }]);
    const [job] = (await db.dataSource.query(`SELECT folder_url FROM import_jobs WHERE id = $1`, [jobId])) as { folder_url: string }[];
    assert.equal(job?.folder_url, 'https://h.example/a\ufffd');
    await new JobSummaries(db.dataSource).save({ id: jobId, status: 'failed', totalFiles: 1, processedFiles: 0, failedFiles: 1, skippedFiles: 0, bytes: 0, error: 'boom\u0000', finishedAt: null });
    assert.equal((await new JobSummaries(db.dataSource).find(jobId))?.error, 'boom\ufffd');
  });

  test('each attempt at a page is counted before it starts; the last allowed one that fails fails the folder with its reason', async () => {
    const jobId = await openJob();
    assert.deepEqual(await ledger.beginListing(jobId, 'root', null), { state: 'listing', attempt: 1 });
    assert.equal(await ledger.noteListingFailed(jobId, 'root', null, 'HTTP 503'), undefined, 'attempt 1 of 3: tried again');
    assert.deepEqual(await ledger.beginListing(jobId, 'root', null), { state: 'listing', attempt: 2 });
    assert.deepEqual(await ledger.beginListing(jobId, 'root', null), { state: 'listing', attempt: 3 }, 'attempt 2 crashed: it still counts');
    assert.equal(await ledger.noteListingFailed(jobId, 'root', null, 'HTTP 503\u0000'), '3 attempts at this page failed; the last one: HTTP 503\ufffd');
    assert.deepEqual(await ledger.beginListing(jobId, 'root', null), { state: 'failed', reason: '3 attempts at this page failed; the last one: HTTP 503\ufffd' });
    assert.equal((await ledger.counts(jobId)).foldersPending, 1, 'a failed folder never lets the job complete without it');
  });

  test('attempts that all crash fail the folder on the next one, with the last error noted', async () => {
    const jobId = await openJob();
    for (let i = 0; i < 3; i++) await ledger.beginListing(jobId, 'root', null);
    const attempt = await ledger.beginListing(jobId, 'root', null);
    assert.deepEqual(attempt, { state: 'failed', reason: '3 attempts at this page did not finish; the last one: none of them reported an error (the lister stopped while listing)' });
  });

  test('a recorded page starts the count again; a page already past is stale', async () => {
    const jobId = await openJob();
    await ledger.beginListing(jobId, 'root', null);
    await ledger.beginListing(jobId, 'root', null);
    await ledger.noteListingFailed(jobId, 'root', null, 'HTTP 503');
    await ledger.recordPage(jobId, root, null, { files: [], folders: [], skipped: [], nextCursor: 'p2' });
    assert.deepEqual(await ledger.beginListing(jobId, 'root', null), { state: 'stale' });
    assert.deepEqual(await ledger.beginListing(jobId, 'root', 'p2'), { state: 'listing', attempt: 1 });
    const [row] = (await db.dataSource.query(`SELECT attempts, last_error FROM import_folders WHERE job_id = $1`, [jobId])) as unknown[];
    assert.deepEqual(row, { attempts: 1, last_error: null });
  });

  test('a folder failed for good is not recorded or listed again, and the watchdog re-sends it only to repeat the failure', async () => {
    const jobId = await openJob();
    assert.equal(await ledger.failFolder(jobId, 'root', 'elsewhere', 'no'), false, 'a failure of a page already past changes nothing');
    assert.equal(await ledger.failFolder(jobId, 'root', null, 'a page could not be stored: \u0000'), true);
    assert.equal(await ledger.failFolder(jobId, 'root', null, 'again'), false);
    assert.equal(await ledger.recordPage(jobId, root, null, { files: [], folders: [], skipped: [], nextCursor: null }), 'stale');
    assert.deepEqual(await ledger.beginListing(jobId, 'root', null), { state: 'failed', reason: 'a page could not be stored: \ufffd' });
    const stalled = await ledger.claimStalledFolders(jobId, new Date(Date.now() + 60_000));
    assert.deepEqual(stalled, [{ folder: root, cursor: null }]);
  });
});
