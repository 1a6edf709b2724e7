import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { freePort, type OidcTestProvider, startOidcTestProvider } from '@importer/devkit';
import { decodePending, encodePending } from '../../src/accounts/oidc/oidc-pending.js';
import { OidcSignIn, OidcSignInError, type OidcSignInErrorCode, type OidcSettings } from '../../src/accounts/oidc/oidc-sign-in.js';

const client = { clientId: 'importer', clientSecret: 'importer-test-secret' };
const ada = { subject: 'ada-1815', email: 'ada@example.org', emailVerified: true, name: 'Ada Lovelace' };
const bob = { subject: 'bob-1', email: 'bob@example.org', emailVerified: false, password: 'hunter2' };

/** The cookies a browser would keep across the provider's redirects; paths and expiry beyond deletion are ignored. */
class CookieJar {
  private readonly cookies = new Map<string, string>();

  take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a) || (/^\s*expires=/i.test(a) && Date.parse(a.split('=')[1] ?? '') < Date.now()));
      if (expired || !value) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

/**
 * Goes through the provider as a browser would: follows redirects, fills in the login form (or follows its Cancel
 * link), and stops at the redirect URI without fetching it, answering the URL the provider sent the browser to.
 */
async function atProvider(authorizationUrl: string, redirectUri: string, choice: { login: string; password?: string } | 'cancel'): Promise<URL> {
  const jar = new CookieJar();
  let url = new URL(authorizationUrl);
  let form: URLSearchParams | undefined;
  for (let hop = 0; hop < 12; hop++) {
    if (`${url.origin}${url.pathname}` === redirectUri) return url;
    const response = await fetch(url, {
      method: form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: { cookie: jar.header(), ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      body: form,
    });
    jar.take(response);
    form = undefined;
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      url = new URL(location, url);
      continue;
    }
    const page = await response.text();
    assert.equal(response.status, 200, `${url.href} answered ${response.status}: ${page.slice(0, 300)}`);
    assert.match(page, /<input name="login"/);
    assert.match(page, /<button type="submit">/);
    if (choice === 'cancel') {
      url = new URL(/<a href="([^"]+\/abort)"/.exec(page)?.[1] ?? assert.fail('no Cancel link'), url);
    } else {
      url = new URL(/<form method="post" action="([^"]+)"/.exec(page)?.[1] ?? assert.fail('no login form'), url);
      form = new URLSearchParams({ login: choice.login, password: choice.password ?? '' });
    }
  }
  throw new Error(`no redirect to ${redirectUri} after 12 hops`);
}

const refusedWith = (code: OidcSignInErrorCode) => (error: unknown) => {
  assert.ok(error instanceof OidcSignInError, `expected OidcSignInError ${code}, got ${String(error)}`);
  assert.equal(error.code, code, error.message);
  return true;
};

