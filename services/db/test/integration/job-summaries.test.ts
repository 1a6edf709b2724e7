import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { JobSummariesRepository } from '../../src/index.js';
import { createTestDatabase, type TestDatabase } from '../../src/testing.js';
import { freshUser } from './fresh-user.fixture.js';

describe('job summaries in PostgreSQL (the actor writes, the API reads)', () => {
  let db: TestDatabase;
  let summaries: JobSummariesRepository;
  /** A job of `ownerId`'s, or of a fresh user's. */
  const open = async (overrides: { ownerId?: string; folderUrl?: string | null; webhookUrl?: string | null } = {}) => {
    const id = randomUUID();
    const ownerId = overrides.ownerId ?? (await freshUser(db.dataSource)).id;
    await summaries.open({ id, source: 'dropbox', folderUrl: 'https://www.dropbox.com/scl/fo/x', webhookUrl: null, ...overrides, ownerId });
    return id;
  };
  const ANY = { anyOwner: true } as const;

  before(async () => {
    db = await createTestDatabase();
    summaries = new JobSummariesRepository(db.dataSource);
  });

  after(async () => {
    await db?.drop();
  });

  test('a job opens queued for its owner with every counter at 0; opening it again changes nothing, its owner neither', async () => {
    const ownerId = (await freshUser(db.dataSource)).id;
    const id = await open({ ownerId, webhookUrl: 'https://hooks.example/a' });
    await summaries.open({ id, ownerId: (await freshUser(db.dataSource)).id, source: 'url', folderUrl: null, webhookUrl: null });
    const row = await summaries.find(id, { ownerId });
    assert.ok(row);
    assert.ok(row.createdAt instanceof Date);
    assert.deepEqual(
      { ...row, createdAt: undefined },
      {
        id, ownerId, source: 'dropbox', folderUrl: 'https://www.dropbox.com/scl/fo/x', status: 'queued', totalFiles: 0, processedFiles: 0, failedFiles: 0, skippedFiles: 0,
        bytes: 0, error: null, createdAt: undefined, finishedAt: null,
      },
    );
    const [stored] = (await db.dataSource.query(`SELECT webhook_url FROM import_jobs WHERE id = $1`, [id])) as { webhook_url: string }[];
    assert.equal(stored?.webhook_url, 'https://hooks.example/a');
    assert.equal(await summaries.status(id), 'queued');
    assert.equal(await summaries.owner(id), ownerId);
  });

  test('each counter is saved to the column of its own name and read back under it', async () => {
    const id = await open();
    const finishedAt = new Date('2026-01-01T00:01:00.000Z');
    await summaries.save({ id, status: 'completed_with_errors', totalFiles: 10, processedFiles: 6, failedFiles: 3, skippedFiles: 1, bytes: 5_000_000_000, error: null, finishedAt });
    const [columns] = (await db.dataSource.query(`SELECT total_files, processed_files, failed_files, skipped_files, bytes::float8 AS bytes FROM import_jobs WHERE id = $1`, [id])) as unknown[];
    assert.deepEqual(columns, { total_files: 10, processed_files: 6, failed_files: 3, skipped_files: 1, bytes: 5_000_000_000 });
    const row = await summaries.find(id, ANY);
    assert.deepEqual(
      [row?.status, row?.totalFiles, row?.processedFiles, row?.failedFiles, row?.skippedFiles, row?.bytes, row?.finishedAt],
      ['completed_with_errors', 10, 6, 3, 1, 5_000_000_000, finishedAt],
    );
  });

  test('a job to restore comes back whole, whatever its owner: the settings it started with and its last saved summary', async () => {
    const id = randomUUID();
    await summaries.open({ id, ownerId: (await freshUser(db.dataSource)).id, source: 'url', folderUrl: null, webhookUrl: 'https://hooks.example/r', recursive: false, maxFiles: 250 });
    await summaries.save({ id, status: 'running', totalFiles: 9, processedFiles: 4, failedFiles: 1, skippedFiles: 2, bytes: 40, error: null, finishedAt: null });
    const job = await summaries.findToRestore(id);
    assert.ok(job);
    assert.ok(job.updatedAt instanceof Date && job.updatedAt >= job.createdAt);
    assert.deepEqual(
      { ...job, createdAt: undefined, updatedAt: undefined },
      {
        id, source: 'url', folderUrl: null, status: 'running', totalFiles: 9, processedFiles: 4, failedFiles: 1, skippedFiles: 2, bytes: 40, error: null,
        createdAt: undefined, finishedAt: null, webhookUrl: 'https://hooks.example/r', recursive: false, maxFiles: 250, updatedAt: undefined,
      },
    );
    assert.equal((await summaries.findToRestore(await open()))?.maxFiles, null, 'no quota given, none kept');
    assert.equal(await summaries.findToRestore(randomUUID()), undefined);
  });

  test('text with NUL in a folder link or an error is stored made safe', async () => {
    const id = await open({ folderUrl: 'https://h.example/a\u0000' });
    await summaries.save({ id, status: 'failed', totalFiles: 0, processedFiles: 0, failedFiles: 0, skippedFiles: 0, bytes: 0, error: 'boom\u0000', finishedAt: null });
    const row = await summaries.find(id, ANY);
    assert.deepEqual([row?.folderUrl, row?.error], ['https://h.example/a\ufffd', 'boom\ufffd']);
  });

  test("an owner's jobs list newest first, a page at a time after the last one shown, none skipped or repeated", async () => {
    const ownerId = (await freshUser(db.dataSource)).id;
    const scope = { ownerId };
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const id = await open({ ownerId });
      await db.dataSource.query(`UPDATE import_jobs SET created_at = $2 WHERE id = $1`, [id, `2100-01-01T00:00:0${i}.000Z`]);
      ids.push(id);
    }
    const first = await summaries.page(scope, 2);
    const last = first.at(-1);
    assert.ok(last);
    const second = await summaries.page(scope, 2, { createdAt: last.createdAt, id: last.id });
    const third = await summaries.page(scope, 2, { createdAt: second.at(-1)?.createdAt ?? new Date(0), id: second.at(-1)?.id ?? '' });
    assert.deepEqual([...first, ...second, ...third].map((row) => row.id), ids.toReversed());
  });

  test("one owner's scope never sees another's job; the administrators' view sees every owner's", async () => {
    const [a, b] = [(await freshUser(db.dataSource)).id, (await freshUser(db.dataSource)).id];
    const jobOfA = await open({ ownerId: a });
    const jobOfB = await open({ ownerId: b });
    // Far in the future, so these two are the newest whatever else the table holds.
    await db.dataSource.query(`UPDATE import_jobs SET created_at = $2 WHERE id = $1`, [jobOfA, '2200-01-01T00:00:00.000Z']);
    await db.dataSource.query(`UPDATE import_jobs SET created_at = $2 WHERE id = $1`, [jobOfB, '2200-01-01T00:00:01.000Z']);

    assert.equal(await summaries.find(jobOfA, { ownerId: b }), undefined, "another owner's job looks like no job");
    assert.equal((await summaries.find(jobOfA, { ownerId: a }))?.ownerId, a);
    assert.deepEqual((await summaries.page({ ownerId: b }, 10)).map((row) => row.id), [jobOfB]);
    assert.deepEqual((await summaries.page({ ownerId: a }, 10)).map((row) => row.id), [jobOfA]);

    assert.deepEqual([(await summaries.find(jobOfA, ANY))?.ownerId, (await summaries.find(jobOfB, ANY))?.ownerId], [a, b]);
    assert.deepEqual((await summaries.page(ANY, 2)).map((row) => row.id), [jobOfB, jobOfA]);
  });

  test('a scope that lost its owner sees nothing, not everything', async () => {
    const id = await open();
    const lost = { ownerId: undefined } as unknown as { ownerId: string };
    const empty = {} as unknown as { anyOwner: true };
    assert.deepEqual([await summaries.find(id, lost), await summaries.find(id, empty)], [undefined, undefined]);
    assert.deepEqual([await summaries.page(lost, 1), await summaries.page(empty, 1)], [[], []]);
  });

  test("an owner's active jobs are those that have not ended", async () => {
    const ownerId = (await freshUser(db.dataSource)).id;
    const statuses = ['queued', 'listing', 'running', 'completed', 'completed_with_errors', 'failed', 'cancelled'] as const;
    for (const status of statuses) {
      const id = await open({ ownerId });
      await summaries.save({ id, status, totalFiles: 0, processedFiles: 0, failedFiles: 0, skippedFiles: 0, bytes: 0, error: null, finishedAt: null });
    }
    await open();
    assert.equal(await summaries.countActive(ownerId), 3);
    assert.equal(await summaries.countActive((await freshUser(db.dataSource)).id), 0);
  });

  test('a job that does not exist has no row, no status and no owner; a job from before accounts has no owner yet', async () => {
    const id = randomUUID();
    assert.deepEqual([await summaries.find(id, ANY), await summaries.status(id), await summaries.owner(id)], [undefined, undefined, undefined]);
    const unowned = randomUUID();
    await db.dataSource.query(`INSERT INTO import_jobs (id, source, status) VALUES ($1, 'url', 'running')`, [unowned]);
    assert.equal(await summaries.owner(unowned), null);
    assert.equal((await summaries.find(unowned, ANY))?.ownerId, null);
  });
});
