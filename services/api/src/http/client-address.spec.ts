import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Request } from 'express';
import { CLIENT_ADDRESS_HEADER, clientAddressOf } from './client-address.js';

const request = (headers: Record<string, string>, socket: { remoteAddress?: string } = { remoteAddress: '10.1.2.3' }) =>
  ({ get: (name: string) => headers[name.toLowerCase()], socket }) as unknown as Request;

const viaSidecar = clientAddressOf(() => true);
const direct = clientAddressOf(() => false);

test('through its own sidecar, the gateway’s X-Real-IP is the address, IPv4 or IPv6, spaces trimmed', () => {
  assert.equal(CLIENT_ADDRESS_HEADER, 'x-real-ip');
  assert.equal(viaSidecar(request({ 'x-real-ip': '203.0.113.7' })), '203.0.113.7');
  assert.equal(viaSidecar(request({ 'x-real-ip': ' 2001:db8::1 ' })), '2001:db8::1');
});

test('from anywhere but its own sidecar, X-Real-IP is not believed: the socket’s peer is the address', () => {
  assert.equal(direct(request({ 'x-real-ip': '203.0.113.7' })), '10.1.2.3');
});

test('an X-Real-IP that is not one IP address is ignored, even from its own sidecar', () => {
  for (const told of ['203.0.113.7, 198.51.100.1', 'evil.example', '203.0.113.7:443', '', '   ', '::ffff:999.1.1.1']) {
    assert.equal(viaSidecar(request({ 'x-real-ip': told })), '10.1.2.3', JSON.stringify(told));
  }
});

test('the sidecar check sees the request itself, and no header means the socket’s peer', () => {
  const seen: Request[] = [];
  const address = clientAddressOf((req) => (seen.push(req), req.get('dapr-api-token') === 'own'));
  const own = request({ 'x-real-ip': '203.0.113.7', 'dapr-api-token': 'own' });
  assert.equal(address(own), '203.0.113.7');
  assert.equal(address(request({ 'x-real-ip': '203.0.113.7', 'dapr-api-token': 'other' })), '10.1.2.3');
  assert.equal(seen[0], own);
  assert.equal(viaSidecar(request({})), '10.1.2.3');
});

test('a socket already closed has no peer: all such requests share one "unknown" count', () => {
  assert.equal(direct(request({}, {})), 'unknown');
  assert.equal(viaSidecar(request({ 'x-real-ip': 'not-an-ip' }, {})), 'unknown');
});
