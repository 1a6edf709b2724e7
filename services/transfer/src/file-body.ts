import { createHash, type Hash } from 'node:crypto';
import { Readable } from 'node:stream';

/** The start of a file read into memory, and, when it was longer than allowed, the stream of all of it. */
export type BodyRead =
  | { kind: 'whole'; bytes: Buffer; md5: string }
  | { kind: 'too-large'; head: Buffer; continue: () => HashedStream };

/** A stream of a file's bytes that knows their md5 and length once it has been read to the end. */
export interface HashedStream {
  stream: Readable;
  digest(): { md5: string; bytes: number };
}

function hashedStream(chunks: AsyncIterable<Buffer>, hash: Hash, alreadyCounted: number): HashedStream {
  let bytes = alreadyCounted;
  const stream = Readable.from(
    (async function* () {
      for await (const chunk of chunks) {
        hash.update(chunk);
        bytes += chunk.length;
        yield chunk;
      }
    })(),
  );
  return { stream, digest: () => ({ md5: hash.copy().digest('hex'), bytes }) };
}

/**
 * Reads a file into memory as long as it stays within `limit` bytes; past that, hands back what was read so far
 * (enough to recognise the format) and a stream that replays it followed by the rest, for the streaming path.
 */
export async function readBody(source: Readable, limit: number): Promise<BodyRead> {
  const hash = createHash('md5');
  const chunks: Buffer[] = [];
  let length = 0;
  const iterator = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  for (;;) {
    const next = await iterator.next();
    if (next.done) break;
    const chunk = asBuffer(next.value);
    chunks.push(chunk);
    length += chunk.length;
    if (length > limit) {
      const head = Buffer.concat(chunks);
      const rest = { [Symbol.asyncIterator]: () => iterator };
      return {
        kind: 'too-large',
        head,
        continue: () =>
          hashedStream(
            (async function* () {
              yield head;
              yield* rest;
            })(),
            createHash('md5'),
            0,
          ),
      };
    }
    hash.update(chunk);
  }
  // A file that arrived in one chunk is used as it is: every copy of a file's bytes is memory the GC must reclaim.
  const bytes = chunks.length === 1 && chunks[0] ? chunks[0] : Buffer.concat(chunks, length);
  return { kind: 'whole', bytes, md5: hash.digest('hex') };
}

/** A Buffer over the same memory as the chunk (a web stream's chunks are Uint8Arrays), not a copy. */
function asBuffer(chunk: Uint8Array): Buffer {
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/** A stream hashed as it passes, for files known to be too large before any byte is read. */
export function hashAsItPasses(source: Readable): HashedStream {
  return hashedStream(source as AsyncIterable<Buffer>, createHash('md5'), 0);
}
