import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { DeleteObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { BINDING_MAX_PAYLOAD_BYTES, SIDECAR_MAX_BODY_MB } from '@importer/contracts';
import { type DaprApp, localPlatform, localS3Client, prepareResources, readLocalObject, startDaprApp } from '@importer/devkit';
import { BindingError, ObjectStoreBinding, PayloadTooLargeError, SidecarGrpcClient } from '../../src/index.js';
import { randomPng } from '../fixtures/png.js';
import { runSuffix } from './fixture-apps.js';

const MiB = 1024 * 1024;
const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('hex');

describe('the S3 binding over gRPC through a real sidecar into MinIO', () => {
  const appId = `bb-s3-${runSuffix()}`;
  const { minio } = localPlatform;
  const s3 = localS3Client();
  const written: string[] = [];
  let sidecar: DaprApp;
  let client: SidecarGrpcClient;
  let binding: ObjectStoreBinding;

  const key = (name: string) => {
    const k = `building-blocks/${appId}/${name}`;
    written.push(k);
    return k;
  };
  const exists = async (k: string) =>
    s3.send(new HeadObjectCommand({ Bucket: minio.bucket, Key: k })).then(
      () => true,
      (error: { name?: string }) => (error.name === 'NotFound' ? false : Promise.reject(error)),
    );

  before(async () => {
    const resources = prepareResources({ from: ['components/common', 'dapr'], scopes: [appId] });
    sidecar = await startDaprApp({ appId, resourcesPaths: [resources] });
    client = new SidecarGrpcClient({ daprHost: '127.0.0.1', daprGrpcPort: sidecar.grpcPort, daprApiToken: sidecar.tokens.daprApiToken });
    binding = new ObjectStoreBinding(client);
  });

  after(async () => {
    await Promise.all(written.map((k) => s3.send(new DeleteObjectCommand({ Bucket: minio.bucket, Key: k }))));
    client?.close();
    await sidecar?.stop();
    s3.destroy();
  });

  test('a 12 MB PNG arrives byte-identical', async () => {
    const png = randomPng(2000, 2000);
    assert.ok(png.byteLength > 12_000_000, `the PNG is ${png.byteLength} bytes`);
    const k = key('photo.png');
    await binding.put(k, png, 'image/png');
    const stored = await readLocalObject(s3, k);
    assert.equal(stored.bytes.byteLength, png.byteLength);
    assert.equal(md5(stored.bytes), md5(png));
    assert.equal(stored.contentType, 'image/png');
  });

  test('12 MB of random bytes arrive byte-identical', async () => {
    const bytes = randomBytes(12 * MiB);
    const k = key('noise.bin');
    await binding.put(k, bytes, 'application/octet-stream');
    assert.equal(md5((await readLocalObject(s3, k)).bytes), md5(bytes));
  });

  test('a payload over the binding limit fails with a clear error and stores nothing', async () => {
    const k = key('too-large.bin');
    await assert.rejects(binding.put(k, Buffer.alloc(BINDING_MAX_PAYLOAD_BYTES + 1), 'application/octet-stream'), (error: unknown) => {
      assert.ok(error instanceof PayloadTooLargeError);
      assert.match(error.message, new RegExp(`exceeds the S3 binding limit of ${BINDING_MAX_PAYLOAD_BYTES} bytes.*streaming upload path`));
      return true;
    });
    assert.equal(await exists(k), false);
  });

  test("a payload over the sidecar's max-body-size does not get through: the call fails with an error, and the next one works", async () => {
    // A binding that lets far more through than the project allows, to reach the sidecar's own limit.
    const unguarded = new ObjectStoreBinding(client, { maxPayloadBytes: 4 * SIDECAR_MAX_BODY_MB * MiB, timeoutMs: 10_000 });
    const k = key('past-the-sidecar.bin');
    await assert.rejects(unguarded.put(k, Buffer.alloc((SIDECAR_MAX_BODY_MB + 1) * MiB), 'application/octet-stream'), (error: unknown) => {
      assert.ok(error instanceof BindingError, `got ${String(error)}`);
      assert.match(error.message, /RESOURCE_EXHAUSTED|no answer within 10000 ms|reset the call|broke/);
      return true;
    });
    assert.equal(await exists(k), false);
    const after = key('after-the-refusal.bin');
    await binding.put(after, Buffer.from([0x89, 1, 2, 3]), 'application/octet-stream');
    assert.deepEqual([...(await readLocalObject(s3, after)).bytes], [0x89, 1, 2, 3]);
  });

  test('an upload whose signal aborts fails at once as cancelled', async () => {
    const controller = new AbortController();
    const upload = binding.put(key('cancelled.bin'), randomBytes(8 * MiB), 'application/octet-stream', controller.signal);
    controller.abort(new Error('the lease was lost'));
    await assert.rejects(upload, (error: unknown) => {
      assert.ok(error instanceof BindingError);
      assert.match(error.message, /cancelled: Error: the lease was lost/);
      return true;
    });
  });

  test('get reads back the bytes put, and a missing object fails with a BindingError naming it', async () => {
    const bytes = randomBytes(300_000);
    const k = key('read-back.bin');
    await binding.put(k, bytes, 'application/octet-stream');
    assert.equal(md5(await binding.get(k)), md5(bytes));
    await assert.rejects(binding.get(`building-blocks/${appId}/missing.bin`), (error: unknown) => {
      assert.ok(error instanceof BindingError);
      assert.match(error.message, /missing\.bin/);
      return true;
    });
  });

  test('calls in flight at once share the connection and each lands whole', async () => {
    const bodies = Array.from({ length: 40 }, () => randomBytes(64 * 1024));
    const keys = bodies.map((_, i) => key(`parallel-${i}.bin`));
    await Promise.all(bodies.map((bytes, i) => binding.put(keys[i] as string, bytes, 'application/octet-stream')));
    for (const [i, k] of keys.entries()) assert.equal(md5((await readLocalObject(s3, k)).bytes), md5(bodies[i] as Buffer));
  });

  test('a payload the binding would rewrite (a JSON scalar) is refused, not stored altered', async () => {
    const k = key('scalar.txt');
    await assert.rejects(binding.put(k, Buffer.from(' 1.50 '), 'text/plain'), (error: unknown) => {
      assert.ok(error instanceof BindingError);
      assert.match(error.message, /JSON scalar/);
      return true;
    });
    assert.equal(await exists(k), false);
  });
});
