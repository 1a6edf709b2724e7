import assert from 'node:assert/strict';
import { test } from 'node:test';
import { objectKey } from './object-key.js';

test('the key depends on the source and its file id only, and is safe as an S3 key', () => {
  const key = objectKey('google_drive', '1InXVYI5q3y51BsGjH6hMEK9CGhCZMNcV');
  assert.equal(key, objectKey('google_drive', '1InXVYI5q3y51BsGjH6hMEK9CGhCZMNcV'), 'deterministic');
  assert.match(key, /^google_drive\/[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]{64}$/);
  assert.notEqual(key, objectKey('dropbox', '1InXVYI5q3y51BsGjH6hMEK9CGhCZMNcV'), 'the same id in another source is another object');
  assert.notEqual(objectKey('url', 'a'), objectKey('url', 'b'));
});
