import assert from 'node:assert/strict';
import { getPriority } from 'node:os';
import { after, describe, test } from 'node:test';
import { createLogger } from '@importer/observability';
import sharp from 'sharp';
import { PreviewTimedOut, UndecodableImage } from '../../src/preview-image.js';
import { PreviewRenderer } from '../../src/preview-renderer.js';

const png = (width: number, height: number) => sharp({ create: { width, height, channels: 3, background: { r: 10, g: 120, b: 200 } } }).png().toBuffer();

describe('previews made in a child process at the lowest CPU priority', () => {
  const log = createLogger({ service: 'test', level: 'error' });
  const renderer = new PreviewRenderer(log, { timeoutMs: 30_000 });
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

  test('a render over the time limit fails with PreviewTimedOut and its child is killed; the next render starts another', async () => {
    const strict = new PreviewRenderer(log, { timeoutMs: 5 });
    const gone = async (pid: number) => {
      for (let i = 0; i < 200; i++) {
        try {
          process.kill(pid, 0);
        } catch {
          return true;
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return false;
    };
    try {
      const large = await png(6000, 6000);
      const rendering = strict.render(large);
      const first = strict.pid;
      assert.ok(first);
      await assert.rejects(rendering, (e: unknown) => e instanceof PreviewTimedOut && e.message === 'preview_timeout: rendering took longer than 5 ms');
      assert.ok(await gone(first), 'the child was killed');
      const again = strict.render(large);
      assert.ok(strict.pid && strict.pid !== first, 'a new child');
      await assert.rejects(again, PreviewTimedOut);
    } finally {
      strict.close();
    }
  });
});
