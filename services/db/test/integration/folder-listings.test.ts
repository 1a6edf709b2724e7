import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { FolderListingsRepository } from '../../src/index.js';
import { createTestDatabase, type TestDatabase } from '../../src/testing.js';
import { freshJob, listedFile as file, ROOT as root } from './fresh-job.fixture.js';

const sub = { id: 'sub', path: 'Sub' };
const empty = { files: [], folders: [], skipped: [], nextCursor: null };

/** A lease that has run out by the next statement: each attempt as if its lister crashed. */
const crashed = { holder: 'crashed', ttlMs: 0 };

describe('folder listings in PostgreSQL (the lister)', () => {
  let db: TestDatabase;
  let listings: FolderListingsRepository;
  const files = async (jobId: string) =>
    (await db.dataSource.query(`SELECT source_file_id AS id, status FROM import_files WHERE job_id = $1 ORDER BY id`, [jobId])) as { id: string; status: string }[];
  const folders = async (jobId: string) =>
    (await db.dataSource.query(`SELECT folder_id AS id, path, cursor, status, attempts, last_error AS "lastError" FROM import_folders WHERE job_id = $1 ORDER BY folder_id`, [
      jobId,
    ])) as { id: string; path: string; cursor: string | null; status: string; attempts: number; lastError: string | null }[];

  before(async () => {
    db = await createTestDatabase();
    listings = new FolderListingsRepository(db.dataSource, { maxListingAttempts: 3 });
  });

  after(async () => {
    await db?.drop();
  });

  test('a page records its files, skipped entries and subfolders once, and a redelivery is stale', async () => {
    const jobId = await freshJob(db.dataSource);
    const page = {
      files: [file('a'), file('b'), file('a', 'shortcut-to-a.jpg')],
      folders: [sub],
      skipped: [{ sourceFileId: 'doc', name: 'Notes', path: 'Notes', mimeType: 'application/vnd.google-apps.document', reason: 'Google Docs file' }],
      nextCursor: 'page-2',
    };
    const recorded = await listings.recordPage(jobId, root, null, page);
    assert.ok(recorded !== 'stale');
    assert.deepEqual(recorded.newFiles.map((f) => f.sourceFileId), ['a', 'b'], 'the same content twice on one page is one file');
    assert.deepEqual([recorded.newFolders, recorded.newSkipped, recorded.folderDone], [[sub], 1, false]);

    assert.equal(await listings.recordPage(jobId, root, null, page), 'stale');
    assert.deepEqual(await files(jobId), [{ id: 'a', status: 'pending' }, { id: 'b', status: 'pending' }, { id: 'doc', status: 'skipped' }]);
    assert.deepEqual((await folders(jobId)).map((f) => [f.id, f.cursor, f.status]), [['root', 'page-2', 'listing'], ['sub', null, 'listing']]);
    const [meta] = (await db.dataSource.query(`SELECT source_meta FROM import_files WHERE job_id = $1 AND source_file_id = 'a'`, [jobId])) as {
      source_meta: Record<string, unknown>;
    }[];
    assert.equal(meta?.source_meta.resourceKey, 'key-a', 'what the transfer needs is kept for re-publishing');
  });

  test('the last page of a folder finishes it; files seen on an earlier page are not new again', async () => {
    const jobId = await freshJob(db.dataSource);
    await listings.recordPage(jobId, root, null, { ...empty, files: [file('a'), file('b')], nextCursor: 'page-2' });
    const last = await listings.recordPage(jobId, root, 'page-2', { ...empty, files: [file('b'), file('c')] });
    assert.ok(last !== 'stale');
    assert.deepEqual([last.newFiles.map((f) => f.sourceFileId), last.folderDone], [['c'], true]);
    assert.deepEqual((await folders(jobId)).map((f) => [f.id, f.cursor, f.status]), [['root', null, 'done']]);
    assert.equal(await listings.recordPage(jobId, root, null, empty), 'stale', 'a finished folder takes no page');
  });

  test('a page with NUL and control characters in names, paths and reasons is stored made safe', async () => {
    const jobId = await freshJob(db.dataSource, { source: 'url' });
    const recorded = await listings.recordPage(jobId, root, null, {
      files: [{ sourceFileId: 'f1', name: '\u0000.png', path: 'Dir\u001b/\u0000.png', mimeType: 'image/png', size: 1, md5: null }],
      folders: [{ id: 'sub', path: 'Sub\u0000' }],
      skipped: [{ sourceFileId: 'line-2', name: 'x\u0000', path: 'x\u0000', mimeType: null, reason: 'invalid_url\u0000' }],
      nextCursor: null,
    });
    assert.ok(recorded !== 'stale');
    const stored = (await db.dataSource.query(`SELECT name, source_path, last_error FROM import_files WHERE job_id = $1 ORDER BY id`, [jobId])) as unknown[];
    assert.deepEqual(stored, [
      { name: '\ufffd.png', source_path: 'Dir\ufffd/\ufffd.png', last_error: null },
      { name: 'x\ufffd', source_path: 'x\ufffd', last_error: 'invalid_url\ufffd' },
    ]);
    assert.equal((await folders(jobId)).find((f) => f.id === 'sub')?.path, 'Sub\ufffd');
  });

  test('each attempt at a page is counted before it starts; the last allowed one that fails fails the folder with its reason', async () => {
    const jobId = await freshJob(db.dataSource);
    assert.deepEqual(await listings.beginListing(jobId, 'root', null, crashed), { state: 'listing', attempt: 1 });
    assert.equal(await listings.noteListingFailed(jobId, 'root', null, 'HTTP 503', 0), undefined, 'attempt 1 of 3: tried again');
    assert.deepEqual(await listings.beginListing(jobId, 'root', null, crashed), { state: 'listing', attempt: 2 });
    assert.deepEqual(await listings.beginListing(jobId, 'root', null, crashed), { state: 'listing', attempt: 3 }, 'attempt 2 crashed: it still counts');
    assert.equal(await listings.noteListingFailed(jobId, 'root', null, 'HTTP 503\u0000', 0), '3 attempts at this page failed; the last one: HTTP 503\ufffd');
    assert.deepEqual(await listings.beginListing(jobId, 'root', null, crashed), { state: 'failed', reason: '3 attempts at this page failed; the last one: HTTP 503\ufffd' });
    assert.equal((await folders(jobId))[0]?.status, 'failed');
  });

  test('attempts that all crash fail the folder on the next one, with the last error noted', async () => {
    const jobId = await freshJob(db.dataSource);
    for (let i = 0; i < 3; i++) await listings.beginListing(jobId, 'root', null, crashed);
    const attempt = await listings.beginListing(jobId, 'root', null, crashed);
    assert.deepEqual(attempt, { state: 'failed', reason: '3 attempts at this page did not finish; the last one: none of them reported an error (the lister stopped while listing)' });
  });

  test('a recorded page starts the count again; a page already past is stale', async () => {
    const jobId = await freshJob(db.dataSource);
    await listings.beginListing(jobId, 'root', null, crashed);
    await listings.beginListing(jobId, 'root', null, crashed);
    await listings.noteListingFailed(jobId, 'root', null, 'HTTP 503', 0);
    await listings.recordPage(jobId, root, null, { ...empty, nextCursor: 'p2' });
    assert.deepEqual(await listings.beginListing(jobId, 'root', null, crashed), { state: 'stale' });
    assert.equal(await listings.noteListingFailed(jobId, 'root', null, 'late', 0), undefined, 'a failure of a page already past changes nothing');
    assert.deepEqual(await listings.beginListing(jobId, 'root', 'p2', crashed), { state: 'listing', attempt: 1 });
    assert.deepEqual((await folders(jobId)).map((f) => [f.attempts, f.lastError]), [[1, null]]);
  });

  test('a folder failed for good is failed once, and is not recorded or listed again', async () => {
    const jobId = await freshJob(db.dataSource);
    assert.equal(await listings.failFolder(jobId, 'root', 'elsewhere', 'no'), false, 'a failure of a page already past changes nothing');
    assert.equal(await listings.failFolder(jobId, 'root', null, 'a page could not be stored: \u0000'), true);
    assert.equal(await listings.failFolder(jobId, 'root', null, 'again'), false);
    assert.equal(await listings.recordPage(jobId, root, null, empty), 'stale');
    assert.deepEqual(await listings.beginListing(jobId, 'root', null, crashed), { state: 'failed', reason: 'a page could not be stored: \ufffd' });
  });

  test("a page under another replica's live lease is held, not listed twice; once that lease runs out it is taken, as another attempt", async () => {
    const jobId = await freshJob(db.dataSource);
    assert.deepEqual(await listings.beginListing(jobId, 'root', null, { holder: 'one', ttlMs: 60_000 }), { state: 'listing', attempt: 1 });
    assert.deepEqual(await listings.beginListing(jobId, 'root', null, { holder: 'two', ttlMs: 60_000 }), { state: 'held' });
    assert.deepEqual(await listings.renewLeases('one', 60_000, [[jobId, 'root']]), [[jobId, 'root']]);
    await db.dataSource.query(`UPDATE import_folders SET lease_expires_at = now() - interval '1 second' WHERE job_id = $1`, [jobId]);
    assert.deepEqual(await listings.beginListing(jobId, 'root', null, { holder: 'two', ttlMs: 60_000 }), { state: 'listing', attempt: 2 });
    assert.deepEqual(await listings.renewLeases('one', 60_000, [[jobId, 'root']]), [], 'the old holder has lost it');
    assert.equal(await listings.handBack(jobId, 'root', null, 'two'), true);
    assert.deepEqual((await folders(jobId)).map((f) => f.attempts), [1], 'a hand-back returns the attempt');
  });

  test('a folder the ledger does not have is stale', async () => {
    const jobId = await freshJob(db.dataSource);
    assert.deepEqual(await listings.beginListing(jobId, 'nowhere', null, crashed), { state: 'stale' });
    assert.equal(await listings.recordPage(jobId, { id: 'nowhere', path: 'X' }, null, { ...empty, files: [file('x')] }), 'stale');
    assert.deepEqual(await files(jobId), []);
  });
});
