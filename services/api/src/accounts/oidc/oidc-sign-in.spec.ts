import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { randomNonce, randomPKCECodeVerifier, randomState } from 'openid-client';
import { encodePending } from './oidc-pending.js';
import { OIDC_PENDING_MAX_AGE_MS, oidcPendingCookieOptions, OidcSignIn, OidcSignInError, type OidcSignInErrorCode } from './oidc-sign-in.js';

const settings = {
  // Port 9 (discard) on loopback: nothing answers, and every case below is decided before the provider is asked.
  issuerUrl: 'http://127.0.0.1:9',
  clientId: 'importer',
  clientSecret: 's3cret',
  label: 'Sign in with SSO',
  scopes: 'openid email profile',
};
const redirectUri = 'https://importer.example.org/api/auth/oidc/callback';
const signIn = new OidcSignIn(settings);
const state = randomState();
const pending = encodePending({ state, nonce: randomNonce(), codeVerifier: randomPKCECodeVerifier(), redirectUri });
const callback = (query: string) => new URL(`http://127.0.0.1:3000/auth/oidc/callback?${query}`);

const refusedWith = (code: OidcSignInErrorCode) => (error: unknown) => error instanceof OidcSignInError && error.code === code;

describe('OidcSignIn, before the provider is asked', () => {
  test('a plain-http issuer off this machine is refused when constructed', () => {
    assert.throws(() => new OidcSignIn({ ...settings, issuerUrl: 'http://sso.example.org' }), refusedWith('oidc_insecure_issuer'));
    assert.equal(new OidcSignIn({ ...settings, issuerUrl: 'https://sso.example.org' }).label, 'Sign in with SSO');
  });

  test('a pending value that was not written here, or for another redirect URI, is oidc_bad_pending', async () => {
    await assert.rejects(signIn.finish(callback(`code=c&state=${state}`), 'tampered', redirectUri), refusedWith('oidc_bad_pending'));
    await assert.rejects(signIn.finish(callback(`code=c&state=${state}`), pending, 'https://elsewhere.example.org/cb'), refusedWith('oidc_bad_pending'));
  });

  test('a callback whose state is not the pending one is oidc_state_mismatch, an error callback among them', async () => {
    await assert.rejects(signIn.finish(callback(`code=c&state=${randomState()}`), pending, redirectUri), refusedWith('oidc_state_mismatch'));
    await assert.rejects(signIn.finish(callback('code=c'), pending, redirectUri), refusedWith('oidc_state_mismatch'));
    await assert.rejects(signIn.finish(callback('error=access_denied'), pending, redirectUri), refusedWith('oidc_state_mismatch'));
  });

  test("an error callback is oidc_rejected with the provider's words as plain text", async () => {
    const description = encodeURIComponent('<b>User</b> said no');
    const error = await signIn.finish(callback(`error=access_denied&error_description=${description}&state=${state}`), pending, redirectUri).catch((e: unknown) => e);
    assert.ok(error instanceof OidcSignInError);
    assert.equal(error.code, 'oidc_rejected');
    assert.equal(error.providerDescription, 'access_denied: b User /b said no');
  });

  test('the pending cookie goes only to the callback, for 10 minutes, Lax so the provider’s redirect carries it', () => {
    assert.deepEqual(oidcPendingCookieOptions(redirectUri), { path: '/api/auth/oidc/callback', maxAge: OIDC_PENDING_MAX_AGE_MS, httpOnly: true, sameSite: 'lax', secure: true });
    assert.equal(oidcPendingCookieOptions('http://127.0.0.1:3000/auth/oidc/callback').secure, false);
    assert.equal(OIDC_PENDING_MAX_AGE_MS, 600_000);
  });
});
