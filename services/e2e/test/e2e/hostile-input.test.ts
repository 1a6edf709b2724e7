import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from '@importer/db/testing';
import { type DaprApp, localPlatform, localS3Client, readLocalObject, type RunningSystem, startSystem, waitFor } from '@importer/devkit';
import { generatePng } from '@importer/emulators';
import { ApiClient, E2E_ADMIN_ENV, ENDED } from '../../src/api-client.js';

const GATEWAY = { host: '127.0.0.1', port: 8080 };
const JOB = '0b5c9a52-3f0e-4c4e-9a43-0d0e1f2a3b4c';
const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('hex');
const png = (id: string, size: number) => Buffer.concat([...generatePng(`${id}-${process.pid}-${Date.now()}`, size)]);

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** The HTTP/1.1 answer in what was read off the wire so far, once it is complete: status, headers, de-chunked body. */
function completeAnswer(bytes: Buffer): RawAnswer | undefined {
  const headEnd = bytes.indexOf('\r\n\r\n');
  if (headEnd < 0) return undefined;
  const [statusLine = '', ...lines] = bytes.subarray(0, headEnd).toString('latin1').split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const rest = bytes.subarray(headEnd + 4);
  const status = Number(statusLine.split(' ')[1]);
  if (headers['transfer-encoding'] !== 'chunked') {
    const length = Number(headers['content-length'] ?? 0);
    return rest.length >= length ? { status, headers, body: rest.subarray(0, length) } : undefined;
  }
  const parts: Buffer[] = [];
  for (let at = 0; ; ) {
    const lineEnd = rest.indexOf('\r\n', at);
    if (lineEnd < 0) return undefined;
    const size = Number.parseInt(rest.subarray(at, lineEnd).toString('latin1'), 16);
    if (size === 0) return { status, headers, body: Buffer.concat(parts) };
    if (rest.length < lineEnd + 2 + size + 2) return undefined;
    parts.push(rest.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
}

/**
 * One request written on a bare socket, as an attacker (or curl) would: the path exactly as given, no client-side
 * normalisation, any body. The answer is read as it comes, even while the body is still being sent (a server may
 * answer first and stop reading).
 */
function raw(port: number, path: string, options: { method?: string; headers?: Record<string, string>; body?: Buffer } = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let received = Buffer.alloc(0);
    let done = false;
    const chunked = options.headers?.['transfer-encoding'] === 'chunked';
    const headers = { host: `127.0.0.1:${port}`, ...(options.body && !chunked ? { 'content-length': String(options.body.length) } : {}), ...options.headers };
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const answer = completeAnswer(received);
      if (!answer || done) return;
      done = true;
      socket.destroy();
      resolve(answer);
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      if (!done) reject(new Error(`no complete HTTP answer, only ${received.length} bytes: ${received.subarray(0, 200).toString('latin1')}`));
    });
    socket.write(`${options.method ?? 'GET'} ${path} HTTP/1.1\r\n${Object.entries(headers).map(([name, value]) => `${name}: ${value}`).join('\r\n')}\r\n\r\n`);
    if (options.body && chunked) {
      for (let at = 0; at < options.body.length; at += 1024 * 1024) {
        const part = options.body.subarray(at, at + 1024 * 1024);
        socket.write(`${part.length.toString(16)}\r\n`);
        socket.write(part);
        socket.write('\r\n');
      }
      socket.write('0\r\n\r\n');
    } else if (options.body) socket.write(options.body);
  });
}

const errorCode = (answer: RawAnswer) => (JSON.parse(answer.body.toString('utf8') || '{}') as { error?: { code?: string } }).error?.code;

/** Resident memory of a process, in MiB. */
function rssMiB(pid: number | undefined): number {
  if (pid === undefined) return 0;
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return Number(line?.split(/\s+/)[1] ?? 0) / 1024;
}

