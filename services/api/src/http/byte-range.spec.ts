import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError } from './api-error.js';
import { singleByteRange } from './byte-range.js';

test('one byte range is passed on as it is', () => {
  assert.equal(singleByteRange('bytes=0-99'), 'bytes=0-99');
  assert.equal(singleByteRange('bytes=100-'), 'bytes=100-');
  assert.equal(singleByteRange('bytes=-500'), 'bytes=-500');
  assert.equal(singleByteRange(' bytes = 5 - 9 '), 'bytes=5-9');
});

test('no range, several ranges, other units and nonsense are served whole', () => {
  for (const header of [undefined, 'bytes=0-1,5-9', 'items=0-5', 'bytes=', 'bytes=-', 'bytes=a-b', `bytes=0-${'9'.repeat(20)}`]) {
    assert.equal(singleByteRange(header), undefined, String(header));
  }
});

test('a range that ends before it starts is a 416', () => {
  assert.throws(() => singleByteRange('bytes=9-5'), (e: unknown) => e instanceof ApiError && e.status === 416);
});
