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

  const lease = (holder: string, ttlMs = 60_000) => ({ holder, ttlMs });
  const leaseOf = async (jobId: string, id: string) =>
    ((await db.dataSource.query(
      `SELECT lease_holder AS holder, extract(epoch FROM lease_expires_at - now())::float8 AS "secondsLeft" FROM import_files WHERE job_id = $1 AND source_file_id = $2`,
      [jobId, id],
    )) as { holder: string | null; secondsLeft: number | null }[])[0];

  test('claiming a batch counts an attempt at each file still pending and free, takes its lease, and leaves out those finished, held or unknown', async () => {
    const jobId = await freshJob(db.dataSource, { files: [file('a'), file('b'), file('c')] });
    await outcomes.markFailed(jobId, 'c', 'gone');
    const first = await outcomes.claimFiles(jobId, ['a', 'b', 'c', 'nowhere'], lease('one'), 5);
    assert.deepEqual(first, { claimed: new Map([['a', 1], ['b', 1]]), exhausted: new Map() });
    assert.equal((await leaseOf(jobId, 'a'))?.holder, 'one');
    assert.ok(((await leaseOf(jobId, 'a'))?.secondsLeft ?? 0) > 50, 'the lease runs for its time to live');
    assert.deepEqual(await outcomes.claimFiles(jobId, ['a'], lease('two'), 5), { claimed: new Map(), exhausted: new Map() }, 'a live lease is not taken');
    assert.deepEqual((await ledger(jobId)).map((f) => f.attempts), [1, 1, 0], 'a claim that took nothing counted nothing');
  });

  test('an expired lease is taken by the next claim, as another attempt; the old holder can no longer renew it', async () => {
    const jobId = await freshJob(db.dataSource, { files: [file('a'), file('b')] });
    await outcomes.claimFiles(jobId, ['a', 'b'], lease('dead', 1), 5);
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual((await outcomes.claimFiles(jobId, ['a'], lease('alive'), 5)).claimed, new Map([['a', 2]]));
    assert.deepEqual(await outcomes.renewLeases('dead', 60_000, [[jobId, 'a'], [jobId, 'b']]), [[jobId, 'b']], 'a is no longer the dead holder\'s');
    assert.deepEqual(await outcomes.renewLeases('alive', 60_000, [[jobId, 'a']]), [[jobId, 'a']]);
  });

  test('a file whose every attempt started without an outcome (a crash each time) fails at the next claim, with the last error', async () => {
    const jobId = await freshJob(db.dataSource, { files: [file('a'), file('b')] });
    for (let i = 0; i < 2; i++) {
      await outcomes.claimFiles(jobId, ['a', 'b'], lease(`crashed-${i}`, 1), 2);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await db.dataSource.query(`UPDATE import_files SET last_error = 'lease_expired: the replica stopped' WHERE job_id = $1 AND source_file_id = 'b'`, [jobId]);
    const claim = await outcomes.claimFiles(jobId, ['a', 'b'], lease('third'), 2);
    assert.deepEqual(claim.claimed, new Map());
    assert.deepEqual(claim.exhausted, new Map([
      ['a', '2 attempts started and none finished; the last error: none of them ended with an outcome (the transfer stopped while working on it)'],
      ['b', '2 attempts started and none finished; the last error: lease_expired: the replica stopped'],
    ]));
    assert.deepEqual((await ledger(jobId)).map((f) => [f.status, f.attempts]), [['failed', 2], ['failed', 2]]);
  });

  test("a retry becomes due later and is free to claim; it is only the holder's to schedule; a hand-back gives the attempt back", async () => {
    const jobId = await freshJob(db.dataSource, { files: [file('a'), file('b')] });
    await outcomes.claimFiles(jobId, ['a', 'b'], lease('one'), 5);
    await outcomes.scheduleRetry(jobId, 'a', 'someone-else', 'HTTP 503', 10_000);
    assert.equal((await leaseOf(jobId, 'a'))?.holder, 'one', 'not the holder: nothing changes');
    await outcomes.scheduleRetry(jobId, 'a', 'one', 'HTTP 503', 10_000);
    const retry = await leaseOf(jobId, 'a');
    assert.equal(retry?.holder, null);
    assert.ok((retry?.secondsLeft ?? 0) > 8 && (retry?.secondsLeft ?? 0) <= 10, `due in about 10 s (${retry?.secondsLeft})`);
    assert.deepEqual((await ledger(jobId)).map((f) => [f.status, f.lastError]), [['pending', 'HTTP 503'], ['pending', null]]);
    assert.equal(await outcomes.handBack(jobId, ['b'], 'one'), 1);
    assert.deepEqual((await ledger(jobId)).map((f) => f.attempts), [1, 0], "b's attempt is given back");
    assert.equal((await leaseOf(jobId, 'b'))?.holder, null);
  });

  test('files marked done keep the image they became and their size, once; only those still pending are answered', async () => {
    const jobId = await freshJob(db.dataSource, { files: [file('a'), file('b'), file('c')] });
    await outcomes.claimFiles(jobId, ['a'], lease('one'), 5);
    await outcomes.scheduleRetry(jobId, 'a', 'one', 'HTTP 503', 0);
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
});