describe('OIDC sign-in against a real provider (oidc-provider)', () => {
  let provider: OidcTestProvider;
  let settings: OidcSettings;
  let signIn: OidcSignIn;
  let redirectUri: string;

  /** A started sign-in and the callback the provider sent the browser to. */
  const signedInAtProvider = async (choice: { login: string; password?: string } | 'cancel' = { login: ada.email }) => {
    const { authorizationUrl, pending } = await signIn.start(redirectUri);
    return { pending, callback: await atProvider(authorizationUrl, redirectUri, choice) };
  };

  before(async () => {
    // Never listened on: the browser's last stop is captured, not fetched.
    redirectUri = `http://127.0.0.1:${await freePort()}/auth/oidc/callback`;
    provider = await startOidcTestProvider({ clients: [{ ...client, redirectUris: [redirectUri] }], accounts: [ada, bob] });
    settings = { issuerUrl: provider.issuer, ...client, label: 'Sign in with SSO', scopes: 'openid email profile' };
    signIn = new OidcSignIn(settings);
  });

  after(async () => {
    await provider?.close();
  });

  test('a user who signs in at the provider comes back as issuer, subject, email and name', async () => {
    const { authorizationUrl, pending } = await signIn.start(redirectUri);
    const sent = new URL(authorizationUrl);
    assert.equal(`${sent.origin}`, provider.issuer);
    assert.equal(sent.searchParams.get('code_challenge_method'), 'S256');
    assert.equal(sent.searchParams.get('redirect_uri'), redirectUri);
    assert.equal(sent.searchParams.get('state'), decodePending(pending).state);
    const callback = await atProvider(authorizationUrl, redirectUri, { login: ada.email });
    assert.ok(callback.searchParams.get('code'));
    assert.deepEqual(await signIn.finish(callback, pending, redirectUri), {
      issuer: provider.issuer,
      subject: ada.subject,
      email: ada.email,
      emailVerified: true,
      name: ada.name,
    });
  });

  test('an address the provider has not verified comes back unverified; a password is checked', async () => {
    const { pending, callback } = await signedInAtProvider({ login: bob.subject, password: bob.password });
    assert.deepEqual(await signIn.finish(callback, pending, redirectUri), { issuer: provider.issuer, subject: bob.subject, email: bob.email, emailVerified: false, name: null });
    await assert.rejects(signedInAtProvider({ login: bob.subject, password: 'wrong' }), /answered 401/);
  });

  test('a provider that puts the email in the ID token (as Google does) is read without asking userinfo', async () => {
    const googleLike = await startOidcTestProvider({ clients: [{ ...client, redirectUris: [redirectUri] }], accounts: [ada], claimsInIdToken: true });
    try {
      const viaIdToken = new OidcSignIn({ ...settings, issuerUrl: googleLike.issuer });
      const { authorizationUrl, pending } = await viaIdToken.start(redirectUri);
      const callback = await atProvider(authorizationUrl, redirectUri, { login: ada.email });
      assert.deepEqual(await viaIdToken.finish(callback, pending, redirectUri), { issuer: googleLike.issuer, subject: ada.subject, email: ada.email, emailVerified: true, name: ada.name });
    } finally {
      await googleLike.close();
    }
  });

  test('the callback reached at another address (a gateway in front) still finishes against the registered redirect URI', async () => {
    const { pending, callback } = await signedInAtProvider();
    const seenByTheApi = new URL(`http://10.0.0.7:3000/auth/oidc/callback${callback.search}`);
    assert.equal((await signIn.finish(seenByTheApi, pending, redirectUri)).subject, ada.subject);
  });

  test('a callback whose state is not the pending one is oidc_state_mismatch', async () => {
    const { pending, callback } = await signedInAtProvider();
    callback.searchParams.set('state', 'x'.repeat(43));
    await assert.rejects(signIn.finish(callback, pending, redirectUri), refusedWith('oidc_state_mismatch'));
  });

  test('a tampered pending value is oidc_bad_pending', async () => {
    const { pending, callback } = await signedInAtProvider();
    await assert.rejects(signIn.finish(callback, `${pending.slice(0, -4)}AAAA`, redirectUri), refusedWith('oidc_bad_pending'));
    await assert.rejects(signIn.finish(callback, Buffer.from('{"state":"x"}').toString('base64url'), redirectUri), refusedWith('oidc_bad_pending'));
  });

  test('a user who cancels at the provider is oidc_rejected with its description', async () => {
    const { pending, callback } = await signedInAtProvider('cancel');
    assert.equal(callback.searchParams.get('error'), 'access_denied');
    const error = await signIn.finish(callback, pending, redirectUri).catch((e: unknown) => e);
    assert.ok(refusedWith('oidc_rejected')(error) && error instanceof OidcSignInError);
    assert.equal(error.providerDescription, 'access_denied: End-User aborted interaction');
  });

  test('a code used twice, or with another PKCE verifier, is refused by the provider: oidc_rejected', async () => {
    const first = await signedInAtProvider();
    await signIn.finish(first.callback, first.pending, redirectUri);
    await assert.rejects(signIn.finish(first.callback, first.pending, redirectUri), refusedWith('oidc_rejected'));

    const second = await signedInAtProvider();
    const otherVerifier = encodePending({ ...decodePending(second.pending), codeVerifier: 'v'.repeat(43) });
    await assert.rejects(signIn.finish(second.callback, otherVerifier, redirectUri), refusedWith('oidc_rejected'));
  });

  test('an ID token whose nonce is not the pending one is oidc_invalid_response', async () => {
    const { pending, callback } = await signedInAtProvider();
    const otherNonce = encodePending({ ...decodePending(pending), nonce: 'n'.repeat(43) });
    await assert.rejects(signIn.finish(callback, otherNonce, redirectUri), refusedWith('oidc_invalid_response'));
  });

  test('an issuer that does not answer is oidc_unavailable, and a later call succeeds once it is up', async () => {
    const port = await freePort();
    const late = new OidcSignIn({ ...settings, issuerUrl: `http://127.0.0.1:${port}` });
    const lateRedirect = `http://127.0.0.1:${port + 1}/auth/oidc/callback`;
    await assert.rejects(late.start(lateRedirect), refusedWith('oidc_unavailable'));
    const lateProvider = await startOidcTestProvider({ clients: [{ ...client, redirectUris: [lateRedirect] }], accounts: [ada], port });
    try {
      const { authorizationUrl, pending } = await late.start(lateRedirect);
      const callback = await atProvider(authorizationUrl, lateRedirect, { login: ada.subject });
      assert.equal((await late.finish(callback, pending, lateRedirect)).issuer, `http://127.0.0.1:${port}`);
    } finally {
      await lateProvider.close();
    }
  });

  test('a plain-http issuer off this machine is refused before any request', () => {
    assert.throws(() => new OidcSignIn({ ...settings, issuerUrl: 'http://sso.example.org' }), refusedWith('oidc_insecure_issuer'));
  });
});
