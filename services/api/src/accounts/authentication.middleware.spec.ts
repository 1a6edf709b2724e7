import assert from 'node:assert/strict';
import { once } from 'node:events';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, test, type TestContext } from 'node:test';
import { createLogger } from '@importer/observability';
import { addFallbacks, buildApp } from '../app.js';
import { FAKE_ADMIN, FAKE_API_KEY, FAKE_IMAGE_ID, FAKE_JOB_ID, FAKE_SPARE_KEY_ID, FAKE_OTHER_USER_ID } from '../test-support/fake-api-dependencies.js';
import type { FakeAccountRepositories } from '../test-support/fake-account-repositories.js';
import { type FakeAccountsApiOptions, FAKE_OTHER_USER, fakeAccountsApi } from '../test-support/fake-accounts-api.js';
import type { ExternalIdentity } from './accounts.service.js';
import type { OidcLogin } from './auth.router.js';

/** The admin's second key in the fakes, which FAKE_SPARE_KEY_ID names. */
const ADMIN_SECOND_KEY = `imp_${'B'.repeat(43)}`;
const UNKNOWN_KEY = `imp_${'Z'.repeat(43)}`;
const CHALLENGE = 'Bearer realm="image-importer"';
const KEY_REFUSED = 'The API key is not valid: it is malformed, revoked, or its user is disabled.';
const EPOCH = 'Thu, 01 Jan 1970 00:00:00 GMT';
const GATEWAY = { 'x-forwarded-host': 'importer.example', 'x-forwarded-proto': 'https' };

interface CallOptions {
  method?: 'GET' | 'POST';
  key?: string;
  cookie?: string;
  json?: unknown;
  headers?: Record<string, string>;
}

interface Api {
  base: string;
  repositories: FakeAccountRepositories;
  call(path: string, options?: CallOptions): Promise<Response>;
  /** Signs in with a password and answers the `importer_session=…` pair to send back as a Cookie. */
  signIn(email: string, password?: string): Promise<string>;
}

