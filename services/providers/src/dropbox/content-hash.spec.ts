import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, test } from 'node:test';
import { ContentHasher, contentHash, verifyContentHash } from './content-hash.js';

/** Test vectors of provider-apis.md B8 (computed with Python hashlib). */
const vectors: [string, Buffer, string][] = [
  ['empty', Buffer.alloc(0), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
  ['hello world', Buffer.from('hello world'), 'bc62d4b80d9e36da29c16c5d4d9f11731f36052c72401a76c23c0fb5a9b74423'],
  ['4 MiB of zeros', Buffer.alloc(4_194_304), 'c7e946d101855255d919ef0c70718633adf77d3dfb3adeeecf5d0cb4e951be58'],
  ['4 MiB + 1 of zeros', Buffer.alloc(4_194_305), '14a4d47f23a30177885d9820122f17d2d3a55fe63f7f5c27b95f689e0b2accd6'],
  ['8 MiB of zeros', Buffer.alloc(8_388_608), '03ae066c707c588592d9e27aa2444ca98423e0999024f1ceaa11a153790b37de'],
];

describe('Dropbox content_hash', () => {
  for (const [name, bytes, expected] of vectors) {
    test(`${name}: whole and in odd chunks`, () => {
      assert.equal(contentHash(bytes), expected);
      const hasher = new ContentHasher();
      for (let i = 0; i < bytes.length; i += 999_983) hasher.update(bytes.subarray(i, i + 999_983));
      assert.equal(hasher.digest(), expected);
    });
  }

  test('a stream that hashes right passes through unchanged; a wrong one fails at its end', async () => {
    const bytes = Buffer.from('hello world');
    const out: Buffer[] = [];
    await pipeline(Readable.from([bytes.subarray(0, 4), bytes.subarray(4)]), verifyContentHash(vectors[1]?.[2] ?? '', () => new Error('mismatch')), async (source) => {
      for await (const chunk of source) out.push(chunk as Buffer);
    });
    assert.deepEqual(Buffer.concat(out), bytes);
    await assert.rejects(
      pipeline(Readable.from([bytes]), verifyContentHash('0'.repeat(64), (actual) => new Error(`got ${actual}`)), async (source) => {
        for await (const chunk of source) void chunk;
      }),
      /got bc62d4b8/,
    );
  });
});
