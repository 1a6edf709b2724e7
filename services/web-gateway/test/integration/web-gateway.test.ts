import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import express from 'express';
import { type DaprApp, prepareConfiguration, prepareResources, startDaprApp } from '@importer/devkit';
import { createLogger } from '@importer/observability';
import { apiForwarder } from '../../src/api-forwarder.js';
import { API_MOUNT_PATH, buildWebApp } from '../../src/app.js';

const listen = (app: express.Express) =>
  new Promise<Server>((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => resolve(server));
  });
const portOf = (server: Server) => (server.address() as AddressInfo).port;
const close = (server: Server | undefined) => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));

const JOB = '0b5c9a52-3f0e-4c4e-9a43-0d0e1f2a3b4c';

/** Stands in for `api` on three routes of the public table: answers what it received, and logs every path it saw. */
function echoApp(seen: string[]): express.Express {
  const app = express();
  app.use((req, _res, next) => {
    seen.push(`${req.method} ${req.url}`);
    next();
  });
  app.post('/import/urls', (req, res) => {
    const hash = createHash('md5');
    let bytes = 0;
    req.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      hash.update(chunk);
    });
    req.on('end', () => res.status(201).json({ bytes, md5: hash.digest('hex'), contentType: req.get('content-type') }));
  });
  app.get('/images', (req, res) => {
    res.set('x-echo', 'yes').json({ method: req.method, url: req.url, headers: req.headers });
  });
  app.get('/openapi.json', (_req, res) => {
    res.json({ openapi: '3.1.0', info: { title: 'echo', version: '0' }, paths: {} });
  });
  app.use((req, res) => {
    res.status(404).json({ error: { code: 'not_found', message: `no route ${req.method} ${req.path}` } });
  });
  return app;
}

