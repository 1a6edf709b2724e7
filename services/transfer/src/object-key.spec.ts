import assert from 'node:assert/strict';
import { test } from 'node:test';
import { objectKey } from './object-key.js';

const A = '0b6f3c1e-8a4d-4f7e-9c2b-5d1a7e3f9b20';
const B = '7d2e9a4c-1f6b-4e8d-a3c5-9b0f2e7d4a61';
const FILE = '1InXVYI5q3y51BsGjH6hMEK9CGhCZMNcV';

test("the key depends on the owner, the source and its file id only, is deterministic, and starts with the owner's id", () => {
  const key = objectKey(A, 'google_drive', FILE);
  assert.equal(key, objectKey(A, 'google_drive', FILE), 'a retry writes the same key');
  assert.match(key, new RegExp(`^${A}/google_drive/[0-9a-f]{2}/[0-9a-f]{2}/[0-9a-f]{64}$`));
  assert.notEqual(key, objectKey(B, 'google_drive', FILE), "two owners' copies of one file are two objects");
  assert.notEqual(key, objectKey(A, 'dropbox', FILE), 'the same id in another source is another object');
  assert.notEqual(objectKey(A, 'url', 'a'), objectKey(A, 'url', 'b'));
});

test('an image nobody owns yet keeps the key it had before owners; an owned key is that key under the owner', () => {
  assert.equal(objectKey(null, 'google_drive', FILE), 'google_drive/11/35/1135e4d3bb69fd5fc103c013420843795a3945a42e26ace9c29253b7ad08a0ec');
  assert.equal(objectKey(A, 'google_drive', FILE), `${A}/google_drive/11/35/1135e4d3bb69fd5fc103c013420843795a3945a42e26ace9c29253b7ad08a0ec`);
});
