import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { describe, test } from 'node:test';
import type { SourceFile } from '@importer/contracts';
import type { NewImage } from '@importer/db';
import { type ImageSource, SourceError } from '@importer/providers';
import type { DownloadLimits } from './download-deadline.js';
import { FileTransferService, type TransferOutcome } from './file-transfer.service.js';
import { objectKey } from './object-key.js';

const ownerId = '3f1c9a7e-2b4d-4e6f-8a0c-1d3e5f7a9b2c';
/** The job the service is asked to transfer for, unless a test names another. */
const job = (jobId = 'j') => ({ jobId, ownerId });
const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('hex');

function pngBytes(length: number): Buffer {
  const bytes = Buffer.alloc(length, 7);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]).copy(bytes);
  bytes.writeUInt32BE(320, 16);
  bytes.writeUInt32BE(200, 20);
  return bytes;
}

interface SetupOptions {
  content?: Buffer;
  error?: Error;
  existing?: { id: string; md5: string | null; size: number; contentHash?: string | null };
  limit?: number;
  declaredSize?: number | null;
  download?: Partial<DownloadLimits>;
  /** Opens the file instead of the default source, for sources that stall. */
  open?: ImageSource['openFile'];
  /** Runs in the binding's put before it records the upload, given the put's signal: for uploads that hang. */
  uploading?: (signal: AbortSignal | undefined) => Promise<void>;
}

function setup(options: SetupOptions) {
  const uploads: { via: 'binding' | 'stream'; key: string; bytes: Buffer; contentType: string }[] = [];
  const rows: NewImage[] = [];
  const lookups: unknown[][] = [];
  const streamErrors: unknown[] = [];
  let opened = 0;
  const source: ImageSource = {
    kind: 'google_drive',
    inspectRoot: async () => ({ name: 'x' }),
    listPage: async () => Promise.reject(new Error('not used')),
    openFile: async (f, openOptions) => {
      opened++;
      if (options.open) return options.open(f, openOptions);
      if (options.error) throw options.error;
      const content = options.content ?? Buffer.alloc(0);
      // Small chunks, as a network stream delivers them.
      const chunks = Array.from({ length: Math.ceil(content.length / 1000) }, (_, i) => content.subarray(i * 1000, (i + 1) * 1000));
      return { stream: Readable.from(chunks), size: options.declaredSize === undefined ? content.length : options.declaredSize, contentType: 'image/png' };
    },
  };
  const service = new FileTransferService({
    sources: { google_drive: source },
    images: {
      findBySourceFiles: async (...args) => (lookups.push(args), new Map(options.existing ? [['file-1', options.existing]] : [])),
      upsertMany: async (images) => {
        rows.push(...images);
        return new Map(images.map((image) => [image.sourceFileId, `row-of-${image.sourceFileId}`]));
      },
    },
    binding: {
      maxPayloadBytes: options.limit ?? 1_000_000,
      put: async (key, bytes, contentType, signal) => {
        await options.uploading?.(signal);
        uploads.push({ via: 'binding', key, bytes: Buffer.from(bytes), contentType });
        return { key, location: undefined };
      },
    },
    streaming: {
      putStream: async (key, body, contentType) => {
        const chunks: Buffer[] = [];
        try {
          for await (const chunk of body) chunks.push(chunk as Buffer);
        } catch (error) {
          streamErrors.push(error);
          throw error;
        }
        uploads.push({ via: 'stream', key, bytes: Buffer.concat(chunks), contentType });
      },
    },
    download: { timeoutMs: 5_000, idleTimeoutMs: 5_000, ...options.download },
    newId: () => 'image-1',
  });
  return { service, uploads, rows, lookups, streamErrors, openedCount: () => opened };
}

/** The row a copied file is to be recorded with. */
function imageOf(outcome: TransferOutcome): NewImage {
  assert.equal(outcome.status, 'copied', JSON.stringify(outcome));
  return (outcome as { image: NewImage }).image;
}

const file = (overrides: Partial<SourceFile> = {}): SourceFile => ({
  sourceFileId: 'file-1', name: 'holiday.png', path: 'Trips/holiday.png', mimeType: 'image/png', size: null, md5: null, ...overrides,
});