describe('the web gateway: the SPA and the public API forwarded through real sidecars', () => {
  const suffix = Math.random().toString(36).slice(2, 8);
  const targetId = `gw-api-${suffix}`;
  const webId = `gw-web-${suffix}`;
  const staticDir = mkdtempSync(join(tmpdir(), 'web-dist-'));
  const seen: string[] = [];
  let target: Server;
  let gateway: Server;
  let targetSidecar: DaprApp;
  let webSidecar: DaprApp;
  let base: string;

  before(async () => {
    mkdirSync(join(staticDir, 'assets'));
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Image importer</title><div id="app"></div>');
    writeFileSync(join(staticDir, 'assets', 'index-abc123.js'), 'console.log("app")');
    target = await listen(echoApp(seen));
    const resources = prepareResources({ from: ['dapr'], scopes: [targetId, webId] });
    [targetSidecar, webSidecar] = await Promise.all([
      // api's real access-control policy, with this test's app ids in it.
      startDaprApp({ appId: targetId, appPort: portOf(target), resourcesPaths: [resources], configPath: prepareConfiguration('dapr/api-config.yaml', { web: webId }) }),
      startDaprApp({ appId: webId, resourcesPaths: [resources] }),
    ]);
    const log = createLogger({ service: 'web', level: 'error' });
    gateway = await listen(
      buildWebApp({
        staticDir,
        api: apiForwarder({ sidecarUrl: webSidecar.sidecarUrl, daprApiToken: webSidecar.tokens.daprApiToken, targetAppId: targetId, mountPath: API_MOUNT_PATH, log }),
      }),
    );
    base = `http://127.0.0.1:${portOf(gateway)}`;
  });

  after(async () => {
    await close(gateway);
    await Promise.all([webSidecar?.stop(), targetSidecar?.stop()]);
    await close(target);
  });

  test('a GET reaches the api with its path, query and the forwarded host and prefix, and none of the client\'s dapr-* headers', async () => {
    const answer = await fetch(`${base}/api/images?source=google_drive&limit=2`, {
      headers: { accept: 'application/json', 'dapr-app-id': 'lister', 'dapr-api-token': 'guessed', authorization: `Basic ${Buffer.from('dapr-app-id:lister').toString('base64')}` },
    });
    assert.equal(answer.status, 200);
    assert.equal(answer.headers.get('x-echo'), 'yes');
    const body = (await answer.json()) as { method: string; url: string; headers: Record<string, string> };
    assert.equal(body.method, 'GET');
    assert.equal(body.url, '/images?source=google_drive&limit=2');
    assert.equal(body.headers['x-forwarded-prefix'], '/api');
    // daprd appends its own host to X-Forwarded-Host; the first entry is the one the browser used.
    assert.equal(body.headers['x-forwarded-host']?.split(',')[0], `127.0.0.1:${portOf(gateway)}`, JSON.stringify(body.headers));
    assert.equal(body.headers.authorization, undefined);
    assert.equal(body.headers['dapr-app-id'], undefined);
    assert.equal(body.headers['dapr-api-token'], targetSidecar.tokens.appApiToken, "what the api sees is its own sidecar's token, not the client's");
  });

  test('a 5 MB upload crosses both sidecars byte for byte', async () => {
    const payload = randomBytes(5 * 1024 * 1024);
    const answer = await fetch(`${base}/api/import/urls`, { method: 'POST', body: payload, headers: { 'content-type': 'text/csv' } });
    assert.equal(answer.status, 201);
    assert.deepEqual(await answer.json(), { bytes: payload.length, md5: createHash('md5').update(payload).digest('hex'), contentType: 'text/csv' });
  });

  test("the api's own 4xx comes back unchanged", async () => {
    const answer = await fetch(`${base}/api/import/jobs/${JOB}`);
    assert.equal(answer.status, 404);
    assert.deepEqual(await answer.json(), { error: { code: 'not_found', message: `no route GET /import/jobs/${JOB}` } });
  });

  test('paths outside the route table, and every traversal form, are answered by the gateway and never reach a sidecar', async () => {
    const before = seen.length;
    const raw = (path: string, method = 'GET') =>
      new Promise<number>((resolve, reject) => {
        // fetch would normalise the dots away; a raw request sends the path as an attacker would.
        const req = request({ host: '127.0.0.1', port: portOf(gateway), path, method }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
    for (const path of [
      '/api/../../../../v1.0/metadata',
      '/api/%2e%2e/%2e%2e/v1.0/metadata',
      '/api/..%2f..%2fv1.0%2fmetadata',
      '/api/..\\..\\v1.0\\metadata',
      '/api/..%5c..%5cv1.0%5cmetadata',
      '/api/../../http%3A%2F%2F127.0.0.1%3A3500/method/v1.0/secrets/secretstore/S3_SECRET_KEY',
      '/api/./images',
      '/api//images',
      '/api/dapr/subscribe',
      '/api/dapr/config',
      '/api/metrics',
      '/api/ready',
      `/api/actors/ImportJob/${JOB}/method/get`,
      '/api/pubsub--listing-failed--default',
    ]) {
      assert.equal(await raw(path), 404, path);
    }
    assert.equal(await raw(`/api/actors/ImportJob/${JOB}/method/get`, 'PUT'), 404);
    assert.equal(await raw('/api/pubsub--listing-failed--default', 'POST'), 404);
    assert.equal(await raw('/api/images', 'DELETE'), 405);
    assert.deepEqual(seen.slice(before), [], 'the api saw none of them');
  });

  test("the web sidecar's own API asks for its token, and access control lets web invoke only the public routes", async () => {
    const invoke = (path: string, method = 'GET', token: string | null = webSidecar.tokens.daprApiToken) =>
      fetch(`${webSidecar.sidecarUrl}/v1.0/invoke/${targetId}/method${path}`, { method, headers: token === null ? {} : { 'dapr-api-token': token } });
    assert.equal((await invoke('/images', 'GET', null)).status, 401);
    assert.equal((await invoke('/images', 'GET', 'guessed')).status, 401);
    assert.equal((await fetch(`${webSidecar.sidecarUrl}/v1.0/metadata`)).status, 401);
    assert.equal((await invoke('/images')).status, 200);
    const before = seen.length;
    for (const [path, method] of [['/dapr/subscribe', 'GET'], ['/metrics', 'GET'], ['/ready', 'GET'], [`/actors/ImportJob/${JOB}/method/get`, 'PUT'], ['/pubsub--files-found--default', 'POST'], ['/images', 'POST'], ['/import/google-drive', 'GET']]) {
      const answer = await invoke(path ?? '', method);
      assert.equal(answer.status, 403, `${method} ${path}: ${await answer.text()}`);
    }
    assert.deepEqual(seen.slice(before), [], 'the api saw none of them');
  });

  test('any page path serves index.html (history routing), with a CSP that allows only this origin', async () => {
    for (const path of ['/', '/jobs', '/gallery?source=google_drive']) {
      const answer = await fetch(`${base}${path}`);
      assert.equal(answer.status, 200, path);
      assert.match(await answer.text(), /<title>Image importer<\/title>/);
      assert.match(answer.headers.get('content-security-policy') ?? '', /default-src 'self'/);
      assert.equal(answer.headers.get('cache-control'), 'no-cache');
    }
  });

  test('the API reference at /docs loads from the gateway, and the document it points at comes through both sidecars', async () => {
    const page = await fetch(`${base}/docs`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(await page.text(), /<script src="\/docs\/swagger-ui-bundle\.js">/);
    assert.equal((await fetch(`${base}/docs/swagger-ui-bundle.js`)).status, 200);
    const script = await (await fetch(`${base}/docs/swagger-initializer.js`)).text();
    const url = /url: "([^"]+)"/.exec(script)?.[1] ?? '';
    const before = seen.length;
    const document = await fetch(`${base}${url}`);
    assert.equal(document.status, 200, url);
    assert.equal(((await document.json()) as { openapi: string }).openapi, '3.1.0');
    assert.deepEqual(seen.slice(before), ['GET /openapi.json']);
  });

  test('hashed assets are cached for good, and a missing asset is a 404, not index.html', async () => {
    const asset = await fetch(`${base}/assets/index-abc123.js`);
    assert.equal(asset.status, 200);
    assert.match(asset.headers.get('cache-control') ?? '', /immutable/);
    const missing = await fetch(`${base}/assets/gone-123.js`);
    assert.equal(missing.status, 404);
  });
});