/** The app over its fakes on 127.0.0.1:0, closed after the test; a request that fails inside the app fails the test. */
async function startApi(t: TestContext, options: FakeAccountsApiOptions & { oidc?: OidcLogin | null } = {}): Promise<Api> {
  const { deps, repositories } = fakeAccountsApi(options);
  if (options.oidc !== undefined) deps.auth = { ...deps.auth, oidc: options.oidc };
  const errors: string[] = [];
  const app = buildApp(deps);
  addFallbacks(app, createLogger({ service: 'spec', write: (line) => (JSON.parse(line).level === 'error' ? errors.push(line) : undefined) }));
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => {
    server.close();
    assert.deepEqual(errors, [], 'no request failed inside the app');
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const call = async (path: string, { method = 'GET', key, cookie, json, headers = {} }: CallOptions = {}) => {
    const answer = await fetch(`${base}${path}`, {
      method,
      redirect: 'manual',
      headers: {
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...(cookie ? { cookie } : {}),
        ...(json === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(json === undefined ? {} : { body: JSON.stringify(json) }),
    });
    await answer.clone().arrayBuffer();
    return answer;
  };
  const signIn = async (email: string, password = FAKE_ADMIN.password) => {
    const answer = await call('/auth/sign-in', { method: 'POST', json: { email, password } });
    assert.equal(answer.status, 200, await answer.text());
    return cookiePair(sessionCookie(answer));
  };
  return { base, repositories, call, signIn };
}

async function errorOf(answer: Response): Promise<{ code: string; message: string }> {
  return ((await answer.json()) as { error: { code: string; message: string } }).error;
}

/** The one Set-Cookie of the answer for `name`; a second one for the same cookie is a failure. */
function setCookie(answer: Response, name: string): string {
  const found = answer.headers.getSetCookie().filter((c) => c.startsWith(`${name}=`));
  assert.equal(found.length, 1, `one Set-Cookie for ${name}: ${JSON.stringify(answer.headers.getSetCookie())}`);
  return found[0] ?? '';
}

const sessionCookie = (answer: Response) => setCookie(answer, 'importer_session');
const noSessionCookie = (answer: Response) => assert.deepEqual(answer.headers.getSetCookie().filter((c) => c.startsWith('importer_session=')), []);
const cookiePair = (header: string) => header.split(';')[0] ?? '';
/** What the fakes were asked to change, without the last-used times every key and session use records. */
const changes = (repositories: FakeAccountRepositories) => repositories.writes.filter((w) => !w.endsWith('.touch'));

/** A Set-Cookie's attributes by lower-cased name; flags map to true. */
function attributes(header: string): Record<string, string | true> {
  return Object.fromEntries(
    header
      .split(';')
      .slice(1)
      .map((part) => {
        const [name = '', ...value] = part.trim().split('=');
        return [name.toLowerCase(), value.length ? value.join('=') : true];
      }),
  );
}

describe('who may call: an API key, a session cookie, or nobody', () => {
  test('a user route without credentials is 401 unauthenticated with a Bearer challenge, and does nothing', async (t) => {
    const api = await startApi(t);
    for (const [path, method] of [
      ['/account', 'GET'],
      ['/import/jobs', 'GET'],
      [`/images/${FAKE_IMAGE_ID}`, 'GET'],
      ['/account/api-keys', 'POST'],
    ] as const) {
      const answer = await api.call(path, { method, ...(method === 'POST' ? { json: { name: 'x' } } : {}) });
      assert.equal(answer.status, 401, `${method} ${path}`);
      assert.equal(answer.headers.get('www-authenticate'), CHALLENGE);
      assert.deepEqual(await errorOf(answer), { code: 'unauthenticated', message: 'Sign in, or send an API key as "Authorization: Bearer <key>".' });
    }
    assert.deepEqual(api.repositories.writes, []);
  });

  test('anonymous routes answer without credentials', async (t) => {
    const api = await startApi(t);
    const status = await api.call('/auth/status');
    assert.equal(status.status, 200);
    assert.equal(((await status.json()) as { user: unknown }).user, null);
    assert.equal((await api.call('/health')).status, 200);
    assert.equal((await api.call('/openapi.json')).status, 200);
  });

  test('a malformed or unknown Bearer key, a bare "Bearer" and a Basic header are each 401, saying the key is not valid', async (t) => {
    const api = await startApi(t);
    const basic = `Basic ${Buffer.from(`${FAKE_ADMIN.email}:${FAKE_ADMIN.password}`).toString('base64')}`;
    for (const authorization of ['Bearer not-a-key', `Bearer ${UNKNOWN_KEY}`, `Bearer ${FAKE_API_KEY}x`, 'Bearer', 'Bearer    ', basic, '']) {
      const answer = await api.call('/account', { headers: { authorization } });
      assert.equal(answer.status, 401, JSON.stringify(authorization));
      assert.equal(answer.headers.get('www-authenticate'), CHALLENGE);
      assert.deepEqual(await errorOf(answer), { code: 'unauthenticated', message: KEY_REFUSED });
    }
    assert.equal((await api.call('/account', { headers: { authorization: `bearer ${FAKE_API_KEY}` } })).status, 200, 'the scheme is case-insensitive');
  });

  test('a refused key is not passed over for a good session cookie beside it', async (t) => {
    const api = await startApi(t);
    const cookie = await api.signIn(FAKE_ADMIN.email);
    const answer = await api.call('/account', { key: UNKNOWN_KEY, cookie });
    assert.equal(answer.status, 401);
    assert.equal((await errorOf(answer)).message, KEY_REFUSED);
  });

  test('a revoked key is refused from then on', async (t) => {
    const api = await startApi(t);
    assert.equal((await api.call('/account', { key: ADMIN_SECOND_KEY })).status, 200);
    assert.equal((await api.call(`/account/api-keys/${FAKE_SPARE_KEY_ID}/revoke`, { method: 'POST', key: FAKE_API_KEY })).status, 204);
    const answer = await api.call('/account', { key: ADMIN_SECOND_KEY });
    assert.equal(answer.status, 401);
    assert.deepEqual(await errorOf(answer), { code: 'unauthenticated', message: KEY_REFUSED });
  });
});

describe('the session cookie', () => {
  test('sign-in sets one HttpOnly, SameSite=Lax cookie for the whole site, expiring within the session TTL, not Secure over http', async (t) => {
    const api = await startApi(t);
    const before = Date.now();
    const answer = await api.call('/auth/sign-in', { method: 'POST', json: { email: FAKE_ADMIN.email, password: FAKE_ADMIN.password } });
    assert.equal(answer.status, 200);
    assert.equal(((await answer.json()) as { user: { email: string } }).user.email, FAKE_ADMIN.email);
    const header = sessionCookie(answer);
    assert.match(cookiePair(header), /^importer_session=[A-Za-z0-9_-]{43}$/);
    const attrs = attributes(header);
    assert.equal(attrs.httponly, true);
    assert.equal(attrs.samesite, 'Lax');
    assert.equal(attrs.path, '/');
    assert.equal(attrs.secure, undefined);
    const expires = Date.parse(String(attrs.expires));
    assert.ok(expires > before && expires <= Date.now() + 3_600_000, `Expires=${attrs.expires}`);
    assert.equal(answer.headers.get('cache-control'), 'no-store');
  });

  test('through a gateway over https, the cookie is Secure', async (t) => {
    const api = await startApi(t);
    const answer = await api.call('/auth/sign-in', { method: 'POST', json: { email: FAKE_ADMIN.email, password: FAKE_ADMIN.password }, headers: { 'x-forwarded-proto': 'https' } });
    assert.equal(answer.status, 200);
    assert.equal(attributes(sessionCookie(answer)).secure, true);
  });

  test('the cookie authenticates; sign-out revokes the session and clears the cookie with one Set-Cookie', async (t) => {
    const api = await startApi(t);
    const cookie = await api.signIn(FAKE_ADMIN.email);
    const account = await api.call('/account', { cookie });
    assert.equal(account.status, 200);
    assert.equal(((await account.json()) as { user: { id: string } }).user.id, FAKE_ADMIN.id);

    const signOut = await api.call('/auth/sign-out', { method: 'POST', cookie });
    assert.equal(signOut.status, 204);
    const cleared = sessionCookie(signOut);
    assert.equal(cookiePair(cleared), 'importer_session=');
    assert.equal(attributes(cleared).expires, EPOCH);
    assert.ok(api.repositories.writes.includes('sessions.revoke'));

    const after = await api.call('/account', { cookie });
    assert.equal(after.status, 401);
    assert.equal((await errorOf(after)).code, 'unauthenticated');
    assert.equal(attributes(sessionCookie(after)).expires, EPOCH, 'a dead cookie is cleared wherever it shows up');
  });

  test('signing in again while signed in answers one session cookie, the new one, and ends the old session', async (t) => {
    const api = await startApi(t);
    const cookie = await api.signIn(FAKE_ADMIN.email);
    const again = await api.call('/auth/sign-in', { method: 'POST', cookie, json: { email: FAKE_ADMIN.email, password: FAKE_ADMIN.password } });
    assert.equal(again.status, 200);
    const fresh = cookiePair(sessionCookie(again));
    assert.notEqual(fresh, cookie);
    assert.equal((await api.call('/account', { cookie: fresh })).status, 200);
    assert.equal((await api.call('/account', { cookie })).status, 401, 'the session the browser held before is gone');
  });

  test('a cookie that is no session token is refused as none, and cleared', async (t) => {
    const api = await startApi(t);
    const answer = await api.call('/account', { cookie: `importer_session=${'x'.repeat(43)}` });
    assert.equal(answer.status, 401);
    assert.equal(attributes(sessionCookie(answer)).expires, EPOCH);
  });

  test('a wrong password, or an unknown email, is 401 invalid_credentials, and no session is opened', async (t) => {
    const api = await startApi(t);
    for (const credentials of [
      { email: FAKE_ADMIN.email, password: 'not the password' },
      { email: 'nobody@example.com', password: FAKE_ADMIN.password },
    ]) {
      const answer = await api.call('/auth/sign-in', { method: 'POST', json: credentials });
      assert.equal(answer.status, 401);
      assert.deepEqual(await errorOf(answer), { code: 'invalid_credentials', message: 'The email or the password is wrong.' });
      noSessionCookie(answer);
    }
    assert.deepEqual(api.repositories.writes, []);
  });

  test('a disabled user is told so (403 account_disabled) only after giving the right password', async (t) => {
    const api = await startApi(t);
    const other = api.repositories.userRows.get(FAKE_OTHER_USER_ID);
    assert.ok(other);
    other.disabledAt = new Date();
    const wrong = await api.call('/auth/sign-in', { method: 'POST', json: { email: FAKE_OTHER_USER.email, password: 'not the password' } });
    assert.equal(wrong.status, 401);
    assert.equal((await errorOf(wrong)).code, 'invalid_credentials');
    const right = await api.call('/auth/sign-in', { method: 'POST', json: { email: FAKE_OTHER_USER.email, password: FAKE_ADMIN.password } });
    assert.equal(right.status, 403);
    assert.deepEqual(await errorOf(right), { code: 'account_disabled', message: 'This account is disabled; ask an administrator.' });
    noSessionCookie(right);
    const key = await api.call('/account', { key: FAKE_OTHER_USER.apiKey });
    assert.equal(key.status, 401, "a disabled user's key stops working too");
  });
});

describe('a cookie-authenticated write from another site is refused (CSRF)', () => {
  /** Creating an API key: a write, and one the fakes record. */
  const createKey = (api: Api, options: CallOptions) => api.call('/account/api-keys', { method: 'POST', json: { name: 'ci' }, ...options });

  test('an Origin of another site is 403 cross_site_request, and nothing is written', async (t) => {
    const api = await startApi(t);
    const cookie = await api.signIn(FAKE_ADMIN.email);
    const writes = [...api.repositories.writes];
    const keys = api.repositories.apiKeyRows.size;
    for (const origin of ['https://evil.example', 'null', `${api.base.replace('http:', 'https:')}`, 'http://127.0.0.1']) {
      const answer = await createKey(api, { cookie, headers: { origin } });
      assert.equal(answer.status, 403, origin);
      assert.deepEqual(await errorOf(answer), { code: 'cross_site_request', message: 'This request came from another site with your session cookie, so it was refused.' });
    }
    assert.deepEqual(api.repositories.writes, writes);
    assert.equal(api.repositories.apiKeyRows.size, keys);
  });

  test('Sec-Fetch-Site cross-site or same-site without an Origin is refused', async (t) => {
    const api = await startApi(t);
    const cookie = await api.signIn(FAKE_ADMIN.email);
    for (const site of ['cross-site', 'same-site']) {
      const answer = await createKey(api, { cookie, headers: { 'sec-fetch-site': site } });
      assert.equal(answer.status, 403, site);
      assert.equal((await errorOf(answer)).code, 'cross_site_request');
    }
  });

  test("the site's own Origin, directly or through a gateway, and a request with neither Origin nor Sec-Fetch-Site (curl) pass", async (t) => {
    const api = await startApi(t);
    const cookie = await api.signIn(FAKE_ADMIN.email);
    for (const headers of [{ origin: api.base }, { ...GATEWAY, origin: 'https://importer.example' }, { 'sec-fetch-site': 'same-origin' }, {}] as Record<string, string>[]) {
      const answer = await createKey(api, { cookie, headers });
      assert.equal(answer.status, 201, JSON.stringify(headers));
    }
  });

  test("behind a gateway, the api's own direct address is not the site", async (t) => {
    const api = await startApi(t);
    const cookie = await api.signIn(FAKE_ADMIN.email);
    assert.equal((await createKey(api, { cookie, headers: { ...GATEWAY, origin: api.base } })).status, 403);
  });

  test('with an API key there is no ambient credential: a foreign Origin passes', async (t) => {
    const api = await startApi(t);
    assert.equal((await createKey(api, { key: FAKE_API_KEY, headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' } })).status, 201);
  });

  test('a cookie read from another site is not refused here (CORS keeps its answer from that site)', async (t) => {
    const api = await startApi(t);
    const cookie = await api.signIn(FAKE_ADMIN.email);
    assert.equal((await api.call('/account', { cookie, headers: { origin: 'https://evil.example' } })).status, 200);
  });

  test('a Host that makes no URL is another site: 403, not a failure inside the app', async (t) => {
    const api = await startApi(t);
    const cookie = await api.signIn(FAKE_ADMIN.email);
    // fetch writes Host itself; node:http sends the one given.
    const status = await new Promise<number | undefined>((resolve, reject) => {
      httpRequest(`${api.base}/account/api-keys`, { method: 'POST', headers: { host: 'a b', origin: 'http://a b', cookie, 'content-type': 'application/json' } }, (res) => {
        res.resume();
        resolve(res.statusCode);
      })
        .on('error', reject)
        .end(JSON.stringify({ name: 'ci' }));
    });
    assert.equal(status, 403);
  });

  test('another site cannot sign the user out', async (t) => {
    const api = await startApi(t);
    const cookie = await api.signIn(FAKE_ADMIN.email);
    assert.equal((await api.call('/auth/sign-out', { method: 'POST', cookie, headers: { origin: 'https://evil.example' } })).status, 403);
    assert.ok(!api.repositories.writes.includes('sessions.revoke'));
    assert.equal((await api.call('/account', { cookie })).status, 200);
  });
});

describe('administrators', () => {
  test('a non-admin gets 404 not_found on admin routes, by key or cookie, and nothing is written', async (t) => {
    const api = await startApi(t);
    const cookie = await api.signIn(FAKE_OTHER_USER.email);
    const writes = changes(api.repositories);
    for (const credentials of [{ key: FAKE_OTHER_USER.apiKey }, { cookie }]) {
      const list = await api.call('/admin/users', credentials);
      assert.equal(list.status, 404);
      assert.deepEqual(await errorOf(list), { code: 'not_found', message: 'There is no GET /admin/users.' });
      const create = await api.call('/admin/users', { method: 'POST', json: { email: 'made@example.com', password: 'a long enough password' }, ...credentials });
      assert.equal(create.status, 404);
      assert.equal((await api.call(`/admin/users/${FAKE_ADMIN.id}/disable`, { method: 'POST', ...credentials })).status, 404);
    }
    assert.deepEqual(changes(api.repositories), writes);
  });

  test('a path the route table does not name, however close to an admin route, reaches no handler', async (t) => {
    const api = await startApi(t);
    // express matches routes without case and with a trailing slash; the table and the middleware do not.
    for (const path of ['/admin/users/', '/Admin/Users', '/admin//users', '/account/', '/admin/users%2f']) {
      const answer = await api.call(path, { key: FAKE_OTHER_USER.apiKey });
      assert.equal(answer.status, 404, path);
      assert.equal((await errorOf(answer)).code, 'not_found', path);
    }
  });

  test('an administrator lists every user', async (t) => {
    const api = await startApi(t);
    const answer = await api.call('/admin/users', { key: FAKE_API_KEY });
    assert.equal(answer.status, 200);
    const { users } = (await answer.json()) as { users: { email: string }[] };
    assert.deepEqual(users.map((u) => u.email).sort(), [FAKE_ADMIN.email, FAKE_OTHER_USER.email]);
  });

  test('an administrator cannot disable themself (409 cannot_disable_self)', async (t) => {
    const api = await startApi(t);
    const answer = await api.call(`/admin/users/${FAKE_ADMIN.id}/disable`, { method: 'POST', key: FAKE_API_KEY });
    assert.equal(answer.status, 409);
    assert.deepEqual(await errorOf(answer), { code: 'cannot_disable_self', message: 'You cannot disable your own account.' });
    assert.deepEqual(changes(api.repositories), []);
    assert.equal((await api.call('/account', { key: FAKE_API_KEY })).status, 200);
  });

  test("disabling someone ends their sessions and stops their keys; enabling them again brings back the keys, not the sessions", async (t) => {
    const api = await startApi(t);
    const cookie = await api.signIn(FAKE_OTHER_USER.email);
    assert.equal((await api.call('/account', { cookie })).status, 200);
    const disabled = await api.call(`/admin/users/${FAKE_OTHER_USER_ID}/disable`, { method: 'POST', key: FAKE_API_KEY });
    assert.equal(disabled.status, 200);
    assert.ok(((await disabled.json()) as { user: { disabled_at: string | null } }).user.disabled_at);
    assert.equal((await api.call('/account', { cookie })).status, 401);
    assert.equal((await api.call('/account', { key: FAKE_OTHER_USER.apiKey })).status, 401);

    assert.equal((await api.call(`/admin/users/${FAKE_OTHER_USER_ID}/enable`, { method: 'POST', key: FAKE_API_KEY })).status, 200);
    assert.equal((await api.call('/account', { key: FAKE_OTHER_USER.apiKey })).status, 200);
    assert.equal((await api.call('/account', { cookie })).status, 401, 'the ended session stays ended');
  });
});

describe("nobody sees another user's jobs and images", () => {
  test("the second user's key gets 404 on the admin's job, its files, cancel and retry", async (t) => {
    const api = await startApi(t);
    for (const [path, method] of [
      [`/import/jobs/${FAKE_JOB_ID}`, 'GET'],
      [`/import/jobs/${FAKE_JOB_ID}/files`, 'GET'],
      [`/import/jobs/${FAKE_JOB_ID}/cancel`, 'POST'],
      [`/import/jobs/${FAKE_JOB_ID}/retry`, 'POST'],
    ] as const) {
      const answer = await api.call(path, { method, key: FAKE_OTHER_USER.apiKey });
      assert.equal(answer.status, 404, `${method} ${path}`);
      assert.deepEqual(await errorOf(answer), { code: 'job_not_found', message: `There is no import job ${FAKE_JOB_ID}.` });
      assert.equal((await api.call(path, { method, key: FAKE_API_KEY })).status, method === 'POST' && path.endsWith('retry') ? 202 : 200, `the owner: ${method} ${path}`);
    }
  });

  test("the second user's key gets 404 on the admin's image, its content and its thumbnail", async (t) => {
    const api = await startApi(t);
    for (const path of [`/images/${FAKE_IMAGE_ID}`, `/images/${FAKE_IMAGE_ID}/content`, `/images/${FAKE_IMAGE_ID}/thumbnail`]) {
      const answer = await api.call(path, { key: FAKE_OTHER_USER.apiKey });
      assert.equal(answer.status, 404, path);
      assert.equal((await errorOf(answer)).code, 'image_not_found');
      assert.equal((await api.call(path, { key: FAKE_API_KEY })).status, 200, `the owner: ${path}`);
    }
  });

  test('the second user lists no jobs and an empty gallery, also when asking for all', async (t) => {
    const api = await startApi(t);
    for (const path of ['/import/jobs', '/import/jobs?all=true']) {
      const answer = await api.call(path, { key: FAKE_OTHER_USER.apiKey });
      assert.equal(answer.status, 200);
      assert.deepEqual(await answer.json(), { jobs: [], next_cursor: null });
    }
    const gallery = await api.call('/images', { key: FAKE_OTHER_USER.apiKey });
    assert.equal(gallery.status, 200);
    assert.deepEqual(await gallery.json(), { images: [], next_cursor: null, total: 0 });
  });

  test('an administrator asking for all lists the job', async (t) => {
    const api = await startApi(t);
    const answer = await api.call('/import/jobs?all=true', { key: FAKE_API_KEY });
    assert.equal(answer.status, 200);
    assert.deepEqual(((await answer.json()) as { jobs: { job_id: string }[] }).jobs.map((j) => j.job_id), [FAKE_JOB_ID]);
  });
});

describe('first-run setup and sign-up', () => {
  const credentials = { email: 'first@example.com', password: 'a long enough password' };

  test('with no users: status says setup is required, sign-up waits for it, setup makes a signed-in admin once, then 409 setup_done', async (t) => {
    const api = await startApi(t, { noUsers: true });
    const status = async () => ((await (await api.call('/auth/status')).json()) as { setup_required: boolean }).setup_required;
    assert.equal(await status(), true);

    const early = await api.call('/auth/sign-up', { method: 'POST', json: { email: 'early@example.com', password: 'a long enough password' } });
    assert.equal(early.status, 409);
    assert.deepEqual(await errorOf(early), { code: 'setup_required', message: 'Create the administrator account first.' });
    assert.deepEqual(api.repositories.writes, []);

    const setup = await api.call('/auth/setup', { method: 'POST', json: credentials });
    assert.equal(setup.status, 201, await setup.clone().text());
    assert.deepEqual(((await setup.json()) as { user: { email: string; role: string } }).user, {
      ...((await api.call('/account', { cookie: cookiePair(sessionCookie(setup)) }).then((a) => a.json())) as { user: object }).user,
      email: credentials.email,
      role: 'admin',
    });
    assert.equal(attributes(sessionCookie(setup)).httponly, true);
    assert.equal(await status(), false);

    const again = await api.call('/auth/setup', { method: 'POST', json: { email: 'second@example.com', password: 'a long enough password' } });
    assert.equal(again.status, 409);
    assert.deepEqual(await errorOf(again), { code: 'setup_done', message: 'The administrator account exists already; sign in instead.' });
    noSessionCookie(again);
    assert.equal(api.repositories.userRows.size, 1);
  });

  test('setup once users exist is 409 setup_done', async (t) => {
    const api = await startApi(t);
    const answer = await api.call('/auth/setup', { method: 'POST', json: credentials });
    assert.equal(answer.status, 409);
    assert.equal((await errorOf(answer)).code, 'setup_done');
  });

  test('sign-up under "closed" is 403 sign_up_closed and creates nobody', async (t) => {
    const api = await startApi(t, { signUp: 'closed' });
    assert.equal(((await (await api.call('/auth/status')).json()) as { sign_up: string }).sign_up, 'closed');
    const answer = await api.call('/auth/sign-up', { method: 'POST', json: { email: 'new@example.com', password: 'a long enough password' } });
    assert.equal(answer.status, 403);
    assert.deepEqual(await errorOf(answer), { code: 'sign_up_closed', message: 'Sign-up is closed here: ask an administrator for an account.' });
    noSessionCookie(answer);
    assert.deepEqual(api.repositories.writes, []);
  });

  test('sign-up under "open" is 201 with a working session for a new ordinary user', async (t) => {
    const api = await startApi(t, { signUp: 'open' });
    const answer = await api.call('/auth/sign-up', { method: 'POST', json: { email: 'New@Example.com', password: 'x'.repeat(12) } });
    assert.equal(answer.status, 201, await answer.clone().text());
    const { user } = (await answer.json()) as { user: { email: string; role: string } };
    assert.deepEqual([user.email, user.role], ['new@example.com', 'user']);
    const account = await api.call('/account', { cookie: cookiePair(sessionCookie(answer)) });
    assert.equal(((await account.json()) as { user: { email: string } }).user.email, 'new@example.com');
  });

  test('a password of 11 characters is 400 invalid_password, and nothing is created', async (t) => {
    const api = await startApi(t);
    const answer = await api.call('/auth/sign-up', { method: 'POST', json: { email: 'short@example.com', password: 'x'.repeat(11) } });
    assert.equal(answer.status, 400);
    assert.deepEqual(await errorOf(answer), { code: 'invalid_password', message: 'A password needs 12 to 256 characters.' });
    assert.deepEqual(api.repositories.writes, []);
  });

  test('signing up with a taken email is 409 email_taken', async (t) => {
    const api = await startApi(t);
    const answer = await api.call('/auth/sign-up', { method: 'POST', json: { email: FAKE_ADMIN.email.toUpperCase(), password: 'a long enough password' } });
    assert.equal(answer.status, 409);
    assert.equal((await errorOf(answer)).code, 'email_taken');
  });
});

describe('OIDC sign-in', () => {
  const ISSUER = 'https://idp.example.com';

  /** A provider whose callback vouches for `identity`, recording what it was given. */
  function vouching(identity: Omit<ExternalIdentity, 'issuer'>) {
    const seen: { started: string[]; finished: { callbackUrl: string; pending: string; redirectUri: string }[] } = { started: [], finished: [] };
    const oidc: OidcLogin = {
      label: 'Sign in with the test provider',
      start: async (redirectUri) => (seen.started.push(redirectUri), { authorizationUrl: `${ISSUER}/authorize?state=s`, pending: 'pending-value' }),
      finish: async (callbackUrl, pending, redirectUri) => (seen.finished.push({ callbackUrl: callbackUrl.toString(), pending, redirectUri }), { issuer: ISSUER, ...identity }),
    };
    return { oidc, seen };
  }

  const pendingCookie = 'importer_oidc=pending-value';

  /** The sign-in page's error code and message a refused callback redirects to. */
  function refusal(answer: Response, site: string): { error: string | null; message: string | null } {
    assert.equal(answer.status, 302);
    const location = new URL(answer.headers.get('location') ?? '');
    assert.equal(`${location.origin}${location.pathname}`, `${site}/sign-in`);
    return { error: location.searchParams.get('error'), message: location.searchParams.get('message') };
  }

  test('without the pending cookie: back to the sign-in page with oidc_bad_pending, the pending cookie cleared, no session', async (t) => {
    const { oidc, seen } = vouching({ subject: 'admin', email: FAKE_ADMIN.email, emailVerified: true });
    const api = await startApi(t, { oidc });
    const answer = await api.call('/auth/oidc/callback?code=c&state=s');
    assert.deepEqual(refusal(answer, api.base), { error: 'oidc_bad_pending', message: 'That sign-in expired or was started in another window; start it again.' });
    const cleared = attributes(setCookie(answer, 'importer_oidc'));
    assert.equal(cleared.expires, EPOCH);
    assert.equal(cleared.path, '/auth/oidc');
    noSessionCookie(answer);
    assert.deepEqual(seen.finished, [], 'the provider is not asked');
  });

  test('through a gateway, the refusal lands on the public site and the pending cookie is cleared under its prefix', async (t) => {
    const { oidc } = vouching({ subject: 'admin', email: FAKE_ADMIN.email, emailVerified: true });
    const api = await startApi(t, { oidc });
    const answer = await api.call('/auth/oidc/callback?code=c&state=s', { headers: { ...GATEWAY, 'x-forwarded-prefix': '/api' } });
    assert.equal(refusal(answer, 'https://importer.example').error, 'oidc_bad_pending');
    const cleared = attributes(setCookie(answer, 'importer_oidc'));
    assert.equal(cleared.path, '/api/auth/oidc');
    assert.equal(cleared.secure, true);
  });

  test('without OIDC configured, start and callback are 404 oidc_not_configured', async (t) => {
    const api = await startApi(t, { oidc: null });
    for (const path of ['/auth/oidc/start', '/auth/oidc/callback?code=c&state=s']) {
      const answer = await api.call(path);
      assert.equal(answer.status, 404, path);
      assert.deepEqual(await errorOf(answer), { code: 'oidc_not_configured', message: 'Single sign-on is not configured here.' });
    }
    assert.equal(((await (await api.call('/auth/status')).json()) as { oidc: unknown }).oidc, null);
  });

  test('start sends the browser to the provider with a pending cookie for the callback path only', async (t) => {
    const { oidc, seen } = vouching({ subject: 'admin', email: FAKE_ADMIN.email, emailVerified: true });
    const api = await startApi(t, { oidc });
    const answer = await api.call('/auth/oidc/start');
    assert.equal(answer.status, 302);
    assert.equal(answer.headers.get('location'), `${ISSUER}/authorize?state=s`);
    assert.deepEqual(seen.started, [`${api.base}/auth/oidc/callback`]);
    const pending = setCookie(answer, 'importer_oidc');
    assert.equal(cookiePair(pending), pendingCookie);
    const attrs = attributes(pending);
    assert.deepEqual([attrs.httponly, attrs.samesite, attrs.path], [true, 'Lax', '/auth/oidc']);
    assert.ok(Date.parse(String(attrs.expires)) > Date.now());
  });

  test('a verified email of an existing user: 302 to the site root with a session cookie that works, the identity linked', async (t) => {
    const { oidc, seen } = vouching({ subject: 'admin-at-idp', email: FAKE_ADMIN.email.toUpperCase(), emailVerified: true });
    const api = await startApi(t, { oidc });
    const answer = await api.call('/auth/oidc/callback?code=c&state=s', { cookie: pendingCookie });
    assert.equal(answer.status, 302);
    assert.equal(answer.headers.get('location'), `${api.base}/`);
    assert.deepEqual(seen.finished, [{ callbackUrl: `${api.base}/auth/oidc/callback?code=c&state=s`, pending: 'pending-value', redirectUri: `${api.base}/auth/oidc/callback` }]);
    assert.equal(attributes(setCookie(answer, 'importer_oidc')).expires, EPOCH, 'the pending cookie is used once');
    const account = await api.call('/account', { cookie: cookiePair(sessionCookie(answer)) });
    assert.equal(account.status, 200);
    assert.equal(((await account.json()) as { user: { id: string } }).user.id, FAKE_ADMIN.id);
    assert.equal(api.repositories.identityRows.get(`${ISSUER} admin-at-idp`), FAKE_ADMIN.id);
  });

  test('an unverified email signs nobody in and links nothing', async (t) => {
    const { oidc } = vouching({ subject: 'claims-other', email: FAKE_OTHER_USER.email, emailVerified: false });
    const api = await startApi(t, { oidc });
    const answer = await api.call('/auth/oidc/callback?code=c&state=s', { cookie: pendingCookie });
    assert.deepEqual(refusal(answer, api.base), {
      error: 'sign_up_closed',
      message: 'The provider did not vouch for an email address, so no account here can be matched to this sign-in.',
    });
    noSessionCookie(answer);
    assert.deepEqual(api.repositories.writes, []);
  });

  test('an unknown email under "closed" is sent back to the sign-in page with sign_up_closed', async (t) => {
    const { oidc } = vouching({ subject: 'stranger', email: 'stranger@example.com', emailVerified: true });
    const api = await startApi(t, { oidc, signUp: 'closed' });
    const answer = await api.call('/auth/oidc/callback?code=c&state=s', { cookie: pendingCookie });
    assert.deepEqual(refusal(answer, api.base), { error: 'sign_up_closed', message: 'There is no account here for stranger@example.com: ask an administrator for one.' });
    noSessionCookie(answer);
    assert.deepEqual(api.repositories.writes, []);
  });

  test("the provider's refusal is passed on with its own words", async (t) => {
    const oidc: OidcLogin = {
      label: 'refusing',
      start: async () => ({ authorizationUrl: ISSUER, pending: 'p' }),
      finish: async () => {
        throw Object.assign(new Error('access_denied'), { code: 'oidc_rejected', providerDescription: 'the user said no' });
      },
    };
    const api = await startApi(t, { oidc });
    const answer = await api.call('/auth/oidc/callback?error=access_denied&state=s', { cookie: pendingCookie });
    assert.deepEqual(refusal(answer, api.base), { error: 'oidc_rejected', message: 'The sign-in provider did not sign you in. (the user said no)' });
  });
});

describe("the user's webhook secret", () => {
  test('GET answers a whsec_ secret, the same each time; rotating answers a new one, which GET then answers', async (t) => {
    const api = await startApi(t);
    const secret = async () => {
      const answer = await api.call('/account/webhook-secret', { key: FAKE_API_KEY });
      assert.equal(answer.status, 200);
      assert.equal(answer.headers.get('cache-control'), 'no-store');
      return ((await answer.json()) as { webhook_secret: string }).webhook_secret;
    };
    const first = await secret();
    assert.match(first, /^whsec_[A-Za-z0-9+/=]+$/);
    assert.equal(await secret(), first);
    const rotated = await api.call('/account/webhook-secret/rotate', { method: 'POST', key: FAKE_API_KEY });
    assert.equal(rotated.status, 200);
    const next = ((await rotated.json()) as { webhook_secret: string }).webhook_secret;
    assert.match(next, /^whsec_/);
    assert.notEqual(next, first);
    assert.equal(await secret(), next);
  });

  test("each user's secret is their own", async (t) => {
    const api = await startApi(t);
    const of = async (key: string) => ((await (await api.call('/account/webhook-secret', { key })).json()) as { webhook_secret: string }).webhook_secret;
    assert.notEqual(await of(FAKE_API_KEY), await of(FAKE_OTHER_USER.apiKey));
  });
});
