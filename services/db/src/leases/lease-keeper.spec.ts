import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LeaseLost, leaseKeeperFor, leaseName, splitLeaseName } from './lease-keeper.js';

const log = { warn: () => {} };
const settings = { lease: { holder: 'me', ttlMs: 15_000 }, renewIntervalMs: 60_000 };

test("a renewal round renews every held lease through the repository, and aborts the work of those it no longer holds", async () => {
  const asked: unknown[] = [];
  const keeper = leaseKeeperFor(async (holder, ttlMs, pairs) => (asked.push([holder, ttlMs, pairs]), pairs.filter(([, id]) => id !== 'taken')), settings, log);
  const kept = keeper.hold(leaseName('job', 'kept'));
  const taken = keeper.hold(leaseName('job', 'taken'));
  await keeper.renewAll();
  assert.deepEqual(asked, [['me', 15_000, [['job', 'kept'], ['job', 'taken']]]]);
  assert.equal(kept.aborted, false);
  assert.ok(taken.aborted && taken.reason instanceof LeaseLost);
  assert.equal(keeper.size, 1, 'a lost lease is no longer renewed');
  keeper.release(leaseName('job', 'kept'));
  assert.equal(keeper.size, 0);
});

test('a round that fails aborts nothing (the next may still renew in time); a lease released meanwhile is not called lost', async () => {
  let fail = true;
  let release: () => void = () => {};
  const keeper = leaseKeeperFor(async () => {
    if (fail) throw new Error('database away');
    release();
    return [];
  }, settings, log);
  const signal = keeper.hold(leaseName('job', 'a'));
  await keeper.renewAll();
  assert.equal(signal.aborted, false);
  fail = false;
  release = () => keeper.release(leaseName('job', 'a'));
  await keeper.renewAll();
  assert.equal(signal.aborted, false, 'its outcome was recorded while the round ran');
});

test('a lease name splits back into its job and id, and two jobs never share one', () => {
  assert.deepEqual(splitLeaseName(leaseName('job-1', 'id:with/slashes')), ['job-1', 'id:with/slashes']);
  assert.notEqual(leaseName('a', 'bc'), leaseName('ab', 'c'));
});
