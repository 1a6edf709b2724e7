import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { crc32, inflateSync } from 'node:zlib';
import { generatePng, pngLayout } from './generated-png.js';

function parseChunks(png: Buffer): { type: string; data: Buffer }[] {
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const chunks: { type: string; data: Buffer }[] = [];
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    const data = png.subarray(at + 8, at + 8 + length);
    assert.equal(png.readUInt32BE(at + 8 + length), crc32(png.subarray(at + 4, at + 8 + length)), `CRC of ${type}`);
    chunks.push({ type, data });
    at += 12 + length;
  }
  return chunks;
}

const bytesOf = (id: string, size: number) => Buffer.concat([...generatePng(id, size)]);

describe('generatePng', () => {
  for (const size of [65_536, 65_535 * 2 + 500, 300_000, 1_000]) {
    test(`a ${size}-byte request gives exactly ${size} bytes of a PNG that decodes to its layout`, () => {
      const png = bytesOf('1abcDEF', size);
      const layout = pngLayout('1abcDEF', size);
      assert.equal(png.length, size);
      assert.equal(layout.size, size);
      const chunks = parseChunks(png);
      assert.deepEqual(chunks.map((c) => c.type).filter((t, i, all) => all.indexOf(t) === i), ['IHDR', 'tEXt', 'IDAT', 'IEND']);
      const ihdr = chunks[0]?.data ?? Buffer.alloc(8);
      assert.equal(ihdr.readUInt32BE(0), layout.width);
      assert.equal(ihdr.readUInt32BE(4), layout.height);
      const pixels = inflateSync(Buffer.concat(chunks.filter((c) => c.type === 'IDAT').map((c) => c.data)));
      assert.equal(pixels.length, layout.height * (1 + 3 * layout.width));
      for (let row = 0; row < layout.height; row++) assert.equal(pixels[row * (1 + 3 * layout.width)], 0, 'filter byte');
    });
  }

  test('64 KB gives a roughly 4:3 image', () => {
    const { width, height } = pngLayout('x'.repeat(33), 64 * 1024);
    assert.ok(width > height && width / height < 1.6, `${width}x${height}`);
  });

  test('the same (id, size) always gives the same bytes; another id gives others', () => {
    const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');
    assert.equal(md5(bytesOf('a', 70_000)), md5(bytesOf('a', 70_000)));
    assert.notEqual(md5(bytesOf('a', 70_000)), md5(bytesOf('b', 70_000)));
  });

  test('a size below the smallest PNG gives the smallest PNG, whose layout says its real size', () => {
    const layout = pngLayout('tiny', 10);
    const png = bytesOf('tiny', 10);
    assert.equal(png.length, layout.size);
    assert.deepEqual([layout.width, layout.height], [1, 1]);
    assert.ok(layout.size > 10);
  });
});
