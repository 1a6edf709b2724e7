import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { JobSummariesRepository } from '../../src/index.js';
import { createTestDatabase, type TestDatabase } from '../../src/testing.js';

describe('job summaries in PostgreSQL (the actor writes, the API reads)', () => {
  let db: TestDatabase;
  let summaries: JobSummariesRepository;
  const open = async (overrides: { folderUrl?: string | null; webhookUrl?: string | null } = {}) => {
    const id = randomUUID();
    await summaries.open({ id, source: 'dropbox', folderUrl: 'https://www.dropbox.com/scl/fo/x', webhookUrl: null, ...overrides });
    return id;
  };

  before(async () => {
    db = await createTestDatabase();
    summaries = new JobSummariesRepository(db.dataSource);
  });

  after(async () => {
    await db?.drop();
  });

  test('a job opens queued with every counter at 0; opening it again changes nothing', async () => {
    const id = await open({ webhookUrl: 'https://hooks.example/a' });
    await summaries.open({ id, source: 'url', folderUrl: null, webhookUrl: null });
    const row = await summaries.find(id);
    assert.ok(row);
    assert.ok(row.createdAt instanceof Date);
    assert.deepEqual(
      { ...row, createdAt: undefined },
      {
        id, source: 'dropbox', folderUrl: 'https://www.dropbox.com/scl/fo/x', status: 'queued', totalFiles: 0, processedFiles: 0, failedFiles: 0, skippedFiles: 0,
        bytes: 0, error: null, createdAt: undefined, finishedAt: null,
      },
    );
    const [stored] = (await db.dataSource.query(`SELECT webhook_url FROM import_jobs WHERE id = $1`, [id])) as { webhook_url: string }[];
    assert.equal(stored?.webhook_url, 'https://hooks.example/a');
    assert.equal(await summaries.status(id), 'queued');
  });

  test('each counter is saved to the column of its own name and read back under it', async () => {
    const id = await open();
    const finishedAt = new Date('2026-01-01T00:01:00.000Z');
    await summaries.save({ id, status: 'completed_with_errors', totalFiles: 10, processedFiles: 6, failedFiles: 3, skippedFiles: 1, bytes: 5_000_000_000, error: null, finishedAt });
    const [columns] = (await db.dataSource.query(`SELECT total_files, processed_files, failed_files, skipped_files, bytes::float8 AS bytes FROM import_jobs WHERE id = $1`, [id])) as unknown[];
    assert.deepEqual(columns, { total_files: 10, processed_files: 6, failed_files: 3, skipped_files: 1, bytes: 5_000_000_000 });
    const row = await summaries.find(id);
    assert.deepEqual(
      [row?.status, row?.totalFiles, row?.processedFiles, row?.failedFiles, row?.skippedFiles, row?.bytes, row?.finishedAt],
      ['completed_with_errors', 10, 6, 3, 1, 5_000_000_000, finishedAt],
    );
  });

  test('text with NUL in a folder link or an error is stored made safe', async () => {
    const id = await open({ folderUrl: 'https://h.example/a\u0000' });
    await summaries.save({ id, status: 'failed', totalFiles: 0, processedFiles: 0, failedFiles: 0, skippedFiles: 0, bytes: 0, error: 'boom\u0000', finishedAt: null });
    const row = await summaries.find(id);
    assert.deepEqual([row?.folderUrl, row?.error], ['https://h.example/a\ufffd', 'boom\ufffd']);
  });

  test('jobs list newest first, a page at a time after the last one shown, none skipped or repeated', async () => {
    // Far in the future, so these are the newest whatever else the table holds.
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const id = await open();
      await db.dataSource.query(`UPDATE import_jobs SET created_at = $2 WHERE id = $1`, [id, `2100-01-01T00:00:0${i}.000Z`]);
      ids.push(id);
    }
    const first = await summaries.page(2);
    const last = first.at(-1);
    assert.ok(last);
    const second = await summaries.page(2, { createdAt: last.createdAt, id: last.id });
    const third = await summaries.page(1, { createdAt: second.at(-1)?.createdAt ?? new Date(0), id: second.at(-1)?.id ?? '' });
    assert.deepEqual([...first, ...second, ...third].map((row) => row.id), ids.toReversed());
  });

  test('a job that does not exist has no row and no status', async () => {
    const id = randomUUID();
    assert.deepEqual([await summaries.find(id), await summaries.status(id)], [undefined, undefined]);
  });
});
