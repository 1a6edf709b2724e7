import { EventEmitter } from 'node:events';
import type { Response } from 'express';

/** What a fake response was sent: status, headers in the order set, body bytes, and whether it ended or was cut. */
export interface FakeResponse {
  res: Response;
  status(): number;
  headers(): [string, string][];
  body(): Buffer;
  ended(): boolean;
  destroyed(): boolean;
  /** The headers went out (a write, a flush or the end). */
  headersSent(): boolean;
}

/**
 * An express Response double for unit tests of the senders: it records instead of writing to a socket;
 * `highWaterMark` bytes make write() report backpressure until the test emits 'drain'.
 */
export function fakeResponse(options: { highWaterMark?: number } = {}): FakeResponse {
  const emitter = new EventEmitter();
  const headers: [string, string][] = [];
  const chunks: Buffer[] = [];
  let status = 200;
  let ended = false;
  let destroyed = false;
  let flushed = false;
  let buffered = 0;
  const write = (chunk: Buffer, callback?: () => void) => {
    flushed = true;
    chunks.push(Buffer.from(chunk));
    buffered += chunk.length;
    if (callback) queueMicrotask(callback);
    return buffered < (options.highWaterMark ?? Infinity);
  };
  const fake = Object.assign(emitter, {
    status(code: number) {
      status = code;
      return fake;
    },
    setHeader(name: string, value: string) {
      headers.push([name, value]);
      return fake;
    },
    write,
    end() {
      flushed = true;
      ended = true;
      emitter.emit('close');
    },
    flushHeaders() {
      flushed = true;
    },
    socket: {
      write: (chunk: Buffer, callback?: () => void) => write(chunk, callback),
      destroy() {
        destroyed = true;
        emitter.emit('close');
      },
    },
  });
  emitter.on('drain', () => {
    buffered = 0;
  });
  return {
    res: fake as unknown as Response,
    status: () => status,
    headers: () => headers,
    body: () => Buffer.concat(chunks),
    ended: () => ended,
    destroyed: () => destroyed,
    headersSent: () => flushed,
  };
}
