import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BacklogRepository, type Backlog } from '../../src/index.js';
import { createTestDatabase, type TestDatabase } from '../../src/testing.js';
import { freshJob, listedFile as file } from './fresh-job.fixture.js';

describe('the backlog of running jobs in PostgreSQL (the metrics)', () => {
  let db: TestDatabase;
  let backlog: BacklogRepository;
  /** What the backlog grew by since `before`: it counts over every job, so each test reads only its own change. */
  const grewBy = async (before: Backlog) => {
    const now = await backlog.measure();
    return [now.pendingFiles - before.pendingFiles, now.pendingFolders - before.pendingFolders];
  };

  before(async () => {
    db = await createTestDatabase();
    backlog = new BacklogRepository(db.dataSource);
  });

  after(async () => {
    await db?.drop();
  });

  test('the files and folders a job that takes work still waits for are counted, with the age of the oldest file', async () => {
    const before = await backlog.measure();
    const jobId = await freshJob(db.dataSource, { files: [file('a'), file('b'), file('c')] });
    await db.dataSource.query(`UPDATE import_files SET status = 'done' WHERE job_id = $1 AND source_file_id = 'c'`, [jobId]);
    await db.dataSource.query(`UPDATE import_files SET created_at = now() - interval '1 hour' WHERE job_id = $1 AND source_file_id = 'a'`, [jobId]);
    await db.dataSource.query(`UPDATE import_jobs SET status = 'running' WHERE id = $1`, [jobId]);
    assert.deepEqual(await grewBy(before), [2, 1]);
    const { oldestPendingSeconds } = await backlog.measure();
    assert.ok(oldestPendingSeconds >= 3600 && oldestPendingSeconds < 4200, `${oldestPendingSeconds} s`);
  });

  test('a job that has ended adds nothing, whatever its ledger still holds', async () => {
    const before = await backlog.measure();
    const jobId = await freshJob(db.dataSource, { files: [file('a'), file('b')] });
    assert.deepEqual(await grewBy(before), [2, 1], 'a queued job takes work');
    await db.dataSource.query(`UPDATE import_jobs SET status = 'cancelled' WHERE id = $1`, [jobId]);
    assert.deepEqual(await grewBy(before), [0, 0]);
  });
});
