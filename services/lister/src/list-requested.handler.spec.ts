import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FolderRef, JobStatus, ListRequested, SourceFile, TopicContract } from '@importer/contracts';
import type { ListedPage, ListingAttempt, RecordedPage } from '@importer/db';
import { createLogger } from '@importer/observability';
import { type ImageSource, type ListPage, SourceError } from '@importer/providers';
import { ListRequestedHandler } from './list-requested.handler.js';

const jobId = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const root: FolderRef = { id: 'root', path: '' };
const file = (id: string): SourceFile => ({ sourceFileId: id, name: `${id}.png`, path: `${id}.png`, mimeType: 'image/png', size: 1, md5: null });

/** A PostgreSQL refusal as pg reports it: a SQLSTATE in `code`, beside a `severity`. */
const pgError = (code: string, message: string) => Object.assign(new Error(message), { code, severity: 'ERROR' });

function harness(options: {
  page?: ListPage | Error;
  recorded?: RecordedPage | 'stale' | Error;
  status?: JobStatus;
  attempt?: ListingAttempt;
  /** What noteListingFailed answers: the folder's reason once the last attempt failed. */
  lastAttempt?: string;
  /** noteListingFailed cannot be written (the database is away). */
  noteFails?: Error;
}) {
  const published: { topic: string; message: unknown }[] = [];
  const recordedPages: ListedPage[] = [];
  const failedFolders: { folderId: string; reason: string }[] = [];
  const notes: string[] = [];
  const leaseEvents: string[] = [];
  const handedBack: string[] = [];
  const listedFolders: FolderRef[] = [];
  let listed = 0;
  const source: ImageSource = {
    kind: 'google_drive',
    inspectRoot: async () => ({ name: 'root' }),
    listPage: async (folder) => {
      listed++;
      listedFolders.push(folder);
      if (options.page instanceof Error) throw options.page;
      return options.page ?? { files: [], folders: [], skipped: [], nextCursor: null };
    },
    openFile: async () => Promise.reject(new Error('not used')),
  };
  const handler = new ListRequestedHandler({
    sources: { google_drive: source, dropbox: { ...source, kind: 'dropbox' } },
    listings: {
      beginListing: async () => options.attempt ?? { state: 'listing', attempt: 1 },
      recordPage: async (_job, _folder, _cursor, page) => {
        recordedPages.push(page);
        if (options.recorded instanceof Error) throw options.recorded;
        return options.recorded ?? { newFiles: [...page.files], newFolders: [...page.folders], newSkipped: page.skipped.length, folderDone: page.nextCursor === null };
      },
      noteListingFailed: async (_job, _folder, _cursor, reason, retryDelayMs) => {
        notes.push(`${reason} (retry in ${retryDelayMs} ms)`);
        if (options.noteFails) throw options.noteFails;
        return options.lastAttempt;
      },
      handBack: async (_job, folderId) => (handedBack.push(folderId), true),
      failFolder: async (_job, folderId, _cursor, reason) => {
        failedFolders.push({ folderId, reason });
        return true;
      },
    },
    summaries: { status: async () => options.status ?? 'listing' },
    publisher: {
      publish: async <T>(topic: TopicContract<T>, message: T) => void published.push({ topic: topic.name, message }),
      publishMany: async <T>(topic: TopicContract<T>, messages: readonly T[]) => void messages.forEach((message) => published.push({ topic: topic.name, message })),
    },
    lease: { holder: 'lister-spec', ttlMs: 15_000 },
    leases: {
      hold: (name) => (leaseEvents.push(`hold ${name.replace('\u0000', '/')}`), new AbortController().signal),
      release: (name) => void leaseEvents.push(`release ${name.replace('\u0000', '/')}`),
    },
    log: createLogger({ service: 'spec', write: () => {} }),
  });
  return { handler, published, recordedPages, failedFolders, notes, leaseEvents, handedBack, listedFolders, listedCount: () => listed };
}

