import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import type { ImageRecord } from '@importer/db';
import { createLogger } from '@importer/observability';
import sharp from 'sharp';
import { ImagePreviewService } from './image-preview.service.js';
import { makePreview, type Preview, PreviewTimedOut } from './preview-image.js';
import { Semaphore } from './semaphore.js';

const log = createLogger({ service: 'test', level: 'error' });

async function png(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 200, g: 80, b: 20 } } }).png().toBuffer();
}

function service(stored: Map<string, Buffer>, rows: Map<string, Pick<ImageRecord, 'storagePath'>>, render: (original: Buffer) => Promise<Preview> = makePreview) {
  const reads: string[] = [];
  const puts: { key: string; bytes: Uint8Array; contentType: string }[] = [];
  const previews: { id: string; preview: { path: string; width: number; height: number } }[] = [];
  const previewService = new ImagePreviewService({
    read: async (key) => {
      reads.push(key);
      const bytes = stored.get(key);
      if (!bytes) throw new Error(`no object ${key}`);
      return bytes;
    },
    render,
    binding: {
      put: async (key, bytes, contentType) => {
        puts.push({ key, bytes, contentType });
        return { key, location: undefined };
      },
    },
    images: {
      find: async (id) => rows.get(id) as ImageRecord | undefined,
      setPreview: async (id, preview) => void previews.push({ id, preview }),
    },
    limiter: new Semaphore(1),
    maxBytes: 48 * 1024 * 1024,
    log,
  });
  return { previewService, reads, puts, previews };
}

test('an image gets a WebP preview at most 400 px on its long side, recorded on its row', async () => {
  const id = randomUUID();
  const key = 'google_drive/aa/bb/original';
  const { previewService, puts, previews } = service(new Map([[key, await png(1200, 600)]]), new Map([[id, { storagePath: key }]]));
  await previewService.handle({ imageId: id, source: 'google_drive', storagePath: key, mimeType: 'image/png', size: 1000 });
  assert.equal(puts.length, 1);
  assert.equal(puts[0]?.contentType, 'image/webp');
  const meta = await sharp(Buffer.from(puts[0]?.bytes ?? [])).metadata();
  assert.deepEqual([meta.format, meta.width, meta.height], ['webp', 400, 200]);
  assert.deepEqual(previews, [{ id, preview: { path: puts[0]?.key, width: 400, height: 200 } }]);
});

test('a message about an image this gallery does not have is dropped without reading storage', async () => {
  const { previewService, reads, puts } = service(new Map(), new Map());
  await previewService.handle({ imageId: randomUUID(), source: 'google_drive', storagePath: 'google_drive/gone', mimeType: 'image/png', size: 1000 });
  assert.deepEqual(reads, []);
  assert.deepEqual(puts, []);
});

test('bytes that are not an image get no preview and no retry', async () => {
  const id = randomUUID();
  const key = 'url/cc/dd/original';
  const { previewService, puts, previews } = service(new Map([[key, Buffer.from('<html>not an image</html>')]]), new Map([[id, { storagePath: key }]]));
  await previewService.handle({ imageId: id, source: 'url', storagePath: key, mimeType: 'image/png', size: 25 });
  assert.deepEqual([puts.length, previews.length], [0, 0]);
});

test('an image that renders too slowly gets no preview and no retry, as one that does not decode', async () => {
  const id = randomUUID();
  const key = 'google_drive/ee/ff/original';
  const slow = async () => Promise.reject(new PreviewTimedOut('preview_timeout: rendering took longer than 30 s'));
  const { previewService, puts, previews } = service(new Map([[key, await png(10, 10)]]), new Map([[id, { storagePath: key }]]), slow);
  await previewService.handle({ imageId: id, source: 'google_drive', storagePath: key, mimeType: 'image/png', size: 100 });
  assert.deepEqual([puts.length, previews.length], [0, 0]);
});

test('a render that failed otherwise (its process died) is thrown, so the message is redelivered', async () => {
  const id = randomUUID();
  const key = 'google_drive/ee/gg/original';
  const died = async () => Promise.reject(new Error('the preview process ended (SIGKILL)'));
  const { previewService } = service(new Map([[key, await png(10, 10)]]), new Map([[id, { storagePath: key }]]), died);
  await assert.rejects(previewService.handle({ imageId: id, source: 'google_drive', storagePath: key, mimeType: 'image/png', size: 100 }), /process ended/);
});
