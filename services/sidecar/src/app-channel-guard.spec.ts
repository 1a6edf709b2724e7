import assert from 'node:assert/strict';
import { once } from 'node:events';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import express from 'express';
import { appChannelGuard } from './app-channel-guard.js';

const TOKEN = 'app-token-0123456789abcdef';
let base = '';
let server: ReturnType<express.Express['listen']>;
let bodiesRead = 0;

before(async () => {
  const app = express();
  app.use(appChannelGuard({ appApiToken: TOKEN, isOpen: (method, path) => method === 'GET' && path === '/health', actorMethods: { Counter: ['add'] } }));
  app.use((req, _res, next) => {
    req.on('data', () => bodiesRead++);
    next();
  });
  app.get('/health', (_req, res) => void res.send('ok'));
  app.get('/dapr/subscribe', (_req, res) => void res.json([]));
  app.put('/actors/:type/:id/method/:name', (req, res) => void res.json({ called: req.params.name }));
  app.put('/actors/:type/:id/method/remind/:name', (_req, res) => void res.send('reminded'));
  app.post('/pubsub--files-found--default', (_req, res) => void res.json({ status: 'SUCCESS' }));
  server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => server.close());

const call = (method: string, path: string, headers: Record<string, string> = {}) => fetch(`${base}${path}`, { method, headers });

test('open routes answer anyone', async () => {
  assert.equal((await call('GET', '/health')).status, 200);
});

test('the SDK routes answer 401 without the sidecar token, and with a wrong one', async () => {
  for (const [method, path] of [['GET', '/dapr/subscribe'], ['GET', '/dapr/config'], ['PUT', '/actors/Counter/1/method/add'], ['POST', '/pubsub--files-found--default'], ['GET', '/healthz']]) {
    const answer = await call(method ?? '', path ?? '');
    assert.equal(answer.status, 401, `${method} ${path}`);
    assert.equal(((await answer.json()) as { error: { code: string } }).error.code, 'unauthorized');
    assert.equal((await call(method ?? '', path ?? '', { 'dapr-api-token': `${TOKEN}x` })).status, 401);
  }
});

test('with the token the SDK routes answer, and actors only for listed methods', async () => {
  const token = { 'dapr-api-token': TOKEN };
  assert.equal((await call('GET', '/dapr/subscribe', token)).status, 200);
  assert.equal((await call('POST', '/pubsub--files-found--default', token)).status, 200);
  assert.deepEqual(await (await call('PUT', '/actors/Counter/1/method/add', token)).json(), { called: 'add' });
  assert.equal((await call('PUT', '/actors/Counter/1/method/receiveReminder', token)).status, 404);
  assert.equal((await call('PUT', '/actors/Counter/1/method/getStateManager', token)).status, 404);
  assert.equal((await call('PUT', '/actors/Other/1/method/add', token)).status, 404);
  assert.equal((await call('PUT', '/actors/Counter/1/method/remind/watchdog', token)).status, 200, 'reminders have their own route');
});

test('any other path is a 404, whatever the token', async () => {
  assert.equal((await call('POST', '/nope')).status, 404);
  assert.equal((await call('GET', '/metrics')).status, 404);
});

test('a refused request is answered before its body is read, and no handler reads it', async () => {
  const before = bodiesRead;
  const answer = await new Promise<{ status: number }>((resolve, reject) => {
    const req = httpRequest(`${base}/pubsub--files-found--default`, { method: 'POST', headers: { 'content-type': 'application/cloudevents+json', 'content-length': String(50 * 1024 * 1024) } }, (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0 });
      req.destroy();
    });
    req.on('error', () => undefined);
    // 64 KiB of the 50 MB announced: the answer comes without waiting for the rest.
    req.write(Buffer.alloc(64 * 1024));
    setTimeout(() => reject(new Error('no answer before the body was sent')), 5_000).unref();
  });
  assert.equal(answer.status, 401);
  assert.equal(bodiesRead, before);
});