describe('file transfer', () => {
  test("a small file goes through the binding under its owner's deterministic key and becomes the owner's image row", async () => {
    const content = pngBytes(5_000);
    const { service, uploads, rows } = setup({ content });
    const outcome = await service.transfer(job('job-1'), 'google_drive', file({ md5: md5(content) }));
    const image = imageOf(outcome);
    assert.deepEqual(image, {
      id: 'image-1', ownerId, source: 'google_drive', sourceFileId: 'file-1', jobId: 'job-1', name: 'holiday.png', mimeType: 'image/png', size: 5_000,
      storagePath: objectKey(ownerId, 'google_drive', 'file-1'), md5: md5(content), contentHash: null, width: 320, height: 200,
    });
    assert.equal(uploads.length, 1);
    assert.equal(uploads[0]?.via, 'binding');
    assert.equal(uploads[0]?.key, objectKey(ownerId, 'google_drive', 'file-1'));
    assert.ok(uploads[0]?.bytes.equals(content));
    assert.equal(rows.length, 0, 'the row waits for the rest of its batch');
    assert.deepEqual(await service.record([image]), new Map([['file-1', 'row-of-file-1']]));
    assert.deepEqual(rows, [image]);
  });

  test('a file of a job nobody owns yet is stored under the key from before owners, and its row has no owner', async () => {
    const content = pngBytes(500);
    const { service, uploads } = setup({ content });
    const image = imageOf(await service.transfer({ jobId: 'old-job', ownerId: null }, 'google_drive', file({ md5: md5(content) })));
    assert.deepEqual([image.ownerId, image.storagePath, uploads[0]?.key], [null, objectKey(null, 'google_drive', 'file-1'), objectKey(null, 'google_drive', 'file-1')]);
  });

  test("an image already in the owner's gallery with the same md5 is not fetched or stored again", async () => {
    const { service, uploads, openedCount, lookups } = setup({ existing: { id: 'old', md5: 'a'.repeat(32), size: 10 } });
    const existing = (await service.alreadyImported(ownerId, 'google_drive', [file()])).get('file-1');
    assert.deepEqual(lookups, [[ownerId, 'google_drive', ['file-1']]], "looked up among the owner's images only");
    assert.deepEqual(await service.transfer(job('job-2'), 'google_drive', file({ md5: 'a'.repeat(32) }), existing), { status: 'unchanged', imageId: 'old', bytes: 10 });
    assert.equal(openedCount(), 0);
    assert.equal(uploads.length, 0);
  });

  test('a Dropbox file is fetched again when its content_hash changed since it was stored, not when it did not', async () => {
    const stored = { id: 'old', md5: 'a'.repeat(32), size: 10, contentHash: 'c'.repeat(64) };
    const same = setup({ existing: stored });
    assert.deepEqual(await same.service.transfer(job(), 'google_drive', file({ contentHash: 'c'.repeat(64) }), stored), { status: 'unchanged', imageId: 'old', bytes: 10 });
    assert.equal(same.openedCount(), 0);
    const content = pngBytes(500);
    const changed = setup({ content, existing: stored });
    const outcome = await changed.service.transfer(job(), 'google_drive', file({ contentHash: 'd'.repeat(64) }), stored);
    assert.equal(changed.openedCount(), 1);
    assert.equal(imageOf(outcome).contentHash, 'd'.repeat(64), 'the new content_hash is recorded');
  });

  test('a file larger than the binding carries is streamed whole, with its md5 right', async () => {
    const content = pngBytes(25_000);
    const declared = setup({ content, limit: 10_000 });
    assert.equal(imageOf(await declared.service.transfer(job(), 'google_drive', file({ md5: md5(content) }))).md5, md5(content));
    assert.equal(declared.uploads[0]?.via, 'stream');
    assert.ok(declared.uploads[0]?.bytes.equals(content));

    // No size known beforehand: read into memory until it proves too large, then replayed into the stream.
    const surprise = setup({ content, limit: 10_000, declaredSize: null });
    const outcome = await surprise.service.transfer(job(), 'google_drive', file({ md5: md5(content) }));
    const image = imageOf(outcome);
    assert.deepEqual([image.size, image.md5, image.mimeType, image.width], [25_000, md5(content), 'image/png', 320]);
    assert.ok(surprise.uploads[0]?.bytes.equals(content), 'the bytes read first are not lost or doubled');
  });

  test('bytes that do not match the listed md5 are retried, not recorded', async () => {
    const { service } = setup({ content: pngBytes(100) });
    const outcome = await service.transfer(job(), 'google_drive', file({ md5: 'f'.repeat(32) }));
    assert.equal(outcome.status, 'retry');
    assert.match((outcome as { reason: string }).reason, /^checksum_mismatch/);
  });

  test('an HTML page where an image should be fails the file and stores nothing', async () => {
    const { service, uploads } = setup({ content: Buffer.from('<!DOCTYPE html><html><body>Quota exceeded</body></html>') });
    const outcome = await service.transfer(job(), 'google_drive', file());
    assert.equal(outcome.status, 'failed');
    assert.match((outcome as { reason: string }).reason, /^not_an_image/);
    assert.equal(uploads.length, 0);
  });

  test('source errors keep their reason: permanent ones fail, rate limits are retried', async () => {
    const gone = setup({ error: new SourceError('file_unavailable', 'cannotDownloadAbusiveFile', 'This file has been identified as malware or spam') });
    assert.deepEqual(await gone.service.transfer(job(), 'google_drive', file()), {
      status: 'failed',
      reason: 'cannotDownloadAbusiveFile: This file has been identified as malware or spam',
    });
    const busy = setup({ error: new SourceError('rate_limited', 'userRateLimitExceeded', 'User Rate Limit Exceeded') });
    assert.equal((await busy.service.transfer(job(), 'google_drive', file())).status, 'retry');
  });

  describe('slow sources end', () => {
    const stalling = (head: Buffer, declared: number | null) => {
      const bodies: PassThrough[] = [];
      const open: ImageSource['openFile'] = async () => {
        const stream = new PassThrough();
        stream.write(head);
        bodies.push(stream);
        return { stream, size: declared, contentType: 'image/png' };
      };
      return { open, bodies };
    };

    test('a body that goes quiet after its headers is retried as download_stalled, its stream closed, nothing stored', async () => {
      const { open, bodies } = stalling(pngBytes(500), 10_000);
      const { service, uploads } = setup({ open, download: { idleTimeoutMs: 50 } });
      assert.deepEqual(await service.transfer(job(), 'google_drive', file()), { status: 'retry', reason: 'download_stalled: no data for 50 ms' });
      assert.ok(bodies[0]?.destroyed);
      assert.equal(uploads.length, 0);
    });

    test('the streaming path stalls the same way, and the upload fails with it', async () => {
      const { open, bodies } = stalling(pngBytes(20_000), 50_000);
      const { service, streamErrors } = setup({ open, limit: 10_000, download: { idleTimeoutMs: 50 } });
      assert.deepEqual(await service.transfer(job(), 'google_drive', file()), { status: 'retry', reason: 'download_stalled: no data for 50 ms' });
      assert.ok(streamErrors[0] instanceof SourceError && streamErrors[0].reason === 'download_stalled', 'the upload saw the stall');
      assert.ok(bodies[0]?.destroyed);
    });

    test('a source that never answers is aborted through the signal it was given, at the total deadline', async () => {
      let given: AbortSignal | undefined;
      const open: ImageSource['openFile'] = (_f, options) =>
        new Promise((_resolve, reject) => {
          given = options?.signal;
          given?.addEventListener('abort', () => reject(given?.reason as Error));
        });
      const { service } = setup({ open, download: { timeoutMs: 80 } });
      assert.deepEqual(await service.transfer(job(), 'google_drive', file()), { status: 'retry', reason: 'download_timeout: the download took longer than 80 ms' });
      assert.equal(given?.aborted, true, 'the source was told to close its request');
    });

    test("the batch's deadline cancels an upload through the binding that hangs, with the deadline's reason", async () => {
      let given: AbortSignal | undefined;
      const { service, uploads } = setup({
        content: pngBytes(2_000),
        uploading: (signal) =>
          new Promise((_, reject) => {
            given = signal;
            signal?.addEventListener('abort', () => reject(signal.reason as Error));
          }),
      });
      const batch = new AbortController();
      setTimeout(() => batch.abort(new SourceError('transient', 'batch_timeout', 'the batch took longer than 100 ms')), 50);
      assert.deepEqual(await service.transfer(job(), 'google_drive', file(), undefined, batch.signal), { status: 'retry', reason: 'batch_timeout: the batch took longer than 100 ms' });
      assert.equal(given?.aborted, true, 'the upload was told to stop');
      assert.equal(uploads.length, 0);
    });

    test("the batch's deadline aborts a download with its own reason", async () => {
      const { open } = stalling(pngBytes(500), null);
      const { service } = setup({ open });
      const batch = new AbortController();
      setTimeout(() => batch.abort(new SourceError('transient', 'batch_timeout', 'the batch took longer than 100 ms')), 50);
      assert.deepEqual(await service.transfer(job(), 'google_drive', file(), undefined, batch.signal), { status: 'retry', reason: 'batch_timeout: the batch took longer than 100 ms' });
    });
  });
});
