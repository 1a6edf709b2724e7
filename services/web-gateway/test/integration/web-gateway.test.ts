import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import express from 'express';
import { type DaprApp, prepareResources, startDaprApp } from '@importer/devkit';
import { createLogger } from '@importer/observability';
import { apiForwarder } from '../../src/api-forwarder.js';
import { API_MOUNT_PATH, buildWebApp } from '../../src/app.js';

const listen = (app: express.Express) =>
  new Promise<Server>((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => resolve(server));
  });
const portOf = (server: Server) => (server.address() as AddressInfo).port;
const close = (server: Server | undefined) => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));

/** Stands in for `api`: answers what it received, so the test sees what crossed both sidecars. */
function echoApp(): express.Express {
  const app = express();
  app.post('/upload', (req, res) => {
    const hash = createHash('md5');
    let bytes = 0;
    req.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      hash.update(chunk);
    });
    req.on('end', () => res.status(201).json({ bytes, md5: hash.digest('hex'), contentType: req.get('content-type') }));
  });
  app.get('/echo', (req, res) => {
    res.set('x-echo', 'yes').json({ method: req.method, url: req.url, headers: req.headers });
  });
  app.use((req, res) => {
    res.status(404).json({ error: { code: 'not_found', message: `no route ${req.method} ${req.path}` } });
  });
  return app;
}

describe('the web gateway: the SPA and /api forwarded through real sidecars', () => {
  const suffix = Math.random().toString(36).slice(2, 8);
  const targetId = `gw-api-${suffix}`;
  const webId = `gw-web-${suffix}`;
  const staticDir = mkdtempSync(join(tmpdir(), 'web-dist-'));
  let target: Server;
  let gateway: Server;
  let targetSidecar: DaprApp;
  let webSidecar: DaprApp;
  let base: string;

  before(async () => {
    mkdirSync(join(staticDir, 'assets'));
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Image importer</title><div id="app"></div>');
    writeFileSync(join(staticDir, 'assets', 'index-abc123.js'), 'console.log("app")');
    target = await listen(echoApp());
    const resources = prepareResources({ from: ['dapr'], scopes: [targetId, webId] });
    [targetSidecar, webSidecar] = await Promise.all([
      startDaprApp({ appId: targetId, appPort: portOf(target), resourcesPaths: [resources] }),
      startDaprApp({ appId: webId, resourcesPaths: [resources] }),
    ]);
    const log = createLogger({ service: 'web', level: 'error' });
    gateway = await listen(
      buildWebApp({ staticDir, api: apiForwarder({ sidecarUrl: webSidecar.sidecarUrl, targetAppId: targetId, mountPath: API_MOUNT_PATH, log }) }),
    );
    base = `http://127.0.0.1:${portOf(gateway)}`;
  });

  after(async () => {
    await close(gateway);
    await Promise.all([webSidecar?.stop(), targetSidecar?.stop()]);
    await close(target);
  });

  test('a GET reaches the api with its path, query and the forwarded host and prefix', async () => {
    const answer = await fetch(`${base}/api/echo?source=google_drive&limit=2`, { headers: { accept: 'application/json' } });
    assert.equal(answer.status, 200);
    assert.equal(answer.headers.get('x-echo'), 'yes');
    const body = (await answer.json()) as { method: string; url: string; headers: Record<string, string> };
    assert.equal(body.method, 'GET');
    assert.equal(body.url, '/echo?source=google_drive&limit=2');
    assert.equal(body.headers['x-forwarded-prefix'], '/api');
    // daprd appends its own host to X-Forwarded-Host; the first entry is the one the browser used.
    assert.equal(body.headers['x-forwarded-host']?.split(',')[0], `127.0.0.1:${portOf(gateway)}`, JSON.stringify(body.headers));
  });

  test('a 5 MB upload crosses both sidecars byte for byte', async () => {
    const payload = randomBytes(5 * 1024 * 1024);
    const answer = await fetch(`${base}/api/upload`, { method: 'POST', body: payload, headers: { 'content-type': 'text/csv' } });
    assert.equal(answer.status, 201);
    assert.deepEqual(await answer.json(), { bytes: payload.length, md5: createHash('md5').update(payload).digest('hex'), contentType: 'text/csv' });
  });

  test("the api's own 4xx comes back unchanged", async () => {
    const answer = await fetch(`${base}/api/nowhere`);
    assert.equal(answer.status, 404);
    assert.deepEqual(await answer.json(), { error: { code: 'not_found', message: 'no route GET /nowhere' } });
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

  test('hashed assets are cached for good, and a missing asset is a 404, not index.html', async () => {
    const asset = await fetch(`${base}/assets/index-abc123.js`);
    assert.equal(asset.status, 200);
    assert.match(asset.headers.get('cache-control') ?? '', /immutable/);
    const missing = await fetch(`${base}/assets/gone-123.js`);
    assert.equal(missing.status, 404);
  });
});