describe('hostile input against the system as npm start runs it', () => {
  let api = new ApiClient(`http://${GATEWAY.host}:${GATEWAY.port}/api`);
  const s3 = localS3Client();
  const large = png('large', 40 * 1024 * 1024);
  const small = { '/a.png': png('a', 6_000), '/b.png': png('b', 9_000), '/c.png': png('c', 7_000), '/d.png': png('d', 8_000) };
  /** Sockets the trickling routes hold open, so the test can see them closed. */
  const trickling = new Set<Socket>();
  let server: Server;
  let port = 0;
  let db: TestDatabase;
  let system: RunningSystem;
  const app = (id: string): DaprApp => {
    const found = system.apps.get(id);
    assert.ok(found, id);
    return found;
  };
  const local = (path: string) => `http://localhost:${port}${path}`;

  /** Every app answers its health route and every sidecar its healthz, with no process restarted unasked. */
  async function everyServiceUp(restartsAllowed: Record<string, number> = {}): Promise<void> {
    for (const [id, running] of system.apps) {
      assert.equal((await fetch(`http://127.0.0.1:${running.appPort}/health`)).status, 200, `${id} answers /health`);
      assert.equal((await fetch(`${running.sidecarUrl}/v1.0/healthz`)).status, 204, `${id}'s sidecar is healthy`);
      const restarts = running.restarts.app + running.restarts.daprd;
      assert.ok(restarts <= (restartsAllowed[id] ?? 0), `${id} and its sidecar did not restart (${restarts} restarts)`);
    }
  }

  before(async () => {
    server = createServer((req, res) => {
      const path = req.url ?? '/';
      if (path === '/large.png') return void res.writeHead(200, { 'content-type': 'image/png', 'content-length': large.length }).end(large);
      const body = small[path as keyof typeof small];
      if (body) return void res.writeHead(200, { 'content-type': 'image/png', 'content-length': body.length }).end(body);
      if (path.startsWith('/trickle')) {
        // Headers, then a few bytes, then nothing: a slot-holder unless the download has an idle timeout.
        trickling.add(req.socket);
        req.socket.once('close', () => trickling.delete(req.socket));
        res.writeHead(200, { 'content-type': 'image/png', 'content-length': 1_000_000 });
        res.write(small['/a.png'].subarray(0, 64));
        return;
      }
      res.writeHead(404).end('not found');
    });
    server.listen(0);
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
    db = await createTestDatabase('importer_e2e_hostile');
    system = await startSystem({
      env: {
        ...E2E_ADMIN_ENV,
        DATABASE_URL: db.url,
        S3_ENDPOINT: localPlatform.minio.endpoint,
        URL_IMPORT_ALLOWED_HOSTS: 'localhost',
        DOWNLOAD_IDLE_TIMEOUT_MS: '3000',
        DOWNLOAD_TIMEOUT_MS: '10000',
        TRANSFER_MAX_ATTEMPTS: '2',
        WATCHDOG_PERIOD_MS: '2000',
        WATCHDOG_STALL_AFTER_MS: '6000',
      },
    });
    api = await ApiClient.signedIn(api.baseUrl);
  });

  after(async () => {
    await system?.stop();
    for (const socket of trickling) socket.destroy();
    server?.closeAllConnections();
    server?.close();
    await db?.drop();
    s3.destroy();
  });

  test('every traversal form through the gateway is a 404 from the gateway, and nothing leaks', async () => {
    for (const path of [
      '/api/../../../../v1.0/metadata',
      '/api/../../http%3A%2F%2F127.0.0.1%3A3500/method/v1.0/secrets/secretstore/S3_SECRET_KEY',
      '/api/../../http%3A%2F%2F127.0.0.1%3A3500/method/v1.0/bindings/image-store',
      '/api/%2e%2e/%2e%2e/v1.0/metadata',
      '/api/%2E%2E%2F%2E%2E%2Fv1.0%2Fmetadata',
      '/api/..%2f..%2fv1.0%2fmetadata',
      '/api/..\\..\\v1.0\\metadata',
      '/api/..%5c..%5cv1.0%5cmetadata',
      '/api/./health',
      '/api//health',
      '/api/images/..%2f..%2f..%2fv1.0%2fmetadata',
    ]) {
      for (const method of ['GET', 'POST']) {
        const answer = await raw(GATEWAY.port, path, { method, headers: { 'content-type': 'application/json' }, body: Buffer.from('{"operation":"list"}') });
        assert.equal(answer.status, 404, `${method} ${path}`);
        assert.equal(errorCode(answer), 'not_found');
        assert.doesNotMatch(answer.body.toString(), new RegExp(`${localPlatform.minio.secretKey}|"components"|"actors"`));
      }
    }
    await everyServiceUp();
  });

  test('internal routes: 404 through the gateway, 401 on the app port without the token, 403 through service invocation', async () => {
    const internal: [string, string][] = [
      ['PUT', `/actors/ImportJob/${JOB}/method/get`],
      ['PUT', '/actors/RequestQuota/url/method/lease'],
      ['PUT', `/actors/ImportJob/${JOB}/method/remind/watchdog`],
      ['DELETE', `/actors/ImportJob/${JOB}`],
      ['GET', '/dapr/subscribe'],
      ['GET', '/dapr/config'],
      ['POST', '/pubsub--listing-failed--default'],
      ['POST', '/pubsub--files-found--default'],
    ];
    for (const [method, path] of internal) {
      assert.equal((await raw(GATEWAY.port, `/api${path}`, { method })).status, 404, `gateway ${method} ${path}`);
      for (const id of ['api', 'lister', 'transfer']) {
        const answer = await raw(app(id).appPort ?? 0, path, { method, headers: { 'content-type': 'application/json' }, body: Buffer.from('[{"want":1000}]') });
        assert.equal(answer.status, 401, `${id} ${method} ${path}`);
        assert.equal(errorCode(answer), 'unauthorized');
        const forged = await raw(app(id).appPort ?? 0, path, { method, headers: { 'dapr-api-token': app('web').tokens.appApiToken } });
        assert.equal(forged.status, 401, `${id} ${method} ${path} with another app's token`);
      }
    }
    for (const path of ['/ready', '/metrics']) assert.equal((await raw(GATEWAY.port, `/api${path}`)).status, 404, `gateway ${path}`);

    // Service invocation carries the callee's app token, so access control must stop it: web reaches api's public routes only.
    const invoke = (from: string, to: string, method: string, path: string) =>
      fetch(`${app(from).sidecarUrl}/v1.0/invoke/${to}/method${path}`, { method, headers: { 'dapr-api-token': app(from).tokens.daprApiToken } });
    assert.equal((await invoke('web', 'api', 'GET', '/health')).status, 200, 'web → api public route');
    for (const [method, path] of [...internal, ['GET', '/ready'], ['GET', '/metrics']] as [string, string][]) {
      assert.equal((await invoke('web', 'api', method, path)).status, 403, `web → api ${method} ${path}`);
    }
    for (const [from, to] of [['web', 'lister'], ['web', 'transfer'], ['lister', 'api'], ['transfer', 'api'], ['api', 'lister'], ['lister', 'transfer']]) {
      assert.equal((await invoke(from ?? '', to ?? '', 'GET', '/health')).status, 403, `${from} → ${to}`);
      assert.equal((await invoke(from ?? '', to ?? '', 'POST', '/pubsub--files-found--default')).status, 403, `${from} → ${to} pub/sub route`);
    }

    // A sidecar that may call actors still gets only their public methods.
    const actor = (method: string) =>
      fetch(`${app('lister').sidecarUrl}/v1.0/actors/ImportJob/${JOB}/method/${method}`, {
        method: 'POST',
        headers: { 'dapr-api-token': app('lister').tokens.daprApiToken, 'content-type': 'application/json' },
        body: '[]',
      });
    for (const method of ['receiveReminder', 'getStateManager', 'onActivate', 'load', 'constructor']) {
      const answer = await actor(method);
      assert.notEqual(answer.status, 200, `ImportJob.${method} is not callable`);
      assert.match(await answer.text(), /actor method not found|has no method/, `ImportJob.${method}`);
    }
    await everyServiceUp();
  });

  test("every sidecar's API asks for its token, and every app and sidecar listens on loopback only", async () => {
    for (const [id, running] of system.apps) {
      for (const [method, path, body] of [
        ['GET', '/v1.0/metadata', undefined],
        ['GET', '/v1.0/secrets/secretstore/S3_SECRET_KEY', undefined],
        ['POST', '/v1.0/bindings/image-store', '{"operation":"list"}'],
        ['POST', '/v1.0/publish/pubsub/files-found', '{}'],
        ['POST', `/v1.0/actors/ImportJob/${JOB}/method/get`, '[]'],
        ['GET', '/v1.0/invoke/api/method/health', undefined],
      ] as const) {
        const answer = await fetch(`${running.sidecarUrl}${path}`, { method, ...(body ? { body } : {}) });
        assert.equal(answer.status, 401, `${id}'s sidecar ${method} ${path}`);
        assert.doesNotMatch(await answer.text(), new RegExp(localPlatform.minio.secretKey));
        const guessed = await fetch(`${running.sidecarUrl}${path}`, { method, headers: { 'dapr-api-token': 'guessed-token-0123456789' }, ...(body ? { body } : {}) });
        assert.equal(guessed.status, 401, `${id}'s sidecar ${method} ${path} with a guessed token`);
      }
    }
    const pids = new Set([...system.apps.values()].flatMap((running) => [running.app?.pid, running.daprd.pid]).filter((pid) => pid !== undefined));
    const listening = execFileSync('ss', ['-Hltnp'], { encoding: 'utf8' })
      .split('\n')
      .filter((line) => [...pids].some((pid) => line.includes(`pid=${pid},`)));
    assert.ok(listening.length >= 12, `the apps and sidecars listen: ${listening.join('\n')}`);
    for (const line of listening) {
      const local = line.trim().split(/\s+/)[3] ?? '';
      assert.match(local, /^127\.0\.0\.1:\d+$/, `listens on loopback only: ${line}`);
    }
  });

  test('50 MB bodies of five content types, to matched and unmatched routes, are refused with a 4xx and take nothing down', async (t) => {
    const body = Buffer.alloc(50 * 1024 * 1024, 0x61);
    const before = { api: rssMiB(app('api').app?.pid), web: rssMiB(app('web').app?.pid) };
    for (const type of ['application/cloudevents+json', 'application/json', 'text/plain', 'application/octet-stream', 'multipart/form-data; boundary=x']) {
      for (const [target, path] of [
        [GATEWAY.port, '/api/import/google-drive'],
        [GATEWAY.port, '/api/import/urls'],
        [GATEWAY.port, '/api/nope'],
        [app('api').appPort ?? 0, '/import/google-drive'],
        [app('api').appPort ?? 0, '/import/urls'],
        [app('api').appPort ?? 0, '/nope'],
        [app('api').appPort ?? 0, '/pubsub--files-found--default'],
        [app('transfer').appPort ?? 0, '/pubsub--files-found--default'],
      ] as [number, string][]) {
        const answer = await raw(target, path, { method: 'POST', headers: { 'content-type': type }, body }).catch((error: Error) => {
          throw new Error(`${type} to :${target}${path}: ${error.message}`);
        });
        assert.ok(answer.status >= 400 && answer.status < 500, `${type} to :${target}${path} answered ${answer.status} ${answer.body.toString().slice(0, 200)}`);
      }
    }
    // Chunked, so no Content-Length warns the gateway first.
    const chunked = await raw(GATEWAY.port, '/api/import/google-drive', { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }, body });
    assert.equal(chunked.status, 413);
    const after = { api: rssMiB(app('api').app?.pid), web: rssMiB(app('web').app?.pid) };
    t.diagnostic(`RSS after 41 bodies of 50 MB: api ${before.api.toFixed(0)} → ${after.api.toFixed(0)} MiB, web ${before.web.toFixed(0)} → ${after.web.toFixed(0)} MiB`);
    // 41 bodies of 50 MB went by; none was held whole (the api's heap is capped at 128 MiB, and one such body crashed it before).
    assert.ok(after.api < 256 && after.web < 256, `memory stayed bounded: api ${before.api.toFixed(0)} → ${after.api.toFixed(0)} MiB, web ${before.web.toFixed(0)} → ${after.web.toFixed(0)} MiB`);
    await everyServiceUp();
  });

  test('NUL and other unstorable text, bad cursors, long links and deep pages get a 4xx or their own outcome, and every job ends', async () => {
    const nul = await api.post('/import/urls', JSON.stringify({ urls: ['http://h/a\u0000.png', local('/%00.png'), local('/a.png')] }));
    assert.equal(nul.status, 202, JSON.stringify(nul.body));
    const job = await api.waitForJob(String(nul.body.job_id), (j) => ENDED.has(j.status), 60_000);
    assert.deepEqual([job.total_files, job.processed_files, job.failed_files, job.skipped_files], [3, 1, 1, 1], JSON.stringify(job));
    const files = (await api.get(`/import/jobs/${job.job_id}/files`)).body.files as { path: string; status: string; reason: string | null }[];
    const outcomes = files.map((f) => `${f.status} ${f.reason?.split(':')[0] ?? ''}`.trim()).sort();
    assert.deepEqual(outcomes, ['done', 'failed http_404', 'skipped invalid_url'], JSON.stringify(files));
    assert.ok(files.every((f) => !f.path.includes('\u0000')));

    const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    for (const path of [
      `/images?cursor=${forged(['2026-01-01T00:00:00.000Z', 'not-a-uuid'])}`,
      `/images?cursor=${forged(['2026-01-01T00:00:00.000Z', "' OR 1=1 --"])}`,
      `/import/jobs?cursor=${forged(['yesterday', JOB])}`,
      `/import/jobs/${job.job_id}/files?cursor=1234567890123456789012345`,
      `/import/jobs/${job.job_id}/files?cursor=-1`,
      '/images?page=99999&limit=200',
      '/images?limit=100000',
    ]) {
      const answer = await api.get(path);
      assert.equal(answer.status, 400, `${path}: ${JSON.stringify(answer.body)}`);
    }
    const long = await api.post('/import/google-drive', { folder_url: `https://drive.google.com/drive/folders/${'A'.repeat(900_000)}` });
    assert.equal(long.status, 400);
    assert.match(JSON.stringify(long.body), /longer than 2048/);
    const hook = await api.post('/import/urls', { urls: [local('/a.png')], webhook_url: `https://example.com/${'h'.repeat(3_000)}` });
    assert.equal(hook.status, 400);
    for (const scheme of ['javascript:alert(1)', 'file:///etc/passwd', 'ftp://example.com/']) {
      assert.equal((await api.post('/import/urls', { urls: [local('/a.png')], webhook_url: scheme })).status, 400, scheme);
    }
    await everyServiceUp();
  });

  test('addresses inside IPv6 that carry a private IPv4 are refused like the IPv4 itself', async () => {
    const blocked = [
      'http://[::ffff:127.0.0.1]/a.png',
      'http://[::ffff:a00:1]/a.png',
      'http://[::127.0.0.1]/a.png',
      'http://[2002:7f00:1::1]/a.png',
      'http://[2002:a9fe:a9fe::1]/latest/meta-data',
      'http://[64:ff9b::a9fe:a9fe]/latest/meta-data',
      'http://[64:ff9b:1:a9fe:a9:fe00::]/a.png',
      'http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/a.png',
      'http://[fec0::1]/a.png',
      'http://[::]/a.png',
    ];
    const accepted = await api.post('/import/urls', { urls: blocked });
    assert.equal(accepted.status, 202);
    const job = await api.waitForJob(String(accepted.body.job_id), (j) => ENDED.has(j.status), 60_000);
    assert.equal(job.failed_files, blocked.length, JSON.stringify(job));
    for (const error of job.errors) assert.match(error.reason, /^blocked_address/, error.path);
  });

  test('sources that trickle or stall end with a reason, and do not hold the transfer slots', async () => {
    const stalling = Array.from({ length: 20 }, (_, i) => local(`/trickle-${i}.png`));
    const started = Date.now();
    const accepted = await api.post('/import/urls', { urls: [...stalling, local('/b.png')] });
    assert.equal(accepted.status, 202, JSON.stringify(accepted.body));
    const job = await api.waitForJob(String(accepted.body.job_id), (j) => ENDED.has(j.status), 120_000);
    assert.equal(job.status, 'completed_with_errors', JSON.stringify(job));
    assert.deepEqual([job.processed_files, job.failed_files], [1, 20]);
    for (const error of job.errors) assert.match(error.reason, /^download_stalled: no data for 3 s/, error.path);
    assert.ok(Date.now() - started < 90_000, `ended in ${(Date.now() - started) / 1000} s`);
    await waitFor(async () => (trickling.size === 0 ? true : undefined), { what: 'the stalled downloads to be closed', timeoutMs: 10_000 });
    await everyServiceUp();
  });

  test('30 parallel reads of a 40 MB image stream through, at most IMAGE_READS_MAX at once, Range works, and api stays small', async (t) => {
    const accepted = await api.post('/import/urls', { urls: [local('/large.png')] });
    const job = await api.waitForJob(String(accepted.body.job_id), (j) => ENDED.has(j.status), 120_000);
    assert.equal(job.status, 'completed', JSON.stringify(job));
    const [image] = (await api.get(`/images?job_id=${job.job_id}`)).body.images as { id: string; storage_path: string; size: number }[];
    assert.ok(image);
    assert.equal(md5((await readLocalObject(s3, image.storage_path)).bytes), md5(large));

    const peaks = { api: 0, apiSidecar: 0, web: 0 };
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        peaks.api = Math.max(peaks.api, rssMiB(app('api').app?.pid));
        peaks.apiSidecar = Math.max(peaks.apiSidecar, rssMiB(app('api').daprd.pid));
        peaks.web = Math.max(peaks.web, rssMiB(app('web').app?.pid));
        await sleep(50);
      }
    })();
    // Every answer's head first, no body read yet: all 30 are open at once (each waits for its key's lookup before the
    // download limit), so a read that ends early cannot free a slot for a late one.
    const answers = await Promise.all(Array.from({ length: 30 }, () => api.fetch(`${api.baseUrl}/images/${image.id}/content`)));
    const reads = await Promise.all(
      answers.map(async (answer) => {
        if (answer.status !== 200) return { status: answer.status, retryAfter: answer.headers.get('retry-after'), hash: '' };
        // Read slowly, so the reads overlap as a crowd of browsers would.
        const hash = createHash('md5');
        for await (const chunk of answer.body as unknown as AsyncIterable<Uint8Array>) {
          hash.update(chunk);
          await sleep(1);
        }
        return { status: 200, retryAfter: null, hash: hash.digest('hex') };
      }),
    );
    sampling = false;
    await sampler;
    const served = reads.filter((r) => r.status === 200);
    const refused = reads.filter((r) => r.status === 429);
    assert.equal(served.length + refused.length, 30, JSON.stringify(reads.map((r) => r.status)));
    assert.ok(served.length >= 1 && served.length <= 16, `at most IMAGE_READS_MAX (16) streamed at once: ${served.length} served`);
    assert.ok(refused.every((r) => r.retryAfter === '1'));
    assert.ok(served.every((r) => r.hash === md5(large)), 'every full read is byte for byte the image');
    t.diagnostic(`${served.length} reads streamed, ${refused.length} answered 429; peak RSS api ${peaks.api.toFixed(0)} MiB, its sidecar ${peaks.apiSidecar.toFixed(0)} MiB, web ${peaks.web.toFixed(0)} MiB`);
    assert.ok(peaks.api < 250 && peaks.apiSidecar < 250 && peaks.web < 200, `memory stayed bounded: api ${peaks.api.toFixed(0)} MiB, its sidecar ${peaks.apiSidecar.toFixed(0)} MiB, web ${peaks.web.toFixed(0)} MiB`);

    const part = await api.fetch(`${api.baseUrl}/images/${image.id}/content`, { headers: { range: 'bytes=1000-1999' } });
    assert.equal(part.status, 206);
    assert.equal(part.headers.get('content-range'), `bytes 1000-1999/${large.length}`);
    assert.deepEqual(Buffer.from(await part.arrayBuffer()), large.subarray(1000, 2000));
    const outside = await api.fetch(`${api.baseUrl}/images/${image.id}/content`, { headers: { range: `bytes=${large.length + 10}-` } });
    assert.equal(outside.status, 416);
    assert.match(part.headers.get('content-security-policy') ?? '', /sandbox/);
    await everyServiceUp();
  });

  test('an app or a sidecar that dies is restarted by the launcher, and the system serves again', async () => {
    const transfer = app('transfer');
    const oldPid = transfer.app?.pid;
    transfer.app?.signal('SIGKILL');
    await waitFor(async () => (transfer.restarts.app === 1 ? true : undefined), { what: 'the launcher to restart transfer', timeoutMs: 30_000 });
    assert.notEqual(transfer.app?.pid, oldPid);
    const lister = app('lister');
    lister.daprd.signal('SIGKILL');
    await waitFor(async () => (lister.restarts.daprd === 1 ? true : undefined), { what: "the launcher to restart lister's sidecar", timeoutMs: 30_000 });
    await Promise.all([transfer.whenHealthy(), lister.whenHealthy()]);
    await everyServiceUp({ transfer: 1, lister: 1 });
  });

  test('after all of it, a normal import through the gateway completes, byte for byte', async () => {
    // Images no earlier test imported: an image belongs to the first job that brought it.
    const accepted = await api.post('/import/urls', { urls: [local('/c.png'), local('/d.png')] });
    assert.equal(accepted.status, 202, JSON.stringify(accepted.body));
    const job = await api.waitForJob(String(accepted.body.job_id), (j) => ENDED.has(j.status), 120_000);
    assert.equal(job.status, 'completed', JSON.stringify(job));
    const images = (await api.get(`/images?job_id=${job.job_id}`)).body.images as { name: string; storage_path: string }[];
    assert.equal(images.length, 2);
    for (const image of images) {
      assert.equal(md5((await readLocalObject(s3, image.storage_path)).bytes), md5(small[`/${image.name}` as keyof typeof small]), image.name);
    }
    await everyServiceUp({ transfer: 1, lister: 1 });
  });
});
