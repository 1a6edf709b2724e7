import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { drainRequest } from './drain-request.js';

/** A stand-in request: a stream with the two flags drainRequest reads. */
function body(): PassThrough & { complete: boolean } {
  return Object.assign(new PassThrough(), { complete: false });
}

test('the rest of a body is read and dropped, then the answer may go', async () => {
  const req = body();
  req.write(Buffer.alloc(1000));
  const drained = drainRequest(req as unknown as IncomingMessage, 10_000);
  req.end(Buffer.alloc(1000));
  await drained;
  assert.equal(req.readableEnded, true, 'read to its end, not cut off');
});

test('a body past the bound ends the connection instead', async () => {
  const req = body();
  const drained = drainRequest(req as unknown as IncomingMessage, 1_500);
  req.write(Buffer.alloc(1000));
  req.write(Buffer.alloc(1000));
  await drained;
  assert.equal(req.destroyed, true);
  assert.equal(req.readableEnded, false);
});

test('a body that trickles past the time allowed ends the connection too', async () => {
  const req = body();
  await drainRequest(req as unknown as IncomingMessage, 10_000, 50);
  assert.equal(req.destroyed, true);
});

test('a body already read is left alone', async () => {
  const req = body();
  req.complete = true;
  await drainRequest(req as unknown as IncomingMessage, 10);
  assert.equal(req.destroyed, false);
});
