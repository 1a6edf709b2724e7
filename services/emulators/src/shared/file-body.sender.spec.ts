import assert from 'node:assert/strict';
import { setImmediate as tick } from 'node:timers/promises';
import { describe, test } from 'node:test';
import { fakeResponse } from './response.fake.js';
import { bufferBody, corruptLastByte, type FileBody, sendFile, sliceBytes } from './file-body.sender.js';

const bytes = Buffer.from(Array.from({ length: 100 }, (_, i) => i));
/** The same 100 bytes in chunks of 30, 30, 30 and 10, read lazily as a generated file is. */
const chunked: FileBody = {
  size: 100,
  *chunks() {
    for (let i = 0; i < 100; i += 30) yield bytes.subarray(i, i + 30);
  },
};

describe('sliceBytes and corruptLastByte', () => {
  test('a slice across chunk borders is exactly those bytes', () => {
    assert.deepEqual(Buffer.concat([...sliceBytes(chunked.chunks(), 25, 40)]), bytes.subarray(25, 65));
    assert.deepEqual([...sliceBytes(chunked.chunks(), 0, 0)], []);
  });

  test('corruption flips only the last byte, and leaves the source bytes alone', () => {
    const out = Buffer.concat([...corruptLastByte(chunked.chunks(), 100)]);
    assert.deepEqual(out.subarray(0, 99), bytes.subarray(0, 99));
    assert.equal(out[99], 99 ^ 0xff);
    assert.equal(bytes[99], 99);
    assert.deepEqual([...corruptLastByte([], 0)], []);
  });
});

describe('sendFile', () => {
  test('the whole body with Content-Type, Content-Length, then the extra headers in order', () => {
    const fake = fakeResponse();
    sendFile(fake.res, bufferBody(bytes), { contentType: 'application/octet-stream', headers: { 'X-A': '1', 'X-B': '2' } });
    assert.equal(fake.status(), 200);
    assert.deepEqual(fake.headers(), [['Content-Type', 'application/octet-stream'], ['Content-Length', '100'], ['X-A', '1'], ['X-B', '2']]);
    assert.deepEqual(fake.body(), bytes);
    assert.ok(fake.ended());
  });

  test('with ranges: Accept-Ranges always, and a requested range is a 206 of those bytes with Content-Range last', () => {
    const whole = fakeResponse();
    sendFile(whole.res, chunked, { contentType: 'image/png', headers: { 'Content-Disposition': 'x' }, ranges: { requested: undefined } });
    assert.deepEqual(whole.headers().map(([name]) => name), ['Content-Type', 'Content-Length', 'Accept-Ranges', 'Content-Disposition']);
    const part = fakeResponse();
    sendFile(part.res, chunked, { contentType: 'image/png', ranges: { requested: { start: 10, end: 69 } } });
    assert.equal(part.status(), 206);
    assert.deepEqual(part.headers().slice(1), [['Content-Length', '60'], ['Accept-Ranges', 'bytes'], ['Content-Range', 'bytes 10-69/100']]);
    assert.deepEqual(part.body(), bytes.subarray(10, 70));
  });

  test('an empty file is a 200 with Content-Length 0 and an end', () => {
    const fake = fakeResponse();
    sendFile(fake.res, bufferBody(Buffer.alloc(0)), { contentType: 'text/plain' });
    assert.deepEqual(fake.headers()[1], ['Content-Length', '0']);
    assert.ok(fake.ended());
  });

  test('resetMidBody sends afterBytes (or half) after the full Content-Length, then drops the connection', async () => {
    for (const [afterBytes, sent] of [[35, 35], [undefined, 50]] as const) {
      const fake = fakeResponse();
      sendFile(fake.res, chunked, { contentType: 'image/png', fault: { type: 'resetMidBody', ...(afterBytes === undefined ? {} : { afterBytes }) } });
      await tick();
      assert.deepEqual(fake.headers()[1], ['Content-Length', '100']);
      assert.deepEqual(fake.body(), bytes.subarray(0, sent));
      assert.deepEqual([fake.ended(), fake.destroyed()], [false, true]);
    }
  });

  test('resetMidBody at 0 bytes still sends the headers before it drops the connection', async () => {
    const fake = fakeResponse();
    sendFile(fake.res, chunked, { contentType: 'image/png', fault: { type: 'resetMidBody', afterBytes: 0 } });
    await tick();
    assert.deepEqual([fake.headersSent(), fake.body().length, fake.destroyed()], [true, 0, true]);
  });

  test('corrupt sends every byte with the last one changed, and ends normally', () => {
    const fake = fakeResponse();
    sendFile(fake.res, chunked, { contentType: 'image/png', fault: { type: 'corrupt' } });
    assert.equal(fake.body().length, 100);
    assert.notDeepEqual(fake.body(), bytes);
    assert.deepEqual(fake.body().subarray(0, 99), bytes.subarray(0, 99));
    assert.ok(fake.ended());
  });

  test('backpressure: no more chunks are read until the response drains', () => {
    const fake = fakeResponse({ highWaterMark: 30 });
    let read = 0;
    const counted: FileBody = {
      size: 100,
      *chunks() {
        for (const chunk of chunked.chunks()) {
          read += 1;
          yield chunk;
        }
      },
    };
    sendFile(fake.res, counted, { contentType: 'image/png' });
    assert.deepEqual([read, fake.body().length], [1, 30]);
    fake.res.emit('drain');
    assert.deepEqual([read, fake.body().length], [2, 60]);
    fake.res.emit('drain');
    fake.res.emit('drain');
    assert.deepEqual([fake.body(), fake.ended()], [bytes, true]);
  });
});
