import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FilesFound, JobStatus, SourceFile, TopicContract } from '@importer/contracts';
import type { NewImage } from '@importer/db';
import { createLogger } from '@importer/observability';
import type { TransferOutcome } from './file-transfer.service.js';
import { FilesFoundHandler, FilesLeftForRetry } from './files-found.handler.js';
import { Semaphore } from './semaphore.js';

const jobId = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const copied = (id: string, size: number): TransferOutcome => ({
  status: 'copied',
  image: { id: `new-${id}`, source: 'google_drive', sourceFileId: id, jobId, name: id, mimeType: 'image/png', size, storagePath: `google_drive/${id}`, md5: null, width: 1, height: 1 },
});
const file = (id: string): SourceFile => ({ sourceFileId: id, name: id, path: id, mimeType: 'image/png', size: 10, md5: null });

function setup(outcomes: Record<string, TransferOutcome>, options: { attempts?: Record<string, number>; status?: JobStatus; alreadyDone?: string[] } = {}) {
  const ledgerCalls: string[] = [];
  const published: unknown[] = [];
  const recorded: NewImage[][] = [];
  const handler = new FilesFoundHandler({
    transfers: {
      transfer: async (_job, _kind, f) => outcomes[f.sourceFileId] ?? { status: 'failed', reason: 'unexpected' },
      alreadyImported: async () => new Map(),
      // The row of a file imported before keeps its id, as the upsert does.
      record: async (images) => (recorded.push([...images]), new Map(images.map((i) => [i.sourceFileId, i.sourceFileId === 'seen' ? 'row-seen' : i.id]))),
    },
    ledger: {
      claimFiles: async (_job, ids) => new Map(ids.filter((id) => !options.alreadyDone?.includes(id)).map((id) => [id, options.attempts?.[id] ?? 1])),
      markManyDone: async (_job, files) => {
        for (const f of files) ledgerCalls.push(`done ${f.sourceFileId}`);
        return new Set(files.map((f) => f.sourceFileId));
      },
      markFailed: async (_job, id, reason) => (ledgerCalls.push(`failed ${id}: ${reason}`), true),
      noteAttemptFailed: async (_job, id) => void ledgerCalls.push(`retry ${id}`),
      failStillPending: async () => 0,
    },
    summaries: { status: async () => options.status ?? 'running' },
    publisher: {
      publish: async <T>(_topic: TopicContract<T>, message: T) => void published.push(message),
      publishMany: async <T>(_topic: TopicContract<T>, messages: readonly T[]) => void published.push(...messages),
    },
    limiter: new Semaphore(2),
    maxAttempts: 3,
    log: createLogger({ service: 'spec', write: () => {} }),
  });
  return { handler, ledgerCalls, published, recorded };
}

const batch = (...ids: string[]): FilesFound => ({ jobId, source: 'google_drive', files: ids.map(file) });

describe('files-found handler', () => {
  test('records each outcome, counts them in batch-done, and asks for redelivery of what can be retried', async () => {
    const { handler, ledgerCalls, published } = setup({
      a: copied('a', 100),
      b: { status: 'failed', reason: 'fileNotDownloadable: Only files with binary content can be downloaded' },
      c: { status: 'retry', reason: 'backendError: Backend Error' },
    });
    await assert.rejects(handler.handle(batch('a', 'b', 'c')), FilesLeftForRetry);
    assert.deepEqual(ledgerCalls.sort(), ['done a', 'failed b: fileNotDownloadable: Only files with binary content can be downloaded', 'retry c']);
    assert.deepEqual(published, [
      { imageId: 'new-a', source: 'google_drive', storagePath: 'google_drive/a', mimeType: 'image/png', size: 100 },
      { jobId, done: 1, failed: 1, skipped: 0, bytes: 100 },
    ]);
  });

  test("a batch's copied files are recorded in one write, and the ids the rows have are the ones counted and announced", async () => {
    const { handler, ledgerCalls, published, recorded } = setup({ a: copied('a', 5), seen: copied('seen', 7), old: { status: 'unchanged', imageId: 'row-old', bytes: 3 } });
    await handler.handle(batch('a', 'seen', 'old'));
    assert.deepEqual(recorded.map((images) => images.map((i) => i.sourceFileId)), [['a', 'seen']]);
    assert.deepEqual(ledgerCalls.sort(), ['done a', 'done old', 'done seen']);
    assert.deepEqual(published, [
      { imageId: 'new-a', source: 'google_drive', storagePath: 'google_drive/a', mimeType: 'image/png', size: 5 },
      { imageId: 'row-seen', source: 'google_drive', storagePath: 'google_drive/seen', mimeType: 'image/png', size: 7 },
      { jobId, done: 3, failed: 0, skipped: 0, bytes: 15 },
    ]);
  });

  test('a file out of attempts fails with the last reason instead of being retried again', async () => {
    const { handler, ledgerCalls, published } = setup({ c: { status: 'retry', reason: 'backendError: Backend Error' } }, { attempts: { c: 3 } });
    await handler.handle(batch('c'));
    assert.deepEqual(ledgerCalls, ['failed c: backendError: Backend Error (gave up after 3 attempts)']);
    assert.deepEqual(published, [{ jobId, done: 0, failed: 1, skipped: 0, bytes: 0 }]);
  });

  test('files a redelivered batch already finished are not transferred or counted again', async () => {
    const { handler, ledgerCalls, published } = setup({ a: copied('a', 1) }, { alreadyDone: ['a'] });
    await handler.handle(batch('a'));
    assert.deepEqual(ledgerCalls, []);
    assert.deepEqual(published, []);
  });

  test('a cancelled job transfers nothing', async () => {
    const { handler, ledgerCalls } = setup({ a: copied('a', 1) }, { status: 'cancelled' });
    await handler.handle(batch('a'));
    assert.deepEqual(ledgerCalls, []);
  });
});
