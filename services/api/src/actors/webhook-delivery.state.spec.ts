import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isDue, newDelivery, recordAttempt, reminderPeriodMs, retryDelayMs, type WebhookRetryPolicy } from './webhook-delivery.state.js';

const policy: WebhookRetryPolicy = { baseDelayMs: 1_000, maxDelayMs: 8_000, maxAttempts: 5 };
const refused = (retryable: boolean) => ({ delivered: false as const, retryable, reason: 'the receiver answered 503' });

test('a new webhook is due; a delivered or given-up one, or none, is not', () => {
  const delivery = newDelivery('https://hooks.example/1');
  assert.deepEqual(delivery, { url: 'https://hooks.example/1', attempts: 0, status: 'pending', lastError: null });
  assert.equal(isDue(delivery), true);
  assert.equal(isDue(undefined), false);
  assert.equal(isDue({ ...delivery, status: 'delivered' }), false);
  assert.equal(isDue({ ...delivery, status: 'given_up' }), false);
});

test('a delivered attempt ends the delivery and clears the last error', () => {
  const result = recordAttempt({ ...newDelivery('https://hooks.example/1'), attempts: 2, lastError: 'timeout' }, { delivered: true, status: 204 }, policy);
  assert.deepEqual(result, { delivery: { url: 'https://hooks.example/1', attempts: 3, status: 'delivered', lastError: null }, next: 'stop' });
});

test('a retryable refusal keeps the delivery pending and waits twice as long each time, up to the cap', () => {
  let delivery = newDelivery('https://hooks.example/1');
  const waits: number[] = [];
  for (let i = 0; i < 4; i++) {
    const result = recordAttempt(delivery, refused(true), policy);
    assert.equal(result.next, 'retry');
    if (result.next === 'retry') waits.push(result.delayMs);
    delivery = result.delivery;
  }
  assert.deepEqual(waits, [1_000, 2_000, 4_000, 8_000]);
  assert.deepEqual([delivery.status, delivery.attempts, delivery.lastError], ['pending', 4, 'the receiver answered 503']);
  assert.equal(retryDelayMs(10, policy), 8_000, 'capped');
});

test('the last attempt allowed, or a final refusal, gives the delivery up with the reason', () => {
  const last = recordAttempt({ ...newDelivery('https://hooks.example/1'), attempts: 4 }, refused(true), policy);
  assert.deepEqual([last.next, last.delivery.status, last.delivery.attempts], ['stop', 'given_up', 5]);
  const final = recordAttempt(newDelivery('https://hooks.example/1'), { delivered: false, retryable: false, reason: 'the receiver answered 410' }, policy);
  assert.deepEqual([final.next, final.delivery.status, final.delivery.lastError], ['stop', 'given_up', 'the receiver answered 410']);
});

test('the reminder comes back at most every minute, sooner when retries are shorter', () => {
  assert.equal(reminderPeriodMs(policy), 8_000);
  assert.equal(reminderPeriodMs({ ...policy, maxDelayMs: 3_600_000 }), 60_000);
});
