import type { Response } from 'express';
import type { ByteRange } from './byte-range.js';
import type { BodyFault } from './transport-faults.js';

/** A file's bytes as an emulator holds them: the size, and chunks read on demand (a generated file is never held whole). */
export interface FileBody {
  readonly size: number;
  chunks(): Iterable<Buffer>;
}

/** Bytes in memory as a file body. */
export function bufferBody(bytes: Buffer): FileBody {
  return { size: bytes.length, chunks: () => [bytes] };
}

/** How a file goes out, beyond its bytes. */
export interface FileAnswer {
  contentType: string;
  /** Sent after Content-Type and Content-Length (and Accept-Ranges), in this order. */
  headers?: Record<string, string>;
  /** Present when the emulator serves ranges: Accept-Ranges, and for a `requested` range a 206 of those bytes. */
  ranges?: { requested: ByteRange | undefined };
  /** A scripted fault to carry out on the body. */
  fault?: BodyFault | undefined;
}

/** Sends a file with its Content-Length, streamed with backpressure, as a range if asked, cut or corrupted if scripted. */
export function sendFile(res: Response, body: FileBody, answer: FileAnswer): void {
  const requested = answer.ranges?.requested;
  const { start, end } = requested ?? { start: 0, end: body.size - 1 };
  const length = Math.max(0, end - start + 1);
  res.status(requested ? 206 : 200);
  res.setHeader('Content-Type', answer.contentType);
  res.setHeader('Content-Length', String(length));
  if (answer.ranges) res.setHeader('Accept-Ranges', 'bytes');
  for (const [name, value] of Object.entries(answer.headers ?? {})) res.setHeader(name, value);
  if (requested) res.setHeader('Content-Range', `bytes ${start}-${end}/${body.size}`);
  sendBody(res, sliceBytes(body.chunks(), start, length), length, answer.fault);
}

/** Writes `length` bytes of chunks after the headers already set; a `resetMidBody` fault sends only part of them, then drops the connection. */
export function sendBody(res: Response, body: Iterable<Buffer>, length: number, fault?: BodyFault): void {
  const limit = fault?.type !== 'resetMidBody' ? Infinity : (fault.afterBytes ?? Math.floor(length / 2));
  // Destroying the socket right after write() would discard what is still buffered: cut once it is flushed.
  const cut = () => res.socket?.destroy();
  let sent = 0;
  const chunks = (fault?.type === 'corrupt' ? corruptLastByte(body, length) : body)[Symbol.iterator]();
  res.on('close', () => chunks.return?.());
  if (limit <= 0) {
    // An empty write() sends no headers; flush them, then cut.
    res.flushHeaders();
    res.socket?.write(Buffer.alloc(0), cut);
    return;
  }
  const pump = () => {
    for (;;) {
      const next = chunks.next();
      if (next.done) {
        res.end();
        return;
      }
      const piece = next.value.subarray(0, Math.min(next.value.length, limit - sent));
      sent += piece.length;
      if (sent >= limit) {
        res.write(piece, cut);
        return;
      }
      if (!res.write(piece)) {
        res.once('drain', pump);
        return;
      }
    }
  };
  pump();
}

/** The bytes `start` to `start + length` of a body given in chunks. */
export function* sliceBytes(chunks: Iterable<Buffer>, start: number, length: number): Generator<Buffer> {
  let position = 0;
  const end = start + length;
  for (const chunk of chunks) {
    const chunkEnd = position + chunk.length;
    if (chunkEnd > start && position < end) yield chunk.subarray(Math.max(0, start - position), Math.min(chunk.length, end - position));
    position = chunkEnd;
    if (position >= end) return;
  }
}

/** The same chunks with the last of `length` bytes flipped; the model's own bytes are left alone. */
export function* corruptLastByte(chunks: Iterable<Buffer>, length: number): Generator<Buffer> {
  let position = 0;
  for (const chunk of chunks) {
    position += chunk.length;
    if (position !== length || chunk.length === 0) {
      yield chunk;
      continue;
    }
    const copy = Buffer.from(chunk);
    copy[copy.length - 1] = (copy[copy.length - 1] ?? 0) ^ 0xff;
    yield copy;
  }
}