const request = (overrides: Partial<ListRequested> = {}): ListRequested => ({ jobId, source: 'google_drive', folder: root, cursor: null, recursive: true, ...overrides });

describe('list-requested handler', () => {
  test('publishes new files in batches, each new subfolder, the next page, and the progress', async () => {
    const files = Array.from({ length: 120 }, (_, i) => file(`f${i}`));
    const page: ListPage = {
      files,
      folders: [{ id: 'sub', path: 'Sub' }],
      skipped: [{ sourceFileId: 'doc', name: 'Doc', path: 'Doc', mimeType: 'application/vnd.google-apps.document', reason: 'Google Docs file' }],
      nextCursor: 'next',
    };
    const h = harness({ page });
    await h.handler.handle(request());
    const byTopic = (topic: string) => h.published.filter((p) => p.topic === topic).map((p) => p.message);
    assert.deepEqual(byTopic('files-found').map((m) => (m as { files: unknown[] }).files.length), [50, 50, 20]);
    assert.deepEqual(byTopic('list-requested'), [request({ folder: { id: 'sub', path: 'Sub' } }), request({ cursor: 'next' })]);
    assert.deepEqual(byTopic('listing-progress'), [{ jobId, totalFiles: 121, skippedFiles: 1, newFolders: 1, folderDone: false }]);
  });

  test("a Dropbox request sent before sharedLink, its folder's link in resourceKey, is listed and passed on with the link as sharedLink", async () => {
    const link = 'https://www.dropbox.com/scl/fo/abc/def?rlkey=xyz';
    const h = harness({ page: { files: [], folders: [], skipped: [], nextCursor: 'next' } });
    await h.handler.handle(request({ source: 'dropbox', folder: { id: '/Sub', path: 'Sub', resourceKey: link } }));
    const current = { id: '/Sub', path: 'Sub', sharedLink: link };
    assert.deepEqual(h.listedFolders, [current]);
    assert.deepEqual(h.published.filter((p) => p.topic === 'list-requested').map((p) => p.message), [request({ source: 'dropbox', folder: current, cursor: 'next' })]);
  });

  test('a page the ledger already has publishes nothing', async () => {
    const h = harness({ page: { files: [file('a')], folders: [], skipped: [], nextCursor: null }, recorded: 'stale' });
    await h.handler.handle(request());
    assert.deepEqual(h.published, []);
  });

  test('a job that ended is not listed at all', async () => {
    for (const status of ['cancelled', 'failed', 'completed', 'completed_with_errors'] as const) {
      const h = harness({ status });
      await h.handler.handle(request());
      assert.equal(h.listedCount(), 0, status);
      assert.deepEqual(h.published, [], status);
    }
  });

  test('without recursion, subfolders are neither recorded nor listed', async () => {
    const h = harness({ page: { files: [file('a')], folders: [{ id: 'sub', path: 'Sub' }], skipped: [], nextCursor: null } });
    await h.handler.handle(request({ recursive: false }));
    assert.deepEqual(h.recordedPages[0]?.folders, []);
    assert.equal(h.published.filter((p) => p.topic === 'list-requested').length, 0);
  });

  test('an error that cannot pass fails the folder and the job; a retryable one is noted as a retry due later, and the message ends', async () => {
    const fatal = harness({ page: new SourceError('fatal', 'keyInvalid', 'API key not valid') });
    await fatal.handler.handle(request());
    assert.deepEqual(fatal.failedFolders, [{ folderId: 'root', reason: 'API key not valid' }]);
    assert.deepEqual(fatal.published, [{ topic: 'listing-failed', message: { jobId, reason: 'API key not valid' } }]);

    const busy = harness({ page: new SourceError('rate_limited', 'rateLimitExceeded', 'slow down') });
    await busy.handler.handle(request());
    assert.deepEqual(busy.notes, ['slow down (retry in 1000 ms)']);
    assert.deepEqual(busy.published, []);
    assert.deepEqual(busy.leaseEvents, [`hold ${jobId}/root`, `release ${jobId}/root`], 'the lease is renewed only while the page is listed');
  });

  test('when even the failed attempt cannot be noted, the error goes to the broker for redelivery', async () => {
    const h = harness({ page: new SourceError('transient', 'backendError', 'HTTP 503'), noteFails: pgError('08006', 'connection terminated') });
    await assert.rejects(h.handler.handle(request()), SourceError);
  });

  test("a page under another lister's live lease is not listed twice", async () => {
    const h = harness({ attempt: { state: 'held' } });
    await h.handler.handle(request());
    assert.deepEqual([h.listedCount(), h.published, h.leaseEvents], [0, [], []]);
  });

  test('once draining, a page asked for is handed back, not listed', async () => {
    const h = harness({});
    await h.handler.drain(0);
    await h.handler.handle(request({ folder: { id: 'sub', path: 'Sub' } }));
    assert.deepEqual([h.listedCount(), h.handedBack, h.published], [0, ['sub'], []]);
  });

  test('a page PostgreSQL refuses as data (SQLSTATE class 22) fails the folder and the job at once, not RETRY', async () => {
    const h = harness({ page: { files: [file('a')], folders: [], skipped: [], nextCursor: null }, recorded: pgError('22021', 'invalid byte sequence for encoding "UTF8": 0x00') });
    await h.handler.handle(request({ folder: { id: 'sub', path: 'Holidays' } }));
    const reason = 'a page could not be stored: invalid byte sequence for encoding "UTF8": 0x00';
    assert.deepEqual(h.failedFolders, [{ folderId: 'sub', reason }]);
    assert.deepEqual(h.published, [{ topic: 'listing-failed', message: { jobId, reason: `listing the folder "Holidays" failed: ${reason}` } }]);
    assert.deepEqual(h.notes, []);
  });

  test('any other storing error is retried later, until the last allowed attempt fails the folder', async () => {
    const lost = pgError('08006', 'connection terminated');
    const again = harness({ page: { files: [file('a')], folders: [], skipped: [], nextCursor: null }, recorded: lost, attempt: { state: 'listing', attempt: 3 } });
    await again.handler.handle(request());
    assert.deepEqual([again.notes, again.published], [['connection terminated (retry in 4000 ms)'], []]);

    const last = harness({ page: new SourceError('transient', 'backendError', 'HTTP 503'), lastAttempt: '20 attempts at this page failed; the last one: HTTP 503' });
    await last.handler.handle(request());
    assert.deepEqual(last.published, [{ topic: 'listing-failed', message: { jobId, reason: '20 attempts at this page failed; the last one: HTTP 503' } }]);
  });

  test('a page already past, or a folder already failed, is not listed; a failed folder repeats its failure to the job', async () => {
    const stale = harness({ attempt: { state: 'stale' } });
    await stale.handler.handle(request());
    assert.deepEqual([stale.listedCount(), stale.published], [0, []]);

    const failed = harness({ attempt: { state: 'failed', reason: '20 attempts at this page did not finish' } });
    await failed.handler.handle(request());
    assert.equal(failed.listedCount(), 0);
    assert.deepEqual(failed.published, [{ topic: 'listing-failed', message: { jobId, reason: '20 attempts at this page did not finish' } }]);
  });

  test('a subfolder that vanished counts as an empty, finished folder', async () => {
    const h = harness({ page: new SourceError('not_found', 'notFound', 'File not found: sub.') });
    await h.handler.handle(request({ folder: { id: 'sub', path: 'Sub' } }));
    assert.deepEqual(h.published, [{ topic: 'listing-progress', message: { jobId, totalFiles: 0, skippedFiles: 0, newFolders: 0, folderDone: true } }]);
  });
});
