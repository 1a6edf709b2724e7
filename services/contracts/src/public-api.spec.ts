import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PUBLIC_JSON_MAX_BYTES, URL_LIST_CSV_MAX_BYTES } from './limits.js';
import { accessControlOperations, allowedMethods, expressPath, matchPublicRoute, maxBodyBytes, PublicRoutes } from './public-api.js';

const JOB = '0b5c9a52-3f0e-4c4e-9a43-0d0e1f2a3b4c';

test('every route of the table matches its own path, with parameters filled in', () => {
  for (const [name, route] of Object.entries(PublicRoutes)) {
    assert.equal(matchPublicRoute(route.method, route.path.replace(/\{\w+\}/g, JOB)), name, route.path);
  }
});

test('methods, lengths and literal segments must all match; HEAD is a GET', () => {
  assert.equal(matchPublicRoute('GET', `/import/jobs/${JOB}`), 'getJob');
  assert.equal(matchPublicRoute('HEAD', `/images/${JOB}/content`), 'getImageContent');
  assert.equal(matchPublicRoute('DELETE', `/import/jobs/${JOB}`), undefined);
  assert.equal(matchPublicRoute('GET', '/import/google-drive'), undefined);
  assert.equal(matchPublicRoute('POST', `/import/jobs/${JOB}/delete`), undefined);
  assert.equal(matchPublicRoute('GET', `/import/jobs/${JOB}/files/extra`), undefined);
  assert.equal(matchPublicRoute('GET', '/ready'), undefined);
  assert.equal(matchPublicRoute('GET', '/metrics'), undefined);
  assert.equal(matchPublicRoute('GET', '/dapr/subscribe'), undefined);
  assert.equal(matchPublicRoute('PUT', `/actors/ImportJob/${JOB}/method/get`), undefined);
});

test('a parameter is one plain segment: no dot segments, no encoded bytes, no separators, not empty', () => {
  for (const bad of ['..', '.', '%2e%2e', 'a%2fb', 'a\\b', '', 'x'.repeat(129)]) {
    assert.equal(matchPublicRoute('GET', `/import/jobs/${bad}`), undefined, bad);
  }
  assert.equal(matchPublicRoute('GET', '/import/jobs/not-a-uuid'), 'getJob', 'the API answers a bad id itself');
});

test('allowed methods of a path, for a 405', () => {
  assert.deepEqual(allowedMethods(`/import/jobs/${JOB}/cancel`), ['POST']);
  assert.deepEqual(allowedMethods('/import/jobs'), ['GET']);
  assert.deepEqual(allowedMethods('/nope'), []);
});

test('express paths name the same parameters', () => {
  assert.equal(expressPath(PublicRoutes.listJobFiles), '/import/jobs/:job_id/files');
  assert.equal(expressPath(PublicRoutes.health), '/health');
});

test('access-control operations: literal starts, none inside another, carrying every method under them', () => {
  assert.deepEqual(accessControlOperations(), [
    { name: '/account', httpVerb: ['GET', 'HEAD', 'POST'] },
    { name: '/admin/users', httpVerb: ['GET', 'HEAD', 'POST'] },
    { name: '/auth/oidc/callback', httpVerb: ['GET', 'HEAD'] },
    { name: '/auth/oidc/start', httpVerb: ['GET', 'HEAD'] },
    { name: '/auth/setup', httpVerb: ['POST'] },
    { name: '/auth/sign-in', httpVerb: ['POST'] },
    { name: '/auth/sign-out', httpVerb: ['POST'] },
    { name: '/auth/sign-up', httpVerb: ['POST'] },
    { name: '/auth/status', httpVerb: ['GET', 'HEAD'] },
    { name: '/health', httpVerb: ['GET', 'HEAD'] },
    { name: '/images', httpVerb: ['GET', 'HEAD'] },
    { name: '/import/dropbox', httpVerb: ['POST'] },
    { name: '/import/google-drive', httpVerb: ['POST'] },
    { name: '/import/jobs', httpVerb: ['GET', 'HEAD', 'POST'] },
    { name: '/import/urls', httpVerb: ['POST'] },
    { name: '/openapi.json', httpVerb: ['GET', 'HEAD'] },
  ]);
});

test('a body is bounded by its route: a CSV of URLs streams up to its own limit, everything else is a JSON body at most', () => {
  assert.equal(maxBodyBytes('importUrls'), URL_LIST_CSV_MAX_BYTES);
  assert.equal(maxBodyBytes('importGoogleDrive'), PUBLIC_JSON_MAX_BYTES);
  assert.equal(maxBodyBytes('cancelJob'), PUBLIC_JSON_MAX_BYTES);
});
