import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

/** Dropbox hashes content in blocks of 4 MiB (provider-apis.md B8). */
export const CONTENT_HASH_BLOCK_SIZE = 4 * 1024 * 1024;

/**
 * Dropbox's `content_hash`, fed chunk by chunk: SHA-256 of each 4 MiB block, then SHA-256 of the blocks' digests
 * concatenated, in hex. Memory stays at one block's hash state whatever the file's size.
 */
export class ContentHasher {
  private readonly overall: Hash = createHash('sha256');
  private block: Hash = createHash('sha256');
  private inBlock = 0;

  update(chunk: Uint8Array): this {
    let offset = 0;
    while (offset < chunk.length) {
      const take = Math.min(CONTENT_HASH_BLOCK_SIZE - this.inBlock, chunk.length - offset);
      this.block.update(chunk.subarray(offset, offset + take));
      this.inBlock += take;
      offset += take;
      if (this.inBlock === CONTENT_HASH_BLOCK_SIZE) this.endBlock();
    }
    return this;
  }

  digest(): string {
    if (this.inBlock > 0) this.endBlock();
    return this.overall.digest('hex');
  }

  private endBlock(): void {
    this.overall.update(this.block.digest());
    this.block = createHash('sha256');
    this.inBlock = 0;
  }
}

/** The content_hash of bytes held in memory. */
export function contentHash(bytes: Uint8Array): string {
  return new ContentHasher().update(bytes).digest();
}

/**
 * Passes bytes through unchanged and, at their end, fails the stream with `onMismatch()` when they do not hash to
 * `expected`; so a consumer that reads to the end never takes a corrupted file for a good one.
 */
export function verifyContentHash(expected: string, onMismatch: (actual: string) => Error): Transform {
  const hasher = new ContentHasher();
  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      hasher.update(chunk);
      callback(null, chunk);
    },
    flush(callback: TransformCallback) {
      const actual = hasher.digest();
      callback(actual === expected ? null : onMismatch(actual));
    },
  });
}
