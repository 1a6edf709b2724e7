import assert from 'node:assert/strict';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { ImageListV1, JobListV1 } from '@importer/contracts';
import { createTestDatabase, type TestDatabase } from '@importer/db/testing';
import { freePort, localPlatform, localS3Client, type OidcTestProvider, readLocalObject, type RunningSystem, startOidcTestProvider, startSystem } from '@importer/devkit';
import { generatePng } from '@importer/emulators';
import { ApiClient, E2E_ADMIN, E2E_ADMIN_ENV, ENDED } from '../../src/api-client.js';
import { launchChromium, saveScreenshot } from '../../src/browser.js';

const API = 'http://127.0.0.1:3000';
const WEB = 'http://127.0.0.1:8080';
const SIGN_IN_FAILURES = 4;
const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('hex');

/** A documentation-range IPv6 address of its own per call: the gateway believes a loopback proxy's X-Forwarded-For, so runs never share a count. */
const someAddress = () => `2001:db8::${randomBytes(6).toString('hex').match(/.{4}/g)?.join(':') ?? '1'}`;

/** The session cookie of a Set-Cookie answer, as `name=value`. */
const sessionCookie = (response: Response) => (response.headers.getSetCookie().find((c) => c.startsWith('importer_session=')) ?? '').split(';')[0] ?? '';

