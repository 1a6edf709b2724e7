import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Request } from 'express';
import { isSameOrigin } from './same-origin.js';

const request = (headers: Record<string, string>, protocol = 'http') =>
  ({ protocol, get: (name: string) => headers[name.toLowerCase()] }) as unknown as Request;

const direct = { host: '127.0.0.1:3000' };
const gateway = { host: '127.0.0.1:3000', 'x-forwarded-host': 'importer.example', 'x-forwarded-proto': 'https', 'x-forwarded-prefix': '/api' };

test('an Origin equal to the origin the request reached is the site itself', () => {
  assert.equal(isSameOrigin(request({ ...direct, origin: 'http://127.0.0.1:3000' })), true);
  assert.equal(isSameOrigin(request({ host: 'localhost:8080', origin: 'http://localhost:8080' })), true);
});

test('an Origin differing in scheme, host or port is another site', () => {
  for (const origin of ['https://127.0.0.1:3000', 'http://127.0.0.1:3001', 'http://localhost:3000', 'https://evil.example', 'http://127.0.0.1:3000.evil.example']) {
    assert.equal(isSameOrigin(request({ ...direct, origin })), false, origin);
  }
});

test('Origin "null" (a sandboxed frame, a data: URL, some redirects) is never the site', () => {
  assert.equal(isSameOrigin(request({ ...direct, origin: 'null' })), false);
  assert.equal(isSameOrigin(request({ ...direct, origin: 'null', 'sec-fetch-site': 'same-origin' })), false);
});

test('through the gateway, the site is the forwarded host and scheme, whatever the prefix', () => {
  assert.equal(isSameOrigin(request({ ...gateway, origin: 'https://importer.example' })), true);
  assert.equal(isSameOrigin(request({ ...gateway, origin: 'http://importer.example' })), false);
  assert.equal(isSameOrigin(request({ ...gateway, origin: 'http://127.0.0.1:3000' })), false, 'the direct address is not the site behind a gateway');
  assert.equal(isSameOrigin(request({ ...gateway, 'x-forwarded-host': 'importer.example:443', origin: 'https://importer.example' })), true, 'the default port');
});

test('without an Origin, Sec-Fetch-Site decides: same-origin and none pass, same-site and cross-site do not', () => {
  assert.equal(isSameOrigin(request({ ...direct, 'sec-fetch-site': 'same-origin' })), true);
  assert.equal(isSameOrigin(request({ ...direct, 'sec-fetch-site': 'none' })), true);
  assert.equal(isSameOrigin(request({ ...direct, 'sec-fetch-site': 'same-site' })), false);
  assert.equal(isSameOrigin(request({ ...direct, 'sec-fetch-site': 'cross-site' })), false);
});

test('with neither, the request comes from no browser (curl, a script) and passes', () => {
  assert.equal(isSameOrigin(request(direct)), true);
});

test('a Host that makes no URL is not the site: refused, not thrown', () => {
  assert.equal(isSameOrigin(request({ host: 'a b', origin: 'http://a b' })), false);
});
