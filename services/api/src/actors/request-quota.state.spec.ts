import assert from 'node:assert/strict';
import { test } from 'node:test';
import { initialQuota, lease, type QuotaLimits, throttle } from './request-quota.state.js';

const limits: QuotaLimits = { maxRate: 100, minRate: 5, recoveryPerSecond: 0.1 };

test('a fresh quota grants one second of requests, then refills at the rate', () => {
  let state = initialQuota(limits, 0);
  const first = lease(state, limits, 80, 0);
  assert.equal(first.granted, 80);
  const second = lease(first.state, limits, 80, 0);
  assert.equal(second.granted, 20, 'only what is left');
  const empty = lease(second.state, limits, 10, 0);
  assert.deepEqual([empty.granted, empty.retryAfterMs], [0, 10], 'one token arrives 10 ms later at 100/s');
  state = lease(empty.state, limits, 50, 500).state;
  assert.ok(Math.abs(state.tokens) < 1e-9, 'half a second at 100/s refilled 50 tokens, all granted');
});

test('a throttle pauses everyone, halves the rate, and the rate recovers while no further throttle comes', () => {
  const start = initialQuota(limits, 0);
  const slowed = throttle(start, limits, 2_000, 0);
  assert.deepEqual(lease(slowed, limits, 10, 1_000), { state: slowed, granted: 0, retryAfterMs: 1_000 });
  assert.equal(slowed.rate, 50);
  const afterPause = lease(slowed, limits, 1000, 3_000);
  assert.ok(afterPause.granted > 0 && afterPause.granted <= 60, `granted ${afterPause.granted} after the pause, at the lower rate`);
  const later = lease(afterPause.state, limits, 1000, 13_000);
  assert.equal(later.state.rate, 100, 'back at the full rate ten seconds later');
});

test('repeated throttles never take the rate below its floor', () => {
  let state = initialQuota(limits, 0);
  for (let i = 0; i < 20; i++) state = throttle(state, limits, 10, i);
  assert.equal(state.rate, limits.minRate);
});
