import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { FileOutcomesRepository } from '../../src/index.js';
import { createTestDatabase, type TestDatabase } from '../../src/testing.js';
import { freshJob, listedFile as file } from './fresh-job.fixture.js';

describe('file outcomes in PostgreSQL (the transfer)', () => {
  let db: TestDatabase;
  let outcomes: FileOutcomesRepository;
  const ledger = async (jobId: string) =>
    (await db.dataSource.query(
      `SELECT source_file_id AS id, status, attempts, last_error AS "lastError", image_id AS "imageId", size::float8 AS size FROM import_files WHERE job_id = $1 ORDER BY id`,
      [jobId],
    )) as { id: string; status: string; attempts: number; lastError: string | null; imageId: string | null; size: number | null }[];
  /** An image row for a done file to point at. */
  const image = async (jobId: string, sourceFileId: string) => {
    const id = randomUUID();
    await db.dataSource.query(`INSERT INTO images (id, source, source_file_id, job_id, name, mime_type, size, storage_path) VALUES ($1, 'google_drive', $2, $3, 'a.jpg', 'image/jpeg', 7, $4)`, [
      id,
      `${jobId}/${sourceFileId}`,
      jobId,
      `google_drive/${id}`,
    ]);
    return id;
  };

  before(async () => {
    db = await createTestDatabase();
    outcomes = new FileOutcomesRepository(db.dataSource);
  });

  after(async () => {
    await db?.drop();
  });

  test('claiming a batch counts an attempt at each file still pending, and leaves out those finished or unknown', async () => {
    const jobId = await freshJob(db.dataSource, { files: [file('a'), file('b'), file('c')] });
    await outcomes.markFailed(jobId, 'c', 'gone');
    assert.deepEqual(await outcomes.claimFiles(jobId, ['a', 'b', 'c', 'nowhere']), new Map([['a', 1], ['b', 1]]));
    assert.deepEqual(await outcomes.claimFiles(jobId, ['a']), new Map([['a', 2]]), 'a redelivery is another attempt');
    assert.deepEqual((await ledger(jobId)).map((f) => f.attempts), [2, 1, 0]);
  });

  test('files marked done keep the image they became and their size, once; only those still pending are answered', async () => {
    const jobId = await freshJob(db.dataSource, { files: [file('a'), file('b'), file('c')] });
    await outcomes.noteAttemptFailed(jobId, 'a', 'HTTP 503');
    await outcomes.markFailed(jobId, 'c', 'gone');
    const [a, b, c] = [await image(jobId, 'a'), await image(jobId, 'b'), await image(jobId, 'c')];
    const done = await outcomes.markManyDone(jobId, [
      { sourceFileId: 'a', imageId: a, size: 5_000_000_000 },
      { sourceFileId: 'b', imageId: b, size: 7 },
      { sourceFileId: 'c', imageId: c, size: 1 },
    ]);
    assert.deepEqual(done, new Set(['a', 'b']));
    assert.deepEqual((await ledger(jobId)).map((f) => [f.id, f.status, f.imageId, f.size, f.lastError]), [
      ['a', 'done', a, 5_000_000_000, null],
      ['b', 'done', b, 7, null],
      ['c', 'failed', null, 100, 'gone'],
    ]);
    assert.deepEqual(await outcomes.markManyDone(jobId, [{ sourceFileId: 'a', imageId: a, size: 5 }]), new Set(), 'a redelivered batch marks nothing');
    assert.deepEqual(await outcomes.markManyDone(jobId, []), new Set());
  });

  test('a file fails once, with its reason made safe; a finished file does not fail', async () => {
    const jobId = await freshJob(db.dataSource, { files: [file('a')] });
    assert.equal(await outcomes.markFailed(jobId, 'a', 'HTTP 404: \u0000 not found'), true);
    assert.equal(await outcomes.markFailed(jobId, 'a', 'again'), false);
    assert.deepEqual((await ledger(jobId)).map((f) => [f.status, f.lastError]), [['failed', 'HTTP 404: \ufffd not found']]);
  });

  test('a failed attempt is noted on a file that stays pending; a dead-lettered batch fails what is still pending, with that note', async () => {
    const jobId = await freshJob(db.dataSource, { files: [file('a'), file('b'), file('c')] });
    await outcomes.noteAttemptFailed(jobId, 'a', 'HTTP 503');
    await outcomes.markFailed(jobId, 'c', 'gone');
    await outcomes.noteAttemptFailed(jobId, 'c', 'too late');
    assert.deepEqual((await ledger(jobId)).map((f) => [f.status, f.lastError]), [['pending', 'HTTP 503'], ['pending', null], ['failed', 'gone']]);

    assert.equal(await outcomes.failStillPending(jobId, ['a', 'b', 'c'], 'delivery_failed'), 2);
    assert.deepEqual((await ledger(jobId)).map((f) => [f.status, f.lastError]), [
      ['failed', 'delivery_failed; last error: HTTP 503'],
      ['failed', 'delivery_failed'],
      ['failed', 'gone'],
    ]);
    assert.equal(await outcomes.failStillPending(jobId, ['a', 'b'], 'again'), 0);
  });
});
