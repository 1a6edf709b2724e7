import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isJsonScalar } from './json-scalar.js';

const bytes = (text: string) => Buffer.from(text, 'utf8');

test('payloads the S3 binding would rewrite are JSON scalars', () => {
  for (const text of ['42', ' 1.50 ', '-1e3', '"quoted"', 'true', 'false', 'null', '\n7\n']) {
    assert.equal(isJsonScalar(bytes(text)), true, text);
  }
});

test('objects, arrays, invalid JSON and image bytes are not', () => {
  for (const text of ['{"a":1}', '[1,2]', '42abc', 'nullable', '"unterminated', '', '   ']) {
    assert.equal(isJsonScalar(bytes(text)), false, JSON.stringify(text));
  }
  assert.equal(isJsonScalar(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])), false, 'PNG signature');
  assert.equal(isJsonScalar(Buffer.from([0xff, 0xd8, 0xff, 0xe0])), false, 'JPEG signature');
});
