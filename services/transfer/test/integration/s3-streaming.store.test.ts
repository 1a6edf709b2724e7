import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { after, test } from 'node:test';
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { localPlatform, localS3Client } from '@importer/devkit';
import { DownloadDeadline } from '../../src/download-deadline.js';
import { S3StreamingStore } from '../../src/s3-streaming.store.js';

const { minio } = localPlatform;
const s3 = localS3Client();
const key = `streaming-test/${Date.now()}.bin`;
const stalledKey = `streaming-test/${Date.now()}-stalled.bin`;

after(async () => {
  await s3.send(new DeleteObjectCommand({ Bucket: minio.bucket, Key: key }));
  await s3.send(new DeleteObjectCommand({ Bucket: minio.bucket, Key: stalledKey }));
  s3.destroy();
});

test('a file larger than the S3 binding carries streams into MinIO in parts, byte for byte', async () => {
  const chunk = randomBytes(1024 * 1024);
  const chunks = 60;
  const expected = createHash('md5');
  for (let i = 0; i < chunks; i++) expected.update(chunk);
  // 60 MiB arrive as a stream; only a few parts are ever in memory.
  const body = Readable.from((function* () {
    for (let i = 0; i < chunks; i++) yield chunk;
  })());
  await new S3StreamingStore(s3, minio.bucket).putStream(key, body, 'image/tiff');
  const object = await s3.send(new GetObjectCommand({ Bucket: minio.bucket, Key: key }));
  assert.equal(object.ContentLength, chunks * chunk.length);
  assert.equal(object.ContentType, 'image/tiff');
  const actual = createHash('md5');
  for await (const part of object.Body as Readable) actual.update(part as Buffer);
  assert.equal(actual.digest('hex'), expected.digest('hex'));
});

test('a source that stalls after two parts fails the upload with download_stalled, and no object is left', async () => {
  const chunk = randomBytes(1024 * 1024);
  // 20 MiB, then nothing: the multipart upload has begun when the idle timeout passes.
  const stalling = Readable.from((async function* () {
    for (let i = 0; i < 20; i++) yield chunk;
    await new Promise(() => {});
  })());
  const deadline = new DownloadDeadline({ timeoutMs: 60_000, idleTimeoutMs: 500 });
  try {
    await assert.rejects(new S3StreamingStore(s3, minio.bucket).putStream(stalledKey, deadline.watch(stalling), 'image/tiff'), /no data for 500 ms/);
  } finally {
    deadline.end();
  }
  await assert.rejects(s3.send(new HeadObjectCommand({ Bucket: minio.bucket, Key: stalledKey })), (e: unknown) => (e as { name?: string }).name === 'NotFound');
});
