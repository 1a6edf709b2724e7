import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FilesFound, JobStatus, SourceFile, TopicContract } from '@importer/contracts';
import type { NewImage } from '@importer/db';
import { createLogger } from '@importer/observability';
import type { TransferOutcome } from './file-transfer.service.js';
import { LeaseLost } from '@importer/db';
import { type FilesFoundDependencies, FilesFoundHandler } from './files-found.handler.js';
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
  /** Files whose every attempt was used up: the claim fails them, with this reason. */
  exhausted?: Record<string, string>;
}

function setup(outcomes: Record<string, TransferOutcome>, options: SetupOptions = {}) {
  const ledgerCalls: string[] = [];
  const claimed: string[][] = [];
  const published: { topic: string; message: unknown }[] = [];
  const recorded: NewImage[][] = [];
  /** What each lookup and transfer was asked for: the owner and job it was for. */
  const asked: string[] = [];
  const ownerReads: string[] = [];
  /** The files under a lease now, and the lease keeper's signals by file. */
  const held = new Set<string>();
  const leases = new Map<string, AbortController>();
  const renewing = new Set<string>();
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
      // As the ledger does: a file under a live lease (held here) is not claimed again.
      claimFiles: async (job, ids) => {
        const free = ids.filter((id) => !options.alreadyDone?.includes(id) && !held.has(`${job}/${id}`) && !options.exhausted?.[id]);
        claimed.push(free);
        for (const id of free) held.add(`${job}/${id}`);
        return {
          claimed: new Map(free.map((id) => [id, options.attempts?.[id] ?? 1])),
          exhausted: new Map(ids.flatMap((id) => (options.exhausted?.[id] ? [[id, options.exhausted[id]] as [string, string]] : []))),
        };
      },
      markManyDone: async (job, files) => {
        for (const f of files) {
          ledgerCalls.push(`done ${f.sourceFileId}`);
          held.delete(`${job}/${f.sourceFileId}`);
        }
        return new Set(files.map((f) => f.sourceFileId));
      },
      markFailed: async (job, id, reason) => (ledgerCalls.push(`failed ${id}: ${reason}`), held.delete(`${job}/${id}`), true),
      scheduleRetry: async (job, id, holder, _reason, delayMs) => void (ledgerCalls.push(`retry ${id} by ${holder} in ${delayMs} ms`), held.delete(`${job}/${id}`)),
      handBack: async (_job, ids) => (ledgerCalls.push(`hand back ${ids.join(',')}`), ids.length),
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
    lease: { holder: 'me', ttlMs: 15_000 },
    leases: {
      hold: (name) => {
        const controller = new AbortController();
        const id = name.split('\u0000')[1] ?? name;
        leases.set(id, controller);
        renewing.add(id);
        return controller.signal;
      },
      release: (name) => void renewing.delete(name.split('\u0000')[1] ?? name),
    },
    abortSettleMs: 100,
    log: createLogger({ service: 'spec', write: () => {} }),
  });
  /** Another replica took `id` over: the keeper aborts its work here. */
  const loseLease = (id: string) => leases.get(id)?.abort(new LeaseLost(`${jobId}\u0000${id}`));
  return { handler, ledgerCalls, published, recorded, claimed, asked, ownerReads, renewing, loseLease };
}

