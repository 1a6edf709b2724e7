import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { JobFilesRepository } from '../../src/index.js';
import { createTestDatabase, type TestDatabase } from '../../src/testing.js';
import { freshJob, listedFile as file } from './fresh-job.fixture.js';
import { freshUser } from './fresh-user.fixture.js';

const ANY = { anyOwner: true } as const;

describe('a job\'s files in PostgreSQL (the jobs API)', () => {
  let db: TestDatabase;
  let jobFiles: JobFilesRepository;
  const settle = async (jobId: string, status: string, id: string, reason: string | null) =>
    db.dataSource.query(`UPDATE import_files SET status = $2, last_error = $4 WHERE job_id = $1 AND source_file_id = $3`, [jobId, status, id, reason]);

  before(async () => {
    db = await createTestDatabase();
    jobFiles = new JobFilesRepository(db.dataSource);
  });

  after(async () => {
    await db?.drop();
  });

  test('every file comes in the order found, a page at a time after the last one shown, of one status or all', async () => {
    const jobId = await freshJob(db.dataSource, { files: [file('a', 'Sub/a.jpg'), file('b'), file('c'), file('d')] });
    await settle(jobId, 'failed', 'b', 'http_404: gone');
    await settle(jobId, 'done', 'c', null);
    await settle(jobId, 'pending', 'd', 'HTTP 503');

    const first = await jobFiles.filesPage(jobId, ANY, {}, 2);
    assert.deepEqual(
      first.map(({ id: _id, ...rest }) => rest),
      [
        { sourceFileId: 'a', name: 'a.jpg', sourcePath: 'Sub/a.jpg', status: 'pending', lastError: null, attempts: 0, imageId: null },
        { sourceFileId: 'b', name: 'b.jpg', sourcePath: 'b.jpg', status: 'failed', lastError: 'http_404: gone', attempts: 0, imageId: null },
      ],
    );
    const after = first.at(-1)?.id;
    assert.match(after ?? '', /^[1-9]\d*$/, 'a position is the ledger row\'s id, as text');
    const second = await jobFiles.filesPage(jobId, ANY, { ...(after ? { after } : {}) }, 2);
    assert.deepEqual(second.map((f) => [f.sourceFileId, f.status, f.lastError]), [['c', 'done', null], ['d', 'pending', 'HTTP 503']]);
    assert.deepEqual(await jobFiles.filesPage(jobId, ANY, { after: second.at(-1)?.id ?? '' }, 2), []);
    assert.deepEqual((await jobFiles.filesPage(jobId, ANY, { status: 'pending' }, 10)).map((f) => f.sourceFileId), ['a', 'd']);
  });

  test('a job\'s files are only its own', async () => {
    const mine = await freshJob(db.dataSource, { files: [file('a')] });
    await freshJob(db.dataSource, { files: [file('a'), file('b')] });
    assert.deepEqual((await jobFiles.filesPage(mine, ANY, {}, 10)).map((f) => f.sourceFileId), ['a']);
    assert.deepEqual((await jobFiles.failedFiles(mine, ANY, 10)).length, 0);
  });

  test("a job's files are read only in its owner's scope or the administrators': another owner's job, or none, has no files", async () => {
    const [a, b] = [(await freshUser(db.dataSource)).id, (await freshUser(db.dataSource)).id];
    const jobOfA = await freshJob(db.dataSource, { ownerId: a, files: [file('a'), file('b')] });
    await freshJob(db.dataSource, { ownerId: b, files: [file('a')] });
    await settle(jobOfA, 'failed', 'b', 'gone');
    const ids = (files: { sourceFileId: string }[]) => files.map((f) => f.sourceFileId);

    assert.deepEqual(ids(await jobFiles.filesPage(jobOfA, { ownerId: a }, {}, 10)), ['a', 'b']);
    assert.deepEqual(ids(await jobFiles.filesPage(jobOfA, ANY, { status: 'failed' }, 10)), ['b']);
    assert.deepEqual(ids(await jobFiles.failedFiles(jobOfA, { ownerId: a }, 10)), ['b']);
    assert.deepEqual(ids(await jobFiles.failedFiles(jobOfA, ANY, 10)), ['b']);

    assert.deepEqual(await jobFiles.filesPage(jobOfA, { ownerId: b }, {}, 10), []);
    assert.deepEqual(await jobFiles.filesPage(jobOfA, { ownerId: b }, { status: 'failed' }, 10), []);
    assert.deepEqual(await jobFiles.failedFiles(jobOfA, { ownerId: b }, 10), []);
    assert.deepEqual(await jobFiles.filesPage(randomUUID(), ANY, {}, 10), []);
    assert.deepEqual(await jobFiles.failedFiles(randomUUID(), ANY, 10), []);
  });

  test('the failed files come first found first, up to the limit, each with its reason or "unknown error"', async () => {
    const jobId = await freshJob(db.dataSource, { files: [file('a'), file('b'), file('c'), file('d')] });
    await settle(jobId, 'failed', 'a', 'not_an_image: text');
    await settle(jobId, 'done', 'b', null);
    await settle(jobId, 'failed', 'c', null);
    await settle(jobId, 'failed', 'd', 'x');
    assert.deepEqual(await jobFiles.failedFiles(jobId, ANY, 2), [
      { sourceFileId: 'a', name: 'a.jpg', sourcePath: 'a.jpg', lastError: 'not_an_image: text' },
      { sourceFileId: 'c', name: 'c.jpg', sourcePath: 'c.jpg', lastError: 'unknown error' },
    ]);
  });
});
