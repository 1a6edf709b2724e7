import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FilesFound, JobStatus, SourceFile, TopicContract } from '@importer/contracts';
import type { NewImage } from '@importer/db';
import { createLogger } from '@importer/observability';
import type { TransferOutcome } from './file-transfer.service.js';
import { type FilesFoundDependencies, FilesFoundHandler, FilesLeftForRetry } from './files-found.handler.js';
import { Semaphore } from './semaphore.js';

const jobId = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const ownerId = '3f1c9a7e-2b4d-4e6f-8a0c-1d3e5f7a9b2c';
const copied = (id: string, size: number): TransferOutcome => ({
  status: 'copied',
  image: { id: `new-${id}`, ownerId, source: 'google_drive', sourceFileId: id, jobId, name: id, mimeType: 'image/png', size, storagePath: `google_drive/${id}`, md5: null, width: 1, height: 1 },
});
const file = (id: string): SourceFile => ({ sourceFileId: id, name: id, path: id, mimeType: 'image/png', size: 10, md5: null });

interface SetupOptions {
  attempts?: Record<string, number>;
  /** The job's status in its summary row; `missing` when there is no such job. */
  status?: JobStatus | 'missing';
  /** The job's owner (null: from before accounts); `missing` when its row is gone. `ownerId` unless given. */
  owner?: string | null | 'missing';
  alreadyDone?: string[];
  /** Transfers instead of answering from `outcomes` at once. */
  transfer?: FilesFoundDependencies['transfers']['transfer'];
  batchTimeoutMs?: number;
  limit?: number;
}

function setup(outcomes: Record<string, TransferOutcome>, options: SetupOptions = {}) {
  const ledgerCalls: string[] = [];
  const claimed: string[][] = [];
  const published: { topic: string; message: unknown }[] = [];
  const recorded: NewImage[][] = [];
  /** What each lookup and transfer was asked for: the owner and job it was for. */
  const asked: string[] = [];
  const ownerReads: string[] = [];
  const handler = new FilesFoundHandler({
    transfers: {
      transfer:
        options.transfer ??
        (async (job, _kind, f) => (asked.push(`transfer ${f.sourceFileId} for ${job.jobId} of ${job.ownerId}`), outcomes[f.sourceFileId] ?? { status: 'failed', reason: 'unexpected' })),
      alreadyImported: async (owner, _kind, files) => (asked.push(`look up ${files.map((f) => f.sourceFileId).join(',')} of ${owner}`), new Map()),
      // The row of a file imported before keeps its id, as the upsert does.
      record: async (images) => (recorded.push([...images]), new Map(images.map((i) => [i.sourceFileId, i.sourceFileId === 'seen' ? 'row-seen' : i.id]))),
    },
    outcomes: {
      claimFiles: async (_job, ids) => {
        claimed.push([...ids]);
        return new Map(ids.filter((id) => !options.alreadyDone?.includes(id)).map((id) => [id, options.attempts?.[id] ?? 1]));
      },
      markManyDone: async (_job, files) => {
        for (const f of files) ledgerCalls.push(`done ${f.sourceFileId}`);
        return new Set(files.map((f) => f.sourceFileId));
      },
      markFailed: async (_job, id, reason) => (ledgerCalls.push(`failed ${id}: ${reason}`), true),
      noteAttemptFailed: async (_job, id) => void ledgerCalls.push(`retry ${id}`),
      failStillPending: async () => 0,
    },
    summaries: {
      status: async () => (options.status === 'missing' ? undefined : (options.status ?? 'running')),
      owner: async (id) => (ownerReads.push(id), options.owner === 'missing' ? undefined : options.owner === undefined ? ownerId : options.owner),
    },
    publisher: {
      // Each message with its topic, so one sent to the wrong topic fails the assertion.
      publish: async <T>(topic: TopicContract<T>, message: T) => void published.push({ topic: topic.name, message }),
      publishMany: async <T>(topic: TopicContract<T>, messages: readonly T[]) => void published.push(...messages.map((message) => ({ topic: topic.name, message }))),
    },
    limiter: new Semaphore(options.limit ?? 2),
    maxAttempts: 3,
    batchTimeoutMs: options.batchTimeoutMs ?? 5_000,
    log: createLogger({ service: 'spec', write: () => {} }),
  });
  return { handler, ledgerCalls, published, recorded, claimed, asked, ownerReads };
}