const batch = (...ids: string[]): FilesFound => ({ jobId, source: 'google_drive', files: ids.map(file) });


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
const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('files-found handler', () => {
  test('a Dropbox file sent before sharedLink and locator, its link in resourceKey, is transferred as it is meant now', async () => {
    const link = 'https://www.dropbox.com/scl/fo/abc/def?rlkey=xyz';
    const opened: SourceFile[] = [];
    const { handler } = setup({}, { transfer: async (_job, _kind, f) => (opened.push(f), copied(f.sourceFileId, 1)) });
    await handler.handle({ jobId, source: 'dropbox', files: [{ ...file('id:a'), path: 'Day 1/a.png', resourceKey: link }] });
    assert.deepEqual(opened, [{ ...file('id:a'), path: 'Day 1/a.png', sharedLink: link, locator: '/Day 1/a.png' }]);
  });

  test('records each outcome and counts them in batch-done; a file to retry becomes a retry due later, and the message ends', async () => {
    const { handler, ledgerCalls, published, renewing } = setup({
      a: copied('a', 100),
      b: { status: 'failed', reason: 'fileNotDownloadable: Only files with binary content can be downloaded' },
      c: { status: 'retry', reason: 'backendError: Backend Error' },
    });
    await handler.handle(batch('a', 'b', 'c'));
    await tick();
    assert.deepEqual(ledgerCalls.sort(), ['done a', 'failed b: fileNotDownloadable: Only files with binary content can be downloaded', 'retry c by me in 1000 ms']);
    assert.deepEqual(published, [
      { topic: 'image-stored', message: { imageId: 'new-a', source: 'google_drive', storagePath: 'google_drive/a', mimeType: 'image/png', size: 100 } },
      { topic: 'batch-done', message: { jobId, processedFiles: 1, failedFiles: 1, skippedFiles: 0, bytes: 100 } },
    ]);
    assert.deepEqual([...renewing], [], 'no lease is renewed once every file has an outcome');
  });

  test('files whose attempts the claim found used up (a crash each time) are counted as failed; nothing starts for them', async () => {
    const { handler, asked, published } = setup({ a: copied('a', 1) }, { exhausted: { x: '3 attempts started and none finished' } });
    await handler.handle(batch('a', 'x'));
    assert.ok(!asked.some((line) => line.startsWith('transfer x')));
    assert.deepEqual(published.at(-1), { topic: 'batch-done', message: { jobId, processedFiles: 1, failedFiles: 1, skippedFiles: 0, bytes: 1 } });
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

  test('a file on its last attempt fails with the reason instead of being retried again', async () => {
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

  describe('a file is worked on by one delivery at a time: its lease', () => {
    test('a second delivery of a file in flight, here or on another replica, claims nothing for it and ends', async () => {
      const { transfer, started, finish } = gated();
      const { handler, ledgerCalls, published, claimed } = setup({}, { transfer });
      const first = handler.handle(batch('a'));
      await tick();
      await handler.handle(batch('a'));
      assert.deepEqual(claimed, [['a'], []]);
      assert.deepEqual(started, ['a']);
      finish('a', copied('a', 1));
      await first;
      assert.deepEqual(ledgerCalls, ['done a']);
      assert.equal(published.filter((p) => p.topic === 'batch-done').length, 1, 'counted once');
    });

    test('a file whose lease another replica took is aborted here, and neither recorded nor retried by this one', async () => {
      const signals: AbortSignal[] = [];
      const transfer: FilesFoundDependencies['transfers']['transfer'] = async (_job, _kind, _f, _existing, signal) => {
        if (signal) signals.push(signal);
        return new Promise(() => {});
      };
      const { handler, ledgerCalls, published, loseLease, renewing } = setup({}, { transfer });
      const delivery = handler.handle(batch('a'));
      await tick();
      loseLease('a');
      await delivery;
      await tick();
      assert.ok(signals[0]?.aborted, 'the transfer was told to stop');
      assert.deepEqual([ledgerCalls, published, [...renewing]], [[], [], []]);
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
    test('what is still running at the deadline is aborted and retried with batch_timeout; the delivery does not wait for it', async () => {
      const signals: AbortSignal[] = [];
      // A transfer that ignores its signal: the handler does not wait for it anyway.
      const transfer: FilesFoundDependencies['transfers']['transfer'] = async (_job, _kind, f, _existing, signal) => {
        if (signal) signals.push(signal);
        if (f.sourceFileId === 'quick') return copied('quick', 4);
        return new Promise(() => {});
      };
      const { handler, ledgerCalls, published, renewing } = setup({}, { transfer, batchTimeoutMs: 80, limit: 1 });
      const started = Date.now();
      await handler.handle(batch('quick', 'stuck', 'queued'));
      assert.ok(Date.now() - started < 1_000, `ended after ${Date.now() - started} ms`);
      assert.deepEqual(published.at(-1), { topic: 'batch-done', message: { jobId, processedFiles: 1, failedFiles: 0, skippedFiles: 0, bytes: 4 } });
      assert.ok(signals.length >= 1 && signals.every((s) => s.aborted), 'every running transfer was told to abort');
      assert.ok(renewing.has('stuck'), 'a file whose aborted work still runs keeps its lease, so no second copy starts beside it');
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.deepEqual(ledgerCalls.sort(), ['done quick', 'retry queued by me in 1000 ms', 'retry stuck by me in 1000 ms'], 'let go once the settle time ran out');
      assert.deepEqual([...renewing], []);
    });

    test('a file out of attempts fails with the batch_timeout reason', async () => {
      const transfer: FilesFoundDependencies['transfers']['transfer'] = () => new Promise(() => {});
      const { handler, ledgerCalls } = setup({}, { transfer, batchTimeoutMs: 30, attempts: { stuck: 3 } });
      await handler.handle(batch('stuck'));
      assert.deepEqual(ledgerCalls, ['failed stuck: batch_timeout: the batch took longer than 30 ms (gave up after 3 attempts)']);
    });
  });

  test('a batch dead-lettered (the database was away through every delivery) is made due for the reaper, not failed; an unreadable one is only logged', async () => {
    const { handler, ledgerCalls } = setup({});
    await handler.deadLetter(batch('a', 'b'));
    await handler.deadLetter({ jobId: 'not-a-uuid' });
    assert.deepEqual(ledgerCalls, ['hand back a,b']);
  });

  describe('shutting down', () => {
    test('once draining, a delivered batch is handed back unclaimed; what ran past the grace is aborted and handed back', async () => {
      const { transfer, started } = gated();
      const { handler, ledgerCalls, claimed } = setup({}, { transfer });
      const running = handler.handle(batch('a'));
      await tick();
      await handler.drain(30);
      await running;
      await handler.handle(batch('b'));
      await new Promise((resolve) => setTimeout(resolve, 150));
      assert.deepEqual(started, ['a']);
      assert.deepEqual(claimed, [['a']], 'nothing was claimed once draining');
      assert.deepEqual(ledgerCalls.sort(), ['hand back a', 'hand back b']);
    });
  });
});
