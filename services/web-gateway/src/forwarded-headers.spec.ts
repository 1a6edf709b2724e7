import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forwardedRequestHeaders, returnedResponseHeader } from './forwarded-headers.js';

const names = (headers: Headers) => [...headers.keys()].sort();

test('ordinary headers pass', () => {
  const headers = forwardedRequestHeaders({ accept: 'application/json', 'content-type': 'text/csv', cookie: 'a=b', range: 'bytes=0-9', 'user-agent': 'curl' });
  assert.deepEqual(names(headers), ['accept', 'content-type', 'cookie', 'range', 'user-agent']);
});

test("dapr-* headers, Basic credentials, hop-by-hop and the gateway's own forwarding headers never reach the sidecar", () => {
  const headers = forwardedRequestHeaders({
    'dapr-app-id': 'lister',
    'dapr-api-token': 'guess',
    'dapr-caller-app-id': 'api',
    authorization: `Basic ${Buffer.from('dapr-app-id:lister').toString('base64')}`,
    connection: 'keep-alive, x-secret',
    'x-secret': 'named by connection',
    'keep-alive': 'timeout=5',
    'transfer-encoding': 'chunked',
    te: 'trailers',
    upgrade: 'websocket',
    host: 'evil.example',
    'content-length': '12',
    'x-forwarded-host': 'evil.example',
    'x-forwarded-prefix': '//evil.example',
    forwarded: 'for=1.2.3.4',
    accept: '*/*',
  });
  assert.deepEqual(names(headers), ['accept']);
});

test('a Bearer credential (API keys) passes', () => {
  assert.equal(forwardedRequestHeaders({ authorization: 'Bearer abc' }).get('authorization'), 'Bearer abc');
});

test("answers keep their headers but the sidecar's own and hop-by-hop ones", () => {
  assert.equal(returnedResponseHeader('content-type'), true);
  assert.equal(returnedResponseHeader('content-range'), true);
  assert.equal(returnedResponseHeader('transfer-encoding'), false);
  assert.equal(returnedResponseHeader('dapr-content-length'), false);
});