const batch = (...ids: string[]): FilesFound => ({ jobId, source: 'google_drive', files: ids.map(file) });

describe('files-found handler', () => {
  test('a Dropbox file sent before sharedLink and locator, its link in resourceKey, is transferred as it is meant now', async () => {
    const link = 'https://www.dropbox.com/scl/fo/abc/def?rlkey=xyz';
    const opened: SourceFile[] = [];
    const { handler } = setup({}, { transfer: async (_job, _kind, f) => (opened.push(f), copied(f.sourceFileId, 1)) });
    await handler.handle({ jobId, source: 'dropbox', files: [{ ...file('id:a'), path: 'Day 1/a.png', resourceKey: link }] });
    assert.deepEqual(opened, [{ ...file('id:a'), path: 'Day 1/a.png', sharedLink: link, locator: '/Day 1/a.png' }]);
  });

  test('records each outcome, counts them in batch-done, and asks for redelivery of what can be retried', async () => {
    const { handler, ledgerCalls, published } = setup({
      a: copied('a', 100),
      b: { status: 'failed', reason: 'fileNotDownloadable: Only files with binary content can be downloaded' },
      c: { status: 'retry', reason: 'backendError: Backend Error' },
    });
    await assert.rejects(handler.handle(batch('a', 'b', 'c')), FilesLeftForRetry);
    assert.deepEqual(ledgerCalls.sort(), ['done a', 'failed b: fileNotDownloadable: Only files with binary content can be downloaded', 'retry c']);
    assert.deepEqual(published, [
      { topic: 'image-stored', message: { imageId: 'new-a', source: 'google_drive', storagePath: 'google_drive/a', mimeType: 'image/png', size: 100 } },
      { topic: 'batch-done', message: { jobId, processedFiles: 1, failedFiles: 1, skippedFiles: 0, bytes: 100 } },
    ]);
  });

  test("a batch's copied files are recorded in one write, and the ids the rows have are the ones counted and announced", async () => {
    const { handler, ledgerCalls, published, recorded } = setup({ a: copied('a', 5), seen: copied('seen', 7), old: { status: 'unchanged', imageId: 'row-old', bytes: 3 } });
    await handler.handle(batch('a', 'seen', 'old'));
    assert.deepEqual(recorded.map((images) => images.map((i) => i.sourceFileId)), [['a', 'seen']]);
    assert.deepEqual(ledgerCalls.sort(), ['done a', 'done old', 'done seen']);
    assert.deepEqual(published, [
      { topic: 'image-stored', message: { imageId: 'new-a', source: 'google_drive', storagePath: 'google_drive/a', mimeType: 'image/png', size: 5 } },
      { topic: 'image-stored', message: { imageId: 'row-seen', source: 'google_drive', storagePath: 'google_drive/seen', mimeType: 'image/png', size: 7 } },
      { topic: 'batch-done', message: { jobId, processedFiles: 3, failedFiles: 0, skippedFiles: 0, bytes: 15 } },
    ]);
  });

  test('a file out of attempts fails with the last reason instead of being retried again', async () => {
    const { handler, ledgerCalls, published } = setup({ c: { status: 'retry', reason: 'backendError: Backend Error' } }, { attempts: { c: 3 } });
    await handler.handle(batch('c'));
    assert.deepEqual(ledgerCalls, ['failed c: backendError: Backend Error (gave up after 3 attempts)']);
    assert.deepEqual(published, [{ topic: 'batch-done', message: { jobId, processedFiles: 0, failedFiles: 1, skippedFiles: 0, bytes: 0 } }]);
  });

  test('files a redelivered batch already finished are not transferred or counted again', async () => {
    const { handler, ledgerCalls, published } = setup({ a: copied('a', 1) }, { alreadyDone: ['a'] });
    await handler.handle(batch('a'));
    assert.deepEqual(ledgerCalls, []);
    assert.deepEqual(published, []);
  });

  test('a job that has ended, or does not exist, transfers nothing', async () => {
    for (const status of ['cancelled', 'failed', 'completed', 'completed_with_errors', undefined] as const) {
      const { handler, ledgerCalls, claimed, published } = setup({ a: copied('a', 1) }, { status: status ?? 'missing' });
      await handler.handle(batch('a'));
      assert.deepEqual([ledgerCalls, claimed, published], [[], [], []], String(status));
    }
  });

  test("every file of a batch goes into its job owner's gallery: the owner is read once per batch and handed to the lookup and each transfer", async () => {
    const { handler, asked, ownerReads, recorded } = setup({ a: copied('a', 1), b: copied('b', 2) });
    await handler.handle(batch('a', 'b'));
    assert.deepEqual(ownerReads, [jobId]);
    assert.deepEqual(asked.sort(), [`look up a,b of ${ownerId}`, `transfer a for ${jobId} of ${ownerId}`, `transfer b for ${jobId} of ${ownerId}`]);
    assert.deepEqual(recorded.flat().map((image) => image.ownerId), [ownerId, ownerId]);
  });

  test('a job from before accounts that nobody owns yet is transferred with no owner', async () => {
    const { handler, asked, ledgerCalls } = setup({ a: copied('a', 1) }, { owner: null });
    await handler.handle(batch('a'));
    assert.deepEqual(asked, ['look up a of null', `transfer a for ${jobId} of null`]);
    assert.deepEqual(ledgerCalls, ['done a']);
  });

  test('a job whose row is gone by the time its owner is read transfers nothing, like an unknown job', async () => {
    const { handler, ledgerCalls, claimed, published, asked } = setup({ a: copied('a', 1) }, { owner: 'missing' });
    await handler.handle(batch('a'));
    assert.deepEqual([ledgerCalls, claimed, published, asked], [[], [], [], []]);
  });

  describe('a redelivered batch never runs beside its earlier attempt', () => {
    /** A transfer that waits until the test lets it finish, recording each start. */
    function gated() {
      const started: string[] = [];
      const gates = new Map<string, ((outcome: TransferOutcome) => void)[]>();
      const transfer: FilesFoundDependencies['transfers']['transfer'] = (_job, _kind, f) =>
        new Promise((resolve) => {
          started.push(f.sourceFileId);
          gates.set(f.sourceFileId, [...(gates.get(f.sourceFileId) ?? []), resolve]);
        });
      const finish = (id: string, outcome: TransferOutcome) => {
        for (const resolve of gates.get(id) ?? []) resolve(outcome);
      };
      return { transfer, started, finish };
    }
    const tick = () => new Promise((resolve) => setImmediate(resolve));

    test('a second delivery waits for the file in flight instead of transferring it again, and claims only what it does itself', async () => {
      const { transfer, started, finish } = gated();
      const { handler, ledgerCalls, published, claimed } = setup({}, { transfer });
      const first = handler.handle(batch('a'));
      await tick();
      const second = handler.handle(batch('a', 'b'));
      await tick();
      assert.deepEqual(started.sort(), ['a', 'b'], 'a started once, b by the second delivery');
      assert.deepEqual(claimed, [['a'], ['b']]);
      finish('b', copied('b', 2));
      finish('a', copied('a', 1));
      await Promise.all([first, second]);
      assert.deepEqual(ledgerCalls.sort(), ['done a', 'done b']);
      const counted = published.filter((p) => p.topic === 'batch-done').map((p) => p.message as { bytes: number });
      assert.deepEqual(counted.sort((x, y) => x.bytes - y.bytes), [
        { jobId, processedFiles: 1, failedFiles: 0, skippedFiles: 0, bytes: 1 },
        { jobId, processedFiles: 1, failedFiles: 0, skippedFiles: 0, bytes: 2 },
      ], 'each file counted once, by the delivery that transferred it');
    });

    test('when the attempt waited for is left for a retry, the waiting delivery asks for redelivery too, without an attempt of its own', async () => {
      const { transfer, started, finish } = gated();
      const { handler, ledgerCalls, claimed } = setup({}, { transfer });
      const first = handler.handle(batch('a'));
      await tick();
      const second = handler.handle(batch('a'));
      await tick();
      finish('a', { status: 'retry', reason: 'backendError: Backend Error' });
      await assert.rejects(first, FilesLeftForRetry);
      await assert.rejects(second, /a: backendError: Backend Error/);
      assert.deepEqual(started, ['a']);
      assert.deepEqual(claimed, [['a']], 'the waiting delivery claimed nothing, so no attempt was counted');
      assert.deepEqual(ledgerCalls, ['retry a'], 'the attempt is noted once');
    });

    test('the same file in another job is its own transfer', async () => {
      const { transfer, started, finish } = gated();
      const { handler } = setup({}, { transfer });
      const first = handler.handle(batch('a'));
      const other = handler.handle({ ...batch('a'), jobId: '9b2e6679-7425-40de-944b-e07fc1f90ae7' });
      await tick();
      await tick();
      assert.deepEqual(started, ['a', 'a']);
      finish('a', copied('a', 1));
      await Promise.all([first, other]);
    });
  });

  describe('a batch ends by its deadline', () => {
    test('what is still running at the deadline is aborted and retried with batch_timeout; nothing waits for it', async () => {
      const signals: AbortSignal[] = [];
      // A transfer that ignores its signal: the handler does not wait for it anyway.
      const transfer: FilesFoundDependencies['transfers']['transfer'] = async (_job, _kind, f, _existing, signal) => {
        if (signal) signals.push(signal);
        if (f.sourceFileId === 'quick') return copied('quick', 4);
        return new Promise(() => {});
      };
      const { handler, ledgerCalls, published } = setup({}, { transfer, batchTimeoutMs: 80, limit: 1 });
      const started = Date.now();
      await assert.rejects(handler.handle(batch('quick', 'stuck', 'queued')), /2 of 3 files will be retried; first: stuck: batch_timeout: the batch took longer than 80 ms/);
      assert.ok(Date.now() - started < 1_000, `ended after ${Date.now() - started} ms`);
      assert.deepEqual(ledgerCalls.sort(), ['done quick', 'retry queued', 'retry stuck']);
      assert.deepEqual(published.at(-1), { topic: 'batch-done', message: { jobId, processedFiles: 1, failedFiles: 0, skippedFiles: 0, bytes: 4 } });
      assert.ok(signals.length >= 2 && signals.every((s) => s.aborted), 'every running transfer was told to abort');
    });

    test('a file out of attempts fails with the batch_timeout reason', async () => {
      const transfer: FilesFoundDependencies['transfers']['transfer'] = () => new Promise(() => {});
      const { handler, ledgerCalls } = setup({}, { transfer, batchTimeoutMs: 30, attempts: { stuck: 3 } });
      await handler.handle(batch('stuck'));
      assert.deepEqual(ledgerCalls, ['failed stuck: batch_timeout: the batch took longer than 30 ms (gave up after 3 attempts)']);
    });

    test('a file whose aborted transfer has not stopped yet is still in flight: a later delivery waits for it, not beside it', async () => {
      let stop: (outcome: TransferOutcome) => void = () => {};
      let starts = 0;
      const transfer: FilesFoundDependencies['transfers']['transfer'] = () => {
        starts++;
        return new Promise((resolve) => (stop = resolve));
      };
      const { handler } = setup({}, { transfer, batchTimeoutMs: 30 });
      await assert.rejects(handler.handle(batch('slow')), /batch_timeout/);
      const later = handler.handle(batch('slow'));
      await new Promise((resolve) => setTimeout(resolve, 10));
      assert.equal(starts, 1, 'no second transfer while the first still runs');
      stop({ status: 'retry', reason: 'download_timeout: the download took longer than 10 ms' });
      await assert.rejects(later, /slow: batch_timeout/);
      assert.equal(starts, 1);
      await assert.rejects(handler.handle(batch('slow')), FilesLeftForRetry);
      assert.equal(starts, 2, 'once it stopped, the next delivery makes its own attempt');
    });
  });
});
