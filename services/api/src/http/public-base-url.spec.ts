import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Request } from 'express';
import { publicBaseUrl } from './public-base-url.js';

const request = (headers: Record<string, string>, protocol = 'http') =>
  ({ protocol, get: (name: string) => headers[name.toLowerCase()] }) as unknown as Request;

test('a direct request gets URLs on the host it used', () => {
  assert.equal(publicBaseUrl(request({ host: '127.0.0.1:3000' })), 'http://127.0.0.1:3000');
});

test('through the gateway and daprd, the first forwarded host and the prefix win', () => {
  const headers = { host: '127.0.0.1:3000', 'x-forwarded-host': 'photos.example.com, vm', 'x-forwarded-proto': 'https', 'x-forwarded-prefix': '/api' };
  assert.equal(publicBaseUrl(request(headers)), 'https://photos.example.com/api');
});

test('forwarded values that are not a host, a scheme or a path are ignored', () => {
  const headers = { host: 'api:3000', 'x-forwarded-host': 'evil.com/"><script>', 'x-forwarded-proto': 'javascript', 'x-forwarded-prefix': '//evil.com' };
  assert.equal(publicBaseUrl(request(headers)), 'http://api:3000');
});

test('a Host that is not a plain host name is not written into URLs', () => {
  assert.equal(publicBaseUrl(request({ host: 'a b' })), 'http://localhost');
  assert.equal(publicBaseUrl(request({ host: 'evil.com/"><script>' })), 'http://localhost');
});
