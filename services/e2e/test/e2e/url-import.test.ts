import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, mock, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from '@importer/db/testing';
import { JobFinishedWebhookV1, WebhookHeader } from '@importer/contracts';
import { localPlatform, localS3Client, readLocalObject, type RunningSystem, startSystem } from '@importer/devkit';
import sharp from 'sharp';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { generatePng } from '@importer/emulators';
import { ApiClient, E2E_ADMIN_ENV, ENDED } from '../../src/api-client.js';

const { minio } = localPlatform;
const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('hex');
const png = (id: string, size: number) => Buffer.concat([...generatePng(`${id}-${process.pid}-${Date.now()}`, size)]);

interface ImageRow {
  source: string;
  source_file_id: string;
  name: string;
  size: number;
  md5: string;
  storage_path: string;
  mime_type: string;
}

describe('importing a list of image URLs end to end', () => {
  let api = new ApiClient('http://127.0.0.1:3000');
  const s3 = localS3Client();
  const files = { '/a.png': png('a', 5_000), '/b.png': png('b', 7_000), '/c.png': png('c', 9_000), '/json-1.png': png('j', 3_000) };
  /** Host headers of every request the image server received. */
  const hosts: string[] = [];
  let restartHookUp = false;
  /** Webhook deliveries received, by path, with when they arrived (ms). */
  const hooks: { path: string; body: string; headers: Record<string, string | string[] | undefined>; answered: number; receivedAt: number }[] = [];
  let server: Server;
  let port = 0;
  let db: TestDatabase;
  let system: RunningSystem;

  const rows = (where: string, params: unknown[]) => db.dataSource.query(`SELECT * FROM images WHERE ${where}`, params) as Promise<ImageRow[]>;
  const objectBytes = async (key: string) => (await readLocalObject(s3, key)).bytes;
  const local = (path: string) => `http://localhost:${port}${path}`;

  before(async () => {
    server = createServer((req, res) => {
      hosts.push(req.headers.host ?? '');
      const path = req.url ?? '/';
      if (req.method === 'POST' && path.startsWith('/hook')) {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          // /hook-flaky fails its first delivery, so the importer has to retry it; /hook-restart fails until told otherwise.
          const answered =
            (path === '/hook-flaky' && !hooks.some((h) => h.path === path)) || (path === '/hook-restart' && !restartHookUp) ? 500 : 204;
          hooks.push({ path, body: Buffer.concat(chunks).toString('utf8'), headers: req.headers, answered, receivedAt: Date.now() });
          res.writeHead(answered).end();
        });
        return;
      }
      const body = files[path as keyof typeof files];
      if (body) {
        // The claimed type does not matter: the bytes decide.
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length }).end(body);
      } else if (path === '/page.png') {
        res.writeHead(200, { 'content-type': 'image/png' }).end('<!doctype html><p>this is not an image</p>');
      } else if (path === '/redirect-private') {
        res.writeHead(302, { location: `http://127.0.0.1:${port}/a.png` }).end();
      } else if (path === '/redirect-ok') {
        res.writeHead(301, { location: '/c.png' }).end();
      } else {
        res.writeHead(404).end('not found');
      }
    });
    // No host: both 127.0.0.1 and ::1, whichever `localhost` resolves to.
    server.listen(0);
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
    db = await createTestDatabase('importer_e2e_urls');
    system = await startSystem({
      env: {
        ...E2E_ADMIN_ENV,
        DATABASE_URL: db.url,
        S3_ENDPOINT: minio.endpoint,
        URL_IMPORT_ALLOWED_HOSTS: 'localhost',
        WATCHDOG_PERIOD_MS: '2000',
        WATCHDOG_STALL_AFTER_MS: '6000',
        WEBHOOK_RETRY_BASE_MS: '1000',
        WEBHOOK_RETRY_MAX_MS: '4000',
      },
    });
    api = await ApiClient.signedIn(api.baseUrl);
  });

  after(async () => {
    await system?.stop();
    server?.closeAllConnections();
    server?.close();
    await db?.drop();
    s3.destroy();
  });

  test('bad requests get a 4xx saying what to send', async () => {
    assert.equal((await api.post('/import/urls', { urls: [] })).status, 400);
    assert.equal((await api.post('/import/urls', {})).status, 400);
    const empty = await api.fetch('http://127.0.0.1:3000/import/urls', { method: 'POST', headers: { 'content-type': 'text/csv' }, body: 'url\n\n' });
    assert.equal(empty.status, 400);
    assert.equal(((await empty.json()) as { error: { code: string } }).error.code, 'no_urls');
    const xml = await api.fetch('http://127.0.0.1:3000/import/urls', { method: 'POST', headers: { 'content-type': 'application/xml' }, body: '<urls/>' });
    assert.equal(xml.status, 415);
  });

  test('a CSV upload with duplicates, a non-image, a 404, a redirect to a private address and 127.0.0.1: each URL its own outcome', async () => {
    const csv = [
      'id,image_url,title',
      `1,${local('/a.png')},first`,
      `2,${local('/b.png')},second`,
      `3,${local('/a.png')},the first again`,
      `4,"${local('/a.png')}",quoted duplicate`,
      `5,${local('/page.png')},html claiming to be a png`,
      `6,${local('/missing.png')},gone`,
      `7,${local('/redirect-private')},redirects to 127.0.0.1`,
      `8,http://127.0.0.1:${port}/b.png,loopback by address`,
      `9,${local('/redirect-ok')},redirects to c.png`,
      '10,not a url,typo',
    ].join('\r\n');
    const form = new FormData();
    form.append('file', new Blob([csv], { type: 'text/csv' }), 'urls.csv');
    const response = await api.fetch('http://127.0.0.1:3000/import/urls', { method: 'POST', body: form });
    const accepted = (await response.json()) as { job_id: string; urls_received: number };
    assert.equal(response.status, 202, JSON.stringify(accepted));
    assert.equal(accepted.urls_received, 10);
    const job = await api.waitForJob(accepted.job_id, (j) => ENDED.has(j.status));

    assert.equal(job.status, 'completed_with_errors', JSON.stringify(job));
    assert.equal(job.source, 'url');
    assert.deepEqual([job.total_files, job.processed_files, job.failed_files, job.skipped_files], [8, 3, 4, 1], JSON.stringify(job));
    const reasons = new Map(job.errors.map((e) => [e.path, e.reason]));
    assert.match(reasons.get(local('/page.png')) ?? '', /^not_an_image/);
    assert.match(reasons.get(local('/missing.png')) ?? '', /^http_404/);
    assert.match(reasons.get(local('/redirect-private')) ?? '', /^blocked_address: refused: 127\.0\.0\.1 is a loopback address/);
    assert.match(reasons.get(`http://127.0.0.1:${port}/b.png`) ?? '', /^blocked_address/);
    assert.ok(!hosts.some((h) => h.startsWith('127.0.0.1')), 'nothing ever connected to 127.0.0.1 by address');
    const [skipped] = (await db.dataSource.query(`SELECT name, last_error FROM import_files WHERE job_id = $1 AND status = 'skipped'`, [accepted.job_id])) as {
      name: string;
      last_error: string;
    }[];
    assert.equal(skipped?.name, 'not a url');

    // Every URL's own outcome, a page at a time, in the order of the list.
    const outcomes: { path: string; status: string; reason: string | null }[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: Record<string, unknown> } = await api.get(`/import/jobs/${accepted.job_id}/files?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      assert.equal(page.status, 200, JSON.stringify(page.body));
      outcomes.push(...(page.body.files as typeof outcomes));
      cursor = page.body.next_cursor as string | null;
    } while (cursor);
    assert.deepEqual(
      outcomes.map((o) => [o.path, o.status, o.reason?.split(':')[0] ?? null]),
      [
        [local('/a.png'), 'done', null],
        [local('/b.png'), 'done', null],
        [local('/page.png'), 'failed', 'not_an_image'],
        [local('/missing.png'), 'failed', 'http_404'],
        [local('/redirect-private'), 'failed', 'blocked_address'],
        [`http://127.0.0.1:${port}/b.png`, 'failed', 'blocked_address'],
        [local('/redirect-ok'), 'done', null],
        ['not a url', 'skipped', 'invalid_url'],
      ],
    );
    const failedOnly = await api.get(`/import/jobs/${accepted.job_id}/files?status=failed`);
    assert.equal((failedOnly.body.files as unknown[]).length, 4);

    const imported = await rows('job_id = $1', [accepted.job_id]);
    assert.deepEqual(imported.map((r) => r.name).sort(), ['a.png', 'b.png', 'redirect-ok']);
    for (const row of imported) {
      const expected = row.name === 'redirect-ok' ? files['/c.png'] : files[`/${row.name}` as keyof typeof files];
      assert.equal(row.source, 'url');
      assert.equal(row.mime_type, 'image/png', 'the type comes from the bytes, not the claimed one');
      assert.equal(Number(row.size), expected.length);
      assert.equal(md5(await objectBytes(row.storage_path)), md5(expected), `S3 holds the bytes of ${row.name}`);
    }
  });

  test('a JSON list imports too, and the gallery filters by source', async () => {
    const answer = await api.post('/import/urls', { urls: [local('/json-1.png'), local('/a.png')] });
    assert.equal(answer.status, 202, JSON.stringify(answer.body));
    const job = await api.waitForJob(String(answer.body.job_id), (j) => ENDED.has(j.status));
    assert.equal(job.status, 'completed', JSON.stringify(job));
    assert.equal(job.processed_files, 2);
    const gallery = await api.get('/images?source=url&limit=50');
    assert.equal(gallery.body.total, 4, 'a.png is one image however often it is imported');
    assert.equal((await api.get('/images?source=dropbox')).body.total, 0);
  });
  const waitFor = async <T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 60_000): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  };
  /** Verifies as a receiver would at time `at` (ms): standardwebhooks reads Date.now() for its 5-minute window. */
  const verifyAt = (at: number, secret: string, body: string, headers: Record<string, string>) => {
    const clock = mock.method(Date, 'now', () => at);
    try {
      return new Webhook(secret).verify(body, headers);
    } finally {
      clock.mock.restore();
    }
  };
  /** Checks a delivery with the job's secret from its 202, the way the README tells a receiver to. */
  const checkDelivery = (hook: (typeof hooks)[number], jobId: string, secret: unknown) => {
    assert.ok(typeof secret === 'string' && secret.startsWith('whsec_'), `the 202 gives the job's webhook_secret, got ${String(secret)}`);
    const header = (name: string) => String(hook.headers[name] ?? '');
    const headers = {
      [WebhookHeader.id]: header(WebhookHeader.id),
      [WebhookHeader.timestamp]: header(WebhookHeader.timestamp),
      [WebhookHeader.signature]: header(WebhookHeader.signature),
    };
    assert.equal(headers[WebhookHeader.id], `msg_${jobId}`, 'one id per job, the same on every attempt');
    assert.ok(Math.abs(Number(headers[WebhookHeader.timestamp]) - hook.receivedAt / 1000) < 30, `webhook-timestamp ${headers[WebhookHeader.timestamp]} is the attempt's time`);
    assert.ok(!Object.keys(hook.headers).some((name) => name.startsWith('x-importer-')), 'no second signature scheme');
    const payload = JobFinishedWebhookV1.parse(verifyAt(hook.receivedAt, secret, hook.body, headers));
    assert.equal(payload.job.job_id, jobId);
    const tampered = hook.body.replace(jobId, '00000000-0000-4000-8000-000000000000');
    assert.throws(() => verifyAt(hook.receivedAt, secret, tampered, headers), WebhookVerificationError, 'a tampered body is refused');
    assert.throws(() => verifyAt(hook.receivedAt + 6 * 60_000, secret, hook.body, headers), /too old/, 'a replay more than 5 minutes later is refused');
    return payload;
  };

  test('a job with a webhook_url sends it one signed POST with its summary when it ends', async () => {
    const answer = await api.post('/import/urls', { urls: [local('/b.png'), local('/missing.png')], webhook_url: local('/hook-ok') });
    assert.equal(answer.status, 202, JSON.stringify(answer.body));
    const jobId = String(answer.body.job_id);
    const job = await api.waitForJob(jobId, (j) => ENDED.has(j.status));
    const shown = await api.get(`/import/jobs/${jobId}`);
    assert.ok(!JSON.stringify(shown.body).includes(String(answer.body.webhook_secret)), 'the job never shows its webhook secret again');
    const hook = await waitFor('the webhook', () => hooks.find((h) => h.path === '/hook-ok'));
    const payload = checkDelivery(hook, jobId, answer.body.webhook_secret);
    assert.deepEqual([payload.event, payload.job.status, payload.job.failed_files, payload.job.processed_files], ['import.job.finished', job.status, 1, 1]);
    // A delivered webhook is not sent again: the next retry would have come after 1 s.
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    assert.equal(hooks.filter((h) => h.path === '/hook-ok').length, 1, 'received once');
  });

  test('a webhook whose receiver first fails is retried until it answers 2xx, then not again', async () => {
    const form = new FormData();
    form.append('webhook_url', local('/hook-flaky'));
    form.append('file', new Blob([`${local('/c.png')}\n`], { type: 'text/csv' }), 'one.csv');
    const response = await api.fetch('http://127.0.0.1:3000/import/urls', { method: 'POST', body: form });
    const accepted = (await response.json()) as { job_id: string; webhook_secret?: string };
    assert.equal(response.status, 202, JSON.stringify(accepted));
    await api.waitForJob(accepted.job_id, (j) => ENDED.has(j.status));
    await waitFor('the retried webhook', () => (hooks.filter((h) => h.path === '/hook-flaky').length >= 2 ? true : undefined));
    const deliveries = hooks.filter((h) => h.path === '/hook-flaky');
    assert.deepEqual(deliveries.map((h) => h.answered), [500, 204]);
    for (const hook of deliveries) checkDelivery(hook, accepted.job_id, accepted.webhook_secret);
    assert.equal(deliveries[0]?.body, deliveries[1]?.body, 'the retry sends the same summary');
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    assert.equal(hooks.filter((h) => h.path === '/hook-flaky').length, 2, 'nothing after the 2xx');
  });

  test('a webhook still pending when api and its sidecar are killed is delivered after the restart, once', async () => {
    const answer = await api.post('/import/urls', { urls: [local('/b.png')], webhook_url: local('/hook-restart') });
    assert.equal(answer.status, 202, JSON.stringify(answer.body));
    const jobId = String(answer.body.job_id);
    await waitFor('the first, refused delivery', () => hooks.find((h) => h.path === '/hook-restart'));
    const apiApp = system.apps.get('api');
    assert.ok(apiApp);
    await apiApp.crash();
    await system.restart('api');
    restartHookUp = true;
    await waitFor('the delivery after the restart', () => hooks.find((h) => h.path === '/hook-restart' && h.answered === 204), 90_000);
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    const deliveries = hooks.filter((h) => h.path === '/hook-restart');
    assert.equal(deliveries.filter((h) => h.answered === 204).length, 1, 'delivered once');
    for (const hook of deliveries) checkDelivery(hook, jobId, answer.body.webhook_secret);
  });

  test('a webhook to a private address is refused: never sent, like a URL import', async () => {
    const answer = await api.post('/import/urls', { urls: [local('/a.png')], webhook_url: `http://127.0.0.1:${port}/hook-private` });
    assert.equal(answer.status, 202);
    await api.waitForJob(String(answer.body.job_id), (j) => ENDED.has(j.status));
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    assert.ok(!hooks.some((h) => h.path === '/hook-private'));
  });

  test('every imported image gets a WebP preview beside it, decodable, at most 400 px, and thumbnail_url serves it', async () => {
    const all = (await db.dataSource.query(`SELECT id, storage_path, width, height FROM images WHERE source = 'url'`)) as { id: string; storage_path: string }[];
    assert.ok(all.length >= 4);
    const withPreviews = await waitFor('every preview', async () => {
      const rows = (await db.dataSource.query(`SELECT id, storage_path, preview_path, preview_width, preview_height FROM images WHERE source = 'url'`)) as {
        id: string;
        storage_path: string;
        preview_path: string | null;
        preview_width: number;
        preview_height: number;
      }[];
      return rows.every((r) => r.preview_path) ? rows : undefined;
    });
    for (const row of withPreviews) {
      assert.equal(row.preview_path, `${row.storage_path}.preview.webp`, 'stored beside the original');
      const bytes = await objectBytes(row.preview_path ?? '');
      const meta = await sharp(bytes).metadata();
      assert.equal(meta.format, 'webp');
      assert.deepEqual([meta.width, meta.height], [row.preview_width, row.preview_height]);
      assert.ok(Math.max(meta.width ?? 0, meta.height ?? 0) <= 400);
      const image = await api.get(`/images/${row.id}`);
      assert.equal(image.body.thumbnail_url, `http://127.0.0.1:3000/images/${row.id}/thumbnail`);
      const served = await api.fetch(String(image.body.thumbnail_url));
      assert.equal(served.headers.get('content-type'), 'image/webp');
      assert.equal(md5(new Uint8Array(await served.arrayBuffer())), md5(bytes));
    }
  });
});
