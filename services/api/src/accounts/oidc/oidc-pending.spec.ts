import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { randomNonce, randomPKCECodeVerifier, randomState } from 'openid-client';
import { decodePending, encodePending, OIDC_PENDING_MAX_CHARS, type OidcPending } from './oidc-pending.js';
import { OidcSignInError } from './oidc-sign-in.errors.js';

const pending = (): OidcPending => ({
  state: randomState(),
  nonce: randomNonce(),
  codeVerifier: randomPKCECodeVerifier(),
  redirectUri: 'https://importer.example.org/api/auth/oidc/callback',
});

const badPending = (error: unknown) => error instanceof OidcSignInError && error.code === 'oidc_bad_pending';

describe('oidc pending value', () => {
  test('what is encoded comes back unchanged, as base64url short enough for a cookie', () => {
    const started = pending();
    const encoded = encodePending(started);
    assert.match(encoded, /^[A-Za-z0-9_-]+$/);
    assert.ok(encoded.length < 600, `${encoded.length} characters`);
    assert.deepEqual(decodePending(encoded), started);
  });

  test('a value this module did not write is oidc_bad_pending, never a crash', () => {
    const encoded = encodePending(pending());
    const json = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const foreign = [
      '',
      'not base64url!',
      `${encoded}=`,
      encoded.slice(0, -3),
      Buffer.from('{"state":').toString('base64url'),
      json(null),
      json([1, 2]),
      json({ ...pending(), state: 'short' }),
      json({ ...pending(), nonce: 'x'.repeat(129) }),
      json({ ...pending(), codeVerifier: 'has spaces in it and is long enough to pass the length rule' }),
      json({ ...pending(), redirectUri: 'javascript:alert(1)' }),
      json({ ...pending(), extra: true }),
      json({ state: randomState(), nonce: randomNonce(), redirectUri: 'https://a.example/cb' }),
      'A'.repeat(OIDC_PENDING_MAX_CHARS + 1),
    ];
    for (const text of foreign) assert.throws(() => decodePending(text), badPending, JSON.stringify(text.slice(0, 40)));
  });

  test('encoding refuses what it could not read back', () => {
    assert.throws(() => encodePending({ ...pending(), redirectUri: 'not a url' }), /cannot hold this/);
    assert.throws(() => encodePending({ ...pending(), redirectUri: `https://a.example/${'x'.repeat(1100)}` }), /cannot hold this/);
  });
});
