import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type ExpiredFiles, type ExpiredFolder, ExpiredLeasesRepository, FileOutcomesRepository, FolderListingsRepository, JobSummariesRepository } from '../../src/index.js';
import { createTestDatabase, type TestDatabase } from '../../src/testing.js';
import { freshJob, listedFile as file } from './fresh-job.fixture.js';

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('expired leases in PostgreSQL (the reaper)', () => {
  let db: TestDatabase;
  let reaper: ExpiredLeasesRepository;
  let outcomes: FileOutcomesRepository;
  const fileState = async (jobId: string) =>
    (await db.dataSource.query(
      `SELECT source_file_id AS id, lease_holder AS holder, lease_expires_at IS NULL AS queued, last_error AS "lastError" FROM import_files WHERE job_id = $1 ORDER BY id`,
      [jobId],
    )) as { id: string; holder: string | null; queued: boolean; lastError: string | null }[];
  /** Everything expired in the database now, reaped and collected (other tests' jobs included). */
  const reapAll = async () => {
    const files: ExpiredFiles[] = [];
    await reaper.reapFiles(10_000, async (due) => void files.push(...due));
    return files;
  };

  before(async () => {
    db = await createTestDatabase();
    reaper = new ExpiredLeasesRepository(db.dataSource);
    outcomes = new FileOutcomesRepository(db.dataSource);
  });

  after(async () => {
    await db?.drop();
  });

  test("a dead holder's files and due retries are taken once, with the job's source, and left queued; live leases are not touched", async () => {
    const jobId = await freshJob(db.dataSource, { source: 'dropbox', files: [file('dead'), file('retry'), file('live'), file('queued')] });
    await outcomes.claimFiles(jobId, ['dead'], { holder: 'gone', ttlMs: 1 }, 5);
    await outcomes.claimFiles(jobId, ['retry'], { holder: 'alive', ttlMs: 60_000 }, 5);
    await outcomes.scheduleRetry(jobId, 'retry', 'alive', 'HTTP 503', 1);
    await outcomes.claimFiles(jobId, ['live'], { holder: 'alive', ttlMs: 60_000 }, 5);
    await wait(20);

    const reaped = (await reapAll()).filter((group) => group.jobId === jobId);
    assert.deepEqual(reaped.map((g) => [g.source, g.files.map((f) => f.sourceFileId).sort()]), [['dropbox', ['dead', 'retry']]]);
    assert.deepEqual(reaped[0]?.files.find((f) => f.sourceFileId === 'dead'), file('dead'), 'the file as it was listed');
    assert.deepEqual(await fileState(jobId), [
      { id: 'dead', holder: null, queued: true, lastError: 'lease_expired: the replica working on it stopped renewing its lease (it crashed or froze)' },
      { id: 'live', holder: 'alive', queued: false, lastError: null },
      { id: 'queued', holder: null, queued: true, lastError: null },
      { id: 'retry', holder: null, queued: true, lastError: 'HTTP 503' },
    ]);
    assert.deepEqual((await reapAll()).filter((g) => g.jobId === jobId), [], 'taken once');
  });

  test('a round whose sending fails takes nothing: the leases stay expired for the next round', async () => {
    const jobId = await freshJob(db.dataSource, { files: [file('a')] });
    await outcomes.claimFiles(jobId, ['a'], { holder: 'gone', ttlMs: 1 }, 5);
    await wait(20);
    await assert.rejects(reaper.reapFiles(10_000, async () => Promise.reject(new Error('broker down'))), /broker down/);
    assert.deepEqual((await reapAll()).filter((g) => g.jobId === jobId).map((g) => g.files.length), [1]);
  });

  test('two reapers at once never take the same lease', async () => {
    const jobId = await freshJob(db.dataSource, { files: Array.from({ length: 200 }, (_, i) => file(`f${i}`)) });
    await outcomes.claimFiles(jobId, Array.from({ length: 200 }, (_, i) => `f${i}`), { holder: 'gone', ttlMs: 1 }, 5);
    await wait(20);
    const seen: string[] = [];
    const collect = async (due: ExpiredFiles[]) => {
      await wait(10);
      for (const group of due) if (group.jobId === jobId) seen.push(...group.files.map((f) => f.sourceFileId));
    };
    await Promise.all([reaper.reapFiles(60, collect), reaper.reapFiles(60, collect), reaper.reapFiles(100, collect)]);
    assert.equal(seen.length, new Set(seen).size, 'no file twice');
    assert.equal(seen.length, 200);
  });

  test("a job that stopped taking work keeps its expired leases: nothing of it is sent", async () => {
    const jobId = await freshJob(db.dataSource, { files: [file('a')] });
    await outcomes.claimFiles(jobId, ['a'], { holder: 'gone', ttlMs: 1 }, 5);
    await new JobSummariesRepository(db.dataSource).save({ id: jobId, status: 'cancelled', totalFiles: 1, processedFiles: 0, failedFiles: 0, skippedFiles: 0, bytes: 0, error: null, finishedAt: new Date() });
    await wait(20);
    assert.deepEqual((await reapAll()).filter((g) => g.jobId === jobId), []);
  });

  test("a dead lister's page goes back with its cursor and its job's recursive flag", async () => {
    const jobId = await freshJob(db.dataSource, { files: [file('a')] });
    await db.dataSource.query(`UPDATE import_jobs SET recursive = false WHERE id = $1`, [jobId]);
    await new FolderListingsRepository(db.dataSource).beginListing(jobId, 'root', 'more', { holder: 'gone', ttlMs: 1 });
    await wait(20);
    const pages: ExpiredFolder[] = [];
    await reaper.reapFolders(10_000, async (due) => void pages.push(...due));
    assert.deepEqual(pages.filter((p) => p.jobId === jobId), [{ jobId, source: 'google_drive', recursive: false, folder: { id: 'root', path: '' }, cursor: 'more' }]);
  });
});
