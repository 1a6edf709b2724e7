import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { API_KEY_PREFIX, apiKeyShownPrefix, isApiKey, isSessionToken, newApiKey, newSessionToken, tokenHash } from './tokens.js';

describe('tokens', () => {
  test('a session token is 32 random bytes in base64url, new each time', () => {
    const tokens = new Set(Array.from({ length: 100 }, newSessionToken));
    assert.equal(tokens.size, 100);
    for (const token of tokens) {
      assert.match(token, /^[A-Za-z0-9_-]{43}$/);
      assert.equal(Buffer.from(token, 'base64url').length, 32);
      assert.equal(isSessionToken(token), true);
      assert.equal(isApiKey(token), false, 'a session token is never taken for an API key');
    }
  });

  test('an API key is imp_ and a token, recognisable by its prefix; a list shows its first 12 characters', () => {
    const key = newApiKey();
    assert.match(key, /^imp_[A-Za-z0-9_-]{43}$/);
    assert.equal(isApiKey(key), true);
    assert.equal(isSessionToken(key), false);
    assert.equal(apiKeyShownPrefix(key), key.slice(0, 12));
    assert.ok(apiKeyShownPrefix(key).startsWith(API_KEY_PREFIX));
  });

  test('text of any other shape is neither', () => {
    const token = newSessionToken();
    for (const text of ['', token.slice(1), `${token}x`, `${token.slice(1)}+`, `${token.slice(1)}=`, `imp_${token.slice(1)}`, `IMP_${token}`, `imp_${token} `]) {
      assert.equal(isSessionToken(text) || isApiKey(text), false, JSON.stringify(text));
    }
  });

  test('a token is stored by its SHA-256 in hex, the same every time and never the token', () => {
    assert.equal(tokenHash('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    const token = newSessionToken();
    assert.equal(tokenHash(token), tokenHash(token));
    assert.match(tokenHash(token), /^[0-9a-f]{64}$/);
    assert.notEqual(tokenHash(token), tokenHash(newSessionToken()));
  });
});
