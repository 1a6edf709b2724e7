import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isLoopbackHost, issuerUrlProblem } from './oidc-issuer.js';

describe('oidc issuer URL', () => {
  test('https is taken on any host, with or without a path', () => {
    for (const url of ['https://accounts.google.com', 'https://sso.example.org/realms/importer', 'https://auth.example.org/application/o/importer/']) {
      assert.equal(issuerUrlProblem(url), undefined, url);
    }
  });

  test('plain http is taken only on a loopback host', () => {
    for (const url of ['http://127.0.0.1:5556/dex', 'http://localhost:8080', 'http://LOCALHOST', 'http://127.9.8.7', 'http://[::1]:9000']) {
      assert.equal(issuerUrlProblem(url), undefined, url);
    }
    for (const url of ['http://sso.example.org', 'http://10.0.0.5:8080', 'http://128.0.0.1', 'http://localhost.example.org', 'http://[::2]', 'http://127.0.0.1.nip.io']) {
      assert.match(issuerUrlProblem(url) ?? '', /must use https unless the host is a loopback address/, url);
    }
  });

  test('other schemes, a query, a fragment or no URL at all are refused', () => {
    assert.equal(issuerUrlProblem('ftp://example.org'), 'must be an https URL');
    assert.equal(issuerUrlProblem('https://example.org/?tenant=1'), 'must not carry a query or fragment');
    assert.equal(issuerUrlProblem('https://example.org/#x'), 'must not carry a query or fragment');
    assert.equal(issuerUrlProblem('example.org'), 'is not a URL');
  });

  test('a loopback host is localhost, 127.0.0.0/8 or ::1 as a URL spells them', () => {
    assert.equal(isLoopbackHost(new URL('http://127.1').hostname), true, 'the URL parser spells 127.1 as 127.0.0.1');
    assert.equal(isLoopbackHost(new URL('http://[0:0:0:0:0:0:0:1]').hostname), true);
    assert.equal(isLoopbackHost('::1'), false, 'an unbracketed address is not a URL hostname');
    assert.equal(isLoopbackHost('0.0.0.0'), false);
  });
});