describe('accounts: each user sees only their own imports and images', () => {
  const s3 = localS3Client();
  const files = { '/a.png': Buffer.concat([...generatePng(`acc-a-${randomUUID()}`, 6_000)]), '/b.png': Buffer.concat([...generatePng(`acc-b-${randomUUID()}`, 8_000)]) };
  const people = { a: { email: `a-${randomUUID()}@e2e.example`, password: 'alice has a long password' }, b: { email: `b-${randomUUID()}@e2e.example`, password: 'bob has a long password too' } };
  const sso = { subject: `sso-${randomUUID()}`, email: `sso-${randomUUID()}@e2e.example` };
  let admin: ApiClient;
  let a: ApiClient;
  let b: ApiClient;
  let images: Server;
  let imagesPort = 0;
  let oidc: OidcTestProvider;
  let db: TestDatabase;
  let system: RunningSystem;
  let browser: Browser;
  let jobOfA = '';

  before(async () => {
    images = createServer((req, res) => {
      const bytes = files[(req.url ?? '') as keyof typeof files];
      if (!bytes) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'image/png', 'content-length': bytes.length }).end(bytes);
    });
    images.listen(0, '127.0.0.1');
    await once(images, 'listening');
    imagesPort = (images.address() as AddressInfo).port;
    oidc = await startOidcTestProvider({
      port: await freePort(),
      clients: [{ clientId: 'importer', clientSecret: 'importer-oidc-secret', redirectUris: [`${WEB}/api/auth/oidc/callback`, `${API}/auth/oidc/callback`] }],
      accounts: [{ subject: sso.subject, email: sso.email, emailVerified: true, name: 'Single Sign-On' }],
    });
    db = await createTestDatabase('importer_e2e_accounts');
    system = await startSystem({
      env: {
        ...E2E_ADMIN_ENV,
        DATABASE_URL: db.url,
        S3_ENDPOINT: localPlatform.minio.endpoint,
        URL_IMPORT_ALLOWED_HOSTS: 'localhost',
        SIGN_UP: 'closed',
        SIGN_IN_FAILURES_PER_15_MIN: String(SIGN_IN_FAILURES),
        QUOTA_FILES_PER_JOB: '5',
        OIDC_ISSUER_URL: oidc.issuer,
        OIDC_CLIENT_ID: 'importer',
        OIDC_CLIENT_SECRET: 'importer-oidc-secret',
        OIDC_LABEL: 'Continue with the test provider',
      },
    });
    admin = await ApiClient.signedIn(API);
    for (const person of Object.values(people)) {
      const created = await admin.post('/admin/users', { ...person, role: 'user' });
      assert.equal(created.status, 201, JSON.stringify(created.body));
    }
    a = await ApiClient.signedIn(API, people.a);
    b = await ApiClient.signedIn(API, people.b);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await system?.stop();
    await oidc?.close();
    await db?.drop();
    images?.close();
    s3.destroy();
  });

  test("A imports; B cannot list, read, cancel or retry A's job, its files, its images or their bytes (404 each)", async () => {
    const accepted = await a.post('/import/urls', { urls: Object.keys(files).map((path) => `http://localhost:${imagesPort}${path}`) });
    assert.equal(accepted.status, 202, JSON.stringify(accepted.body));
    jobOfA = String(accepted.body.job_id);
    const job = await a.waitForJob(jobOfA, (j) => ENDED.has(j.status));
    assert.equal(job.status, 'completed');
    const gallery = ImageListV1.parse((await a.get(`/images?job_id=${jobOfA}`)).body);
    assert.equal(gallery.images.length, 2);
    const aId = ((await a.get('/account')).body.user as { id: string }).id;
    for (const image of gallery.images) {
      const stored = await readLocalObject(s3, image.storage_path);
      assert.equal(md5(stored.bytes), md5(files[`/${image.name}` as keyof typeof files]), `${image.name}: the bytes in S3 are the source's`);
      assert.ok(image.storage_path.startsWith(`${aId}/`), 'objects live under their owner');
    }
    const rows = (await db.dataSource.query(`SELECT owner_id FROM images WHERE job_id = $1`, [jobOfA])) as { owner_id: string }[];
    assert.deepEqual(
      rows.map((r) => r.owner_id),
      [aId, aId],
      "A's rows in PostgreSQL are A's",
    );

    const notFound = async (answer: Promise<{ status: number; body: Record<string, unknown> }>, what: string) => {
      const { status, body } = await answer;
      assert.equal(status, 404, `${what}: ${JSON.stringify(body)}`);
    };
    await notFound(b.get(`/import/jobs/${jobOfA}`), 'the job');
    await notFound(b.get(`/import/jobs/${jobOfA}/files`), 'its files');
    await notFound(b.post(`/import/jobs/${jobOfA}/cancel`), 'cancel');
    await notFound(b.post(`/import/jobs/${jobOfA}/retry`), 'retry');
    for (const image of gallery.images) {
      await notFound(b.get(`/images/${image.id}`), 'an image');
      for (const bytes of [image.url, `${API}/images/${image.id}/thumbnail`]) {
        const answer = await b.fetch(bytes);
        assert.equal(answer.status, 404, bytes);
        assert.doesNotMatch(answer.headers.get('content-type') ?? '', /^image\//);
        await answer.arrayBuffer();
      }
    }
    assert.deepEqual(JobListV1.parse((await b.get('/import/jobs')).body).jobs, [], "A's jobs are not in B's list");
    const galleryOfB = ImageListV1.parse((await b.get('/images')).body);
    assert.deepEqual([galleryOfB.images, galleryOfB.total], [[], 0], "A's images are not in B's gallery");
    assert.deepEqual(ImageListV1.parse((await b.get(`/images?job_id=${jobOfA}`)).body).images, [], 'not even by job id');
    assert.deepEqual(JobListV1.parse((await b.get('/import/jobs?all=true')).body).jobs, [], 'all=true is for administrators only');

    assert.equal((await a.get(`/import/jobs/${jobOfA}`)).status, 200, 'A still reads it');
    const everyone = JobListV1.parse((await admin.get('/import/jobs?all=true')).body).jobs.map((j) => j.job_id);
    assert.ok(everyone.includes(jobOfA), 'an administrator sees every job');
    assert.equal((await admin.get(`/import/jobs/${jobOfA}`)).status, 200);
  });

  test("a URL list longer than the user's files-per-job quota is a 429 naming it, and starts nothing", async () => {
    const before = JobListV1.parse((await a.get('/import/jobs')).body).jobs.length;
    const refused = await a.fetch('/import/urls', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ urls: Array.from({ length: 6 }, (_, i) => `http://localhost:${imagesPort}/${i}.png`) }),
    });
    assert.equal(refused.status, 429);
    assert.ok(Number(refused.headers.get('retry-after')) > 0);
    const { error } = (await refused.json()) as { error: { code: string; message: string } };
    assert.equal(error.code, 'quota_files_per_job');
    assert.match(error.message, /more than 5 URLs/);
    assert.equal(JobListV1.parse((await a.get('/import/jobs')).body).jobs.length, before);
  });

  test('the same source file imported by A and by B becomes two images, each in its owner\'s gallery only', async () => {
    const accepted = await b.post('/import/urls', { urls: [`http://localhost:${imagesPort}/a.png`] });
    assert.equal(accepted.status, 202);
    await b.waitForJob(String(accepted.body.job_id), (j) => ENDED.has(j.status));
    const [ofB] = ImageListV1.parse((await b.get('/images')).body).images;
    const ofA = ImageListV1.parse((await a.get(`/images?job_id=${jobOfA}`)).body).images.find((i) => i.name === 'a.png');
    assert.ok(ofB && ofA);
    assert.notEqual(ofB.id, ofA.id);
    assert.notEqual(ofB.storage_path, ofA.storage_path);
    assert.equal((await a.get(`/images/${ofB.id}`)).status, 404);
  });

  test('an API key works until it is revoked, then answers 401; nothing answers without one', async () => {
    const made = await a.post('/account/api-keys', { name: 'to revoke' });
    assert.equal(made.status, 201);
    const key = new ApiClient(API, String(made.body.key));
    assert.equal((await key.get('/import/jobs')).status, 200);
    const id = (made.body.api_key as { id: string }).id;
    assert.ok(!JSON.stringify((await a.get('/account/api-keys')).body).includes(String(made.body.key)), 'the list never shows a key');
    assert.equal((await b.post(`/account/api-keys/${id}/revoke`)).status, 404, "B cannot revoke A's key");
    assert.equal((await a.post(`/account/api-keys/${id}/revoke`)).status, 204);
    const revoked = await key.get('/import/jobs');
    assert.equal(revoked.status, 401);
    assert.equal((revoked.body.error as { code: string }).code, 'unauthenticated');
    for (const path of ['/import/jobs', '/images', `/import/jobs/${jobOfA}`, '/account']) assert.equal((await new ApiClient(API).get(path)).status, 401, path);
    assert.equal((await new ApiClient(API).get('/health')).status, 200, 'health is open');
  });

  test('sign-in is rate limited per client address, across the gateway, with Retry-After; others still sign in', async () => {
    const from = someAddress();
    const attempt = (password: string, address: string) =>
      fetch(`${WEB}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': address }, body: JSON.stringify({ email: people.a.email, password }) });
    for (let i = 0; i < SIGN_IN_FAILURES; i++) assert.equal((await attempt('not the password at all', from)).status, 401);
    const limited = await attempt(people.a.password, from);
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.headers.get('retry-after')) > 0, 'Retry-After in seconds');
    assert.match(((await limited.json()) as { error: { message: string } }).error.message, /Too many failed sign-ins from this address/);
    assert.equal((await attempt(people.a.password, someAddress())).status, 200, 'another address signs in');
    assert.equal((await fetch(`${WEB}/api/health`)).status, 200, 'the api is still up');
  });

  test('sign-up is refused under closed; the users page is for administrators, who disable and enable people', async () => {
    const signUp = await fetch(`${API}/auth/sign-up`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: `x-${randomUUID()}@e2e.example`, password: 'a long enough password' }) });
    assert.equal(signUp.status, 403);
    assert.equal(((await signUp.json()) as { error: { code: string } }).error.code, 'sign_up_closed');
    assert.equal((await admin.post('/auth/setup', E2E_ADMIN)).status, 409, 'setup is over once anyone exists');
    const nonAdmin = await b.get('/admin/users');
    assert.equal(nonAdmin.status, 404, 'the users page does not exist for a non-admin');

    const c = { email: `c-${randomUUID()}@e2e.example`, password: 'carol has a long password' };
    const created = await admin.post('/admin/users', { ...c, role: 'user' });
    const cId = (created.body.user as { id: string }).id;
    const asC = await ApiClient.signedIn(API, c);
    assert.equal((await asC.get('/import/jobs')).status, 200);
    assert.equal((await admin.post(`/admin/users/${cId}/disable`)).status, 200);
    assert.equal((await asC.get('/import/jobs')).status, 401, "a disabled user's keys stop working at once");
    const refused = await fetch(`${API}/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(c) });
    assert.equal(refused.status, 403);
    assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'account_disabled');
    assert.equal((await admin.post(`/admin/users/${cId}/enable`)).status, 200);
    assert.equal((await asC.get('/import/jobs')).status, 200, 'enabled again, the same key works');
    const listed = (await admin.get('/admin/users')).body.users as { email: string }[];
    assert.ok(listed.some((u) => u.email === c.email));
  });

  test('a cookie request from another origin is refused (CSRF); from the site itself it works', async () => {
    const signIn = await fetch(`${WEB}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(people.b) });
    assert.equal(signIn.status, 200);
    const cookie = sessionCookie(signIn);
    assert.match(signIn.headers.getSetCookie().join('\n'), /importer_session=[^;]+;.*HttpOnly.*SameSite=Lax/i);
    const make = (origin: string) => fetch(`${WEB}/api/account/api-keys`, { method: 'POST', headers: { cookie, origin, 'content-type': 'application/json' }, body: '{"name":"csrf"}' });
    const forged = await make('https://evil.example');
    assert.equal(forged.status, 403);
    assert.equal(((await forged.json()) as { error: { code: string } }).error.code, 'cross_site_request');
    const cancel = await fetch(`${WEB}/api/import/jobs/${jobOfA}/cancel`, { method: 'POST', headers: { cookie, origin: 'https://evil.example' } });
    assert.equal(cancel.status, 403);
    assert.equal((await make(WEB)).status, 201, 'the same request from the site');
    assert.equal((await fetch(`${WEB}/api/account`, { headers: { cookie } })).status, 200, 'a read needs no Origin');
  });

  test('OIDC sign-in through the API: the provider vouches for an email the administrator added, and a session follows', async () => {
    assert.equal((await admin.post('/admin/users', { email: sso.email, password: 'never used for sign-in', role: 'user' })).status, 201);
    const start = await fetch(`${API}/auth/oidc/start`, { redirect: 'manual' });
    assert.equal(start.status, 302);
    const authorize = new URL(start.headers.get('location') ?? '');
    assert.equal(authorize.origin, new URL(oidc.issuer).origin);
    assert.equal(authorize.searchParams.get('redirect_uri'), `${API}/auth/oidc/callback`);
    assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
    const status = (await (await fetch(`${API}/auth/status`)).json()) as { oidc: { label: string } | null };
    assert.equal(status.oidc?.label, 'Continue with the test provider');
  });

  test('OIDC sign-in in Chromium: the button, the provider\'s form, and back signed in', async () => {
    const page = await browser.newPage();
    try {
      // A callback this browser did not start lands on the sign-in page with a fixed reason.
      await page.goto(`${WEB}/api/auth/oidc/callback?code=forged&state=forged`);
      await page.waitForURL((url) => url.pathname === '/sign-in');
      assert.match(await page.getByTestId('sso-refusal').innerText(), /expired or was started in another window/);
      await page.getByTestId('oidc-sign-in').click();
      await page.waitForURL((url) => url.origin === new URL(oidc.issuer).origin);
      await page.locator('input[name="login"]').fill(sso.email);
      await page.locator('button[type="submit"]').first().click();
      await page.waitForURL((url) => url.origin === WEB && url.pathname === '/', { timeout: 30_000 });
      await page.getByTestId('account-menu').waitFor();
      assert.match(await page.getByTestId('account-menu').innerText(), new RegExp(sso.email.slice(0, 12)));
      await saveScreenshot(page, 'oidc-signed-in');
      const me = await page.evaluate(async () => (await fetch('/api/account')).json());
      assert.equal((me as { user: { email: string } }).user.email, sso.email);
      const gallery = await page.evaluate(async () => (await fetch('/api/images')).json());
      assert.equal((gallery as { total: number }).total, 0, "the SSO user sees none of A's or B's images");
    } finally {
      await page.close();
    }
  });

  test("in Chromium: sign-in, an API key shown once that works, the users page, B's gallery without A's images, sign-out", async () => {
    const page = await browser.newPage();
    try {
      await page.goto(`${WEB}/gallery`);
      await page.waitForURL((url) => url.pathname === '/sign-in');
      await page.getByTestId('credentials-email').fill(E2E_ADMIN.email);
      await page.getByTestId('credentials-password').fill('a wrong password here');
      await page.getByTestId('credentials-submit').click();
      await page.getByRole('alert').filter({ hasText: /email or the password is wrong/ }).waitFor();
      await page.getByTestId('credentials-password').fill(E2E_ADMIN.password);
      await page.getByTestId('credentials-submit').click();
      await page.waitForURL((url) => url.pathname === '/gallery', { timeout: 15_000 });

      await page.getByTestId('account-menu').click();
      await page.getByTestId('account-link').click();
      await page.getByTestId('api-key-name').fill('made in Chromium');
      await page.getByTestId('create-api-key').click();
      await page.getByTestId('created-api-key').filter({ hasText: /will not see it again/i }).waitFor();
      const key = await page.getByTestId('new-api-key').inputValue();
      assert.match(key, /^imp_[A-Za-z0-9_-]{43}$/);
      assert.equal((await new ApiClient(API, key).get('/account')).status, 200, 'the key shown works');
      await page.getByTestId('dismiss-api-key').click();
      await page.reload();
      assert.ok(!(await page.content()).includes(key), 'and is never shown again');
      await saveScreenshot(page, 'account');

      await page.getByTestId('account-menu').click();
      await page.getByTestId('users-link').click();
      const email = `d-${randomUUID()}@e2e.example`;
      await page.getByTestId('new-user-email').fill(email);
      await page.getByTestId('new-user-password').fill('dave has a long password');
      await page.getByTestId('add-user').click();
      const row = page.getByTestId('user-row').filter({ hasText: email });
      await row.waitFor();
      await page.getByRole('button', { name: `Disable ${email}` }).click();
      await page.getByTestId('user-row').filter({ hasText: email }).and(page.locator('[data-disabled="true"]')).waitFor();
      await saveScreenshot(page, 'users');
      await page.getByTestId('account-menu').click();
      await page.getByTestId('sign-out').click();
      await page.waitForURL((url) => url.pathname === '/sign-in');
      assert.equal((await page.evaluate(async () => (await fetch('/api/account')).status)) as number, 401, 'signed out for the API too');

      await page.getByTestId('credentials-email').fill(people.b.email);
      await page.getByTestId('credentials-password').fill(people.b.password);
      await page.getByTestId('credentials-submit').click();
      await page.waitForURL((url) => url.pathname === '/');
      await page.goto(`${WEB}/gallery`);
      const ownTotal = ImageListV1.parse((await b.get('/images')).body).total;
      await page.getByText(`${ownTotal} ${ownTotal === 1 ? 'image' : 'images'}`, { exact: true }).waitFor();
      const shown = await page.evaluate(async () => ((await (await fetch('/api/images?limit=100')).json()) as { images: { job_id: string }[] }).images.map((i) => i.job_id));
      assert.ok(!shown.includes(jobOfA), "A's images are not in B's gallery");
      await page.goto(`${WEB}/jobs`);
      assert.equal(await page.locator(`[data-job-id="${jobOfA}"]`).count(), 0, "A's job is not on B's jobs page");
    } finally {
      await page.close();
    }
  });

  test('after all of it, every service is still up', async () => {
    for (const [id, running] of system.apps) {
      assert.equal((await fetch(`http://127.0.0.1:${running.appPort}/health`)).status, 200, `${id} answers /health`);
    }
  });
});
