import assert from 'node:assert/strict';
import { PassThrough, Readable } from 'node:stream';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { OpenedFile } from '@importer/providers';
import { SourceError } from '@importer/providers';
import { abortReasonText, describeDuration, DownloadDeadline } from './download-deadline.js';

const read = async (stream: Readable) => {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};
const withReason = (reason: string, message: string) => (error: unknown) => error instanceof SourceError && error.reason === reason && error.message === message && error.retryable;
const opened = (stream: Readable): OpenedFile => ({ stream, size: null, contentType: null });

describe('download deadline', () => {
  test('a body that goes quiet is aborted after the idle timeout, and the source stream is destroyed', async () => {
    const deadline = new DownloadDeadline({ timeoutMs: 5_000, idleTimeoutMs: 50 });
    const source = new PassThrough();
    source.write(Buffer.from('first bytes'));
    const started = Date.now();
    await assert.rejects(read(deadline.watch(source)), withReason('download_stalled', 'no data for 50 ms'));
    assert.ok(Date.now() - started < 1_000);
    assert.ok(source.destroyed, 'the connection is closed');
    assert.equal(abortReasonText(deadline.signal), 'download_stalled: no data for 50 ms');
    deadline.end();
  });

  test('a trickle that never goes quiet for long still ends at the total deadline', async () => {
    const deadline = new DownloadDeadline({ timeoutMs: 200, idleTimeoutMs: 60 });
    const source = new PassThrough();
    const drip = setInterval(() => source.write(Buffer.from('.')), 20);
    try {
      await assert.rejects(read(deadline.watch(source)), withReason('download_timeout', 'the download took longer than 200 ms'));
    } finally {
      clearInterval(drip);
      deadline.end();
    }
  });

  test('waiting for the answer counts against the total deadline; a file that opens too late is closed', async () => {
    const deadline = new DownloadDeadline({ timeoutMs: 50, idleTimeoutMs: 1_000 });
    const late = new PassThrough();
    await assert.rejects(deadline.open(sleep(150).then(() => opened(late))), withReason('download_timeout', 'the download took longer than 50 ms'));
    await sleep(150);
    assert.ok(late.destroyed);
    deadline.end();
  });

  test('a slow reader is not a stalled source, and a finished body stops the clocks', async () => {
    const deadline = new DownloadDeadline({ timeoutMs: 300, idleTimeoutMs: 30 });
    const body = deadline.watch(Readable.from([Buffer.from('a'), Buffer.from('b'), Buffer.from('c')]));
    const chunks: string[] = [];
    for await (const chunk of body) {
      chunks.push(String(chunk));
      // Three times the idle timeout between reads: the source is never the one waited for.
      await sleep(90);
    }
    assert.equal(chunks.join(''), 'abc');
    await sleep(350);
    assert.equal(deadline.signal.aborted, false, 'the total clock stopped with the last byte');
    deadline.end();
  });

  test("the batch's abort ends the download with the batch's reason", async () => {
    const batch = new AbortController();
    const deadline = new DownloadDeadline({ timeoutMs: 5_000, idleTimeoutMs: 5_000 }, batch.signal);
    const source = new PassThrough();
    const reading = read(deadline.watch(source));
    batch.abort(new SourceError('transient', 'batch_timeout', 'the batch took longer than 5 min'));
    await assert.rejects(reading, withReason('batch_timeout', 'the batch took longer than 5 min'));
    assert.ok(source.destroyed);
    deadline.end();
  });

  test('end destroys a body left unread, so its connection does not linger', () => {
    const deadline = new DownloadDeadline({ timeoutMs: 5_000, idleTimeoutMs: 5_000 });
    const source = new PassThrough();
    deadline.watch(source);
    deadline.end();
    assert.ok(source.destroyed);
    assert.equal(deadline.signal.aborted, false);
  });

  test('durations read as a person says them', () => {
    assert.deepEqual([200, 1_500, 30_000, 60_000, 90_000, 240_000, 600_000].map(describeDuration), ['200 ms', '1.5 s', '30 s', '60 s', '90 s', '4 min', '10 min']);
  });
});
