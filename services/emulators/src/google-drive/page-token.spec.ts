import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PageTokens } from './page-token.js';

test('a token reads back as the position it was issued for', () => {
  const tokens = new PageTokens('s');
  assert.deepEqual(tokens.read(tokens.issue({ folderId: 'f1', offset: 1000, page: 3 })), { folderId: 'f1', offset: 1000, page: 3 });
});

test('tampered, foreign and made-up tokens are refused', () => {
  const tokens = new PageTokens('s');
  const token = tokens.issue({ folderId: 'f1', offset: 1000, page: 3 });
  const forged = new PageTokens('other').issue({ folderId: 'f1', offset: 0, page: 0 });
  const payload = Buffer.from(JSON.stringify(['f1', 0, 1])).toString('base64url');
  for (const bad of [forged, `~!!~${payload}.${token.split('.')[1]}`, 'abc', '', `${token}x`]) {
    assert.equal(tokens.read(bad), null, bad);
  }
});
