import assert from 'node:assert/strict';
import { getPriority } from 'node:os';
import { after, describe, test } from 'node:test';
import { createLogger } from '@importer/observability';
import sharp from 'sharp';
import { UndecodableImage } from '../../src/preview-image.js';
import { PreviewRenderer } from '../../src/preview-renderer.js';

const png = (width: number, height: number) => sharp({ create: { width, height, channels: 3, background: { r: 10, g: 120, b: 200 } } }).png().toBuffer();

describe('previews made in a child process at the lowest CPU priority', () => {
  const renderer = new PreviewRenderer(createLogger({ service: 'test', level: 'error' }));
  after(() => renderer.close());

  test('a PNG comes back as a WebP preview, from a child the kernel schedules last', async () => {
    const preview = await renderer.render(await png(900, 1200));
    assert.ok(Buffer.isBuffer(preview.bytes));
    const meta = await sharp(preview.bytes).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height, preview.width, preview.height], ['webp', 300, 400, 300, 400]);
    assert.deepEqual(preview.original, { width: 900, height: 1200 });
    assert.ok(renderer.pid && renderer.pid !== process.pid);
    assert.equal(getPriority(renderer.pid), 19);
  });

  test('bytes that are no image are UndecodableImage, and the child carries on', async () => {
    await assert.rejects(renderer.render(Buffer.from('<html>no image</html>')), UndecodableImage);
    assert.equal((await renderer.render(await png(40, 20))).width, 40);
  });

  test('a child that dies fails what it had, and the next preview starts a new one', async () => {
    const first = renderer.pid;
    assert.ok(first);
    const lost = renderer.render(await png(4000, 3000));
    process.kill(first, 'SIGKILL');
    await assert.rejects(lost, /the preview process ended/);
    const preview = await renderer.render(await png(64, 64));
    assert.equal(preview.width, 64);
    assert.notEqual(renderer.pid, first);
  });
});
