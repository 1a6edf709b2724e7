import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConcurrencyLimit } from './concurrency-limit.js';

test('refuses past the bound and frees a slot on release, once per release', () => {
  const limit = new ConcurrencyLimit(2);
  const a = limit.tryAcquire();
  const b = limit.tryAcquire();
  assert.ok(a && b);
  assert.equal(limit.tryAcquire(), undefined);
  a();
  a();
  assert.equal(limit.inUse, 1);
  assert.ok(limit.tryAcquire());
  assert.equal(limit.tryAcquire(), undefined);
});
