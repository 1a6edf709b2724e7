import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalTarget } from './public-path.js';

test('a plain path and its query pass as they are; one trailing slash is dropped', () => {
  assert.deepEqual(canonicalTarget('/import/jobs?limit=5&cursor=abc'), { path: '/import/jobs', query: '?limit=5&cursor=abc' });
  assert.deepEqual(canonicalTarget('/images/'), { path: '/images', query: '' });
});

test('traversal in every spelling is refused, not decoded', () => {
  for (const target of [
    '/../../../../v1.0/metadata',
    '/import/../../v1.0/metadata',
    '/./import/jobs',
    '/import/jobs/.',
    '/%2e%2e/%2e%2e/v1.0/metadata',
    '/%2E%2E/v1.0/metadata',
    '/..%2f..%2fv1.0%2fmetadata',
    '/import%2Fjobs',
    '/..\\..\\v1.0\\metadata',
    '/..%5c..%5cv1.0',
    '/../../http%3A%2F%2F127.0.0.1%3A3500/method/v1.0/secrets/secretstore/S3_SECRET_KEY',
    '//import/jobs',
    '/import//jobs',
    'import/jobs',
    '/images/\u0000',
    '/images/é',
  ]) {
    assert.equal(canonicalTarget(target), undefined, target);
  }
});

test('the query is not the path: dots and escapes in it do not matter', () => {
  assert.deepEqual(canonicalTarget('/images?cursor=..%2F..'), { path: '/images', query: '?cursor=..%2F..' });
});
