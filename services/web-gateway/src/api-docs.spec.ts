import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { matchPublicRoute } from '@importer/contracts';
import { DOCS_PATH } from './api-docs.js';
import { API_MOUNT_PATH, buildWebApp } from './app.js';

let server: Server;
let base = '';

before(async () => {
  const app = buildWebApp({ staticDir: '/nonexistent/web-dist', api: (_req, res) => void res.status(404).json({ error: { code: 'not_found', message: 'stub' } }) });
  server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => server.close());

const attributes = (html: string, tag: string, name: string) => [...html.matchAll(new RegExp(`<${tag}\\b[^>]*\\b${name}="([^"]*)"`, 'g'))].map(([, value]) => value ?? '');
/** A reference that stays on the page's origin: an absolute path, not `//host` or a scheme. */
const sameOrigin = (reference: string) => /^\/(?!\/)/.test(reference);

test('/docs is an HTML page under the same CSP as the SPA: scripts from this origin only, none inline', async () => {
  const answer = await fetch(`${base}${DOCS_PATH}`);
  assert.equal(answer.status, 200);
  assert.match(answer.headers.get('content-type') ?? '', /^text\/html/);
  assert.equal(answer.headers.get('x-content-type-options'), 'nosniff');
  const csp = answer.headers.get('content-security-policy') ?? '';
  assert.equal(csp, (await fetch(`${base}/jobs`)).headers.get('content-security-policy'), 'the policy is not relaxed for /docs');
  assert.match(csp, /(^|; )script-src 'self'(;|$)/);
  assert.doesNotMatch(csp, /unsafe-eval/);
  const html = await answer.text();
  assert.match(html, /<title>[^<]*API reference<\/title>/);
  for (const [, body] of html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)) assert.equal(body?.trim(), '', 'no inline script');
  assert.doesNotMatch(html, /<style\b|\sstyle=|\son\w+=/, 'no inline style or event handler');
  assert.equal((await fetch(`${base}${DOCS_PATH}/`)).status, 200, 'with a trailing slash too');
});

test('every script, stylesheet and icon of the page loads from this origin, and none of them reaches another', async () => {
  const html = await (await fetch(`${base}${DOCS_PATH}`)).text();
  const scripts = attributes(html, 'script', 'src');
  const links = attributes(html, 'link', 'href');
  assert.deepEqual(scripts, [`${DOCS_PATH}/swagger-ui-bundle.js`, `${DOCS_PATH}/swagger-initializer.js`]);
  assert.equal(links.filter((href) => href.endsWith('.css')).length, 2);
  assert.doesNotMatch(html, /\/\/|https?:/, 'no other origin, no scheme');
  const expected: [RegExp, string[]][] = [
    [/^text\/javascript/, scripts],
    [/^text\/css/, links.filter((href) => href.endsWith('.css'))],
    [/^image\/png/, links.filter((href) => href.endsWith('.png'))],
  ];
  for (const [type, references] of expected) {
    for (const reference of references) {
      assert.ok(sameOrigin(reference), reference);
      const answer = await fetch(`${base}${reference}`);
      assert.equal(answer.status, 200, reference);
      assert.match(answer.headers.get('content-type') ?? '', type, reference);
      const body = await answer.text();
      assert.ok(body.length > 0, reference);
      if (reference.endsWith('.css')) {
        for (const [, url] of body.matchAll(/url\(\s*["']?([^"')\s]+)/g)) assert.ok(url?.startsWith('data:') || sameOrigin(url ?? ''), `${reference} loads ${url?.slice(0, 80)}`);
        assert.doesNotMatch(body, /@import/, `${reference} imports no other stylesheet`);
      }
    }
  }
});

test("the initializer points Swagger UI at the API's document through the gateway, and asks no validator", async () => {
  const script = await (await fetch(`${base}${DOCS_PATH}/swagger-initializer.js`)).text();
  const url = /url: "([^"]+)"/.exec(script)?.[1] ?? '';
  assert.equal(url, `${API_MOUNT_PATH}/openapi.json`);
  assert.equal(matchPublicRoute('GET', url.slice(API_MOUNT_PATH.length)), 'openApi', 'the gateway forwards it');
  assert.match(script, /validatorUrl: null/);
  assert.doesNotMatch(script, /\/\/|https?:/, 'no other origin');
});

test('nothing else of swagger-ui-dist is served (its own index.html would load the petstore), and an unknown file is a 404', async () => {
  for (const path of ['index.html', 'swagger-ui.js.map', 'package.json', 'oauth2-redirect.html', 'nope.js']) {
    const answer = await fetch(`${base}${DOCS_PATH}/${path}`);
    assert.equal(answer.status, 404, path);
    assert.doesNotMatch(await answer.text(), /<html/i, path);
  }
});
