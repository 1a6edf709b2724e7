import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RequestBudget } from './request-budget.js';
import { SourceError, type SourceErrorKind } from './source-error.js';
import { RetryPolicy, type RetryOptions } from './retry-policy.js';

function harness(options: Partial<RetryOptions> = {}) {
  const log: string[] = [];
  const sleeps: number[] = [];
  const throttles: number[] = [];
  const budget: RequestBudget = {
    acquire: async () => void log.push('acquire'),
    throttle: (ms) => void throttles.push(ms),
  };
  const policy = new RetryPolicy(budget, (e) => (e instanceof SourceError ? e : new SourceError('fatal', 'unexpected', String(e))), {
    baseDelayMs: 100,
    maxDelayMs: 1000,
    maxAttempts: 5,
    random: () => 0.5,
    sleep: async (ms) => void sleeps.push(ms),
    ...options,
  });
  return { policy, log, sleeps, throttles };
}

/** An operation that fails with the given errors, in order, then answers 'ok'. */
function failing(...errors: SourceError[]) {
  let calls = 0;
  const operation = async (attempt: number) => {
    calls += 1;
    assert.equal(attempt, calls, 'attempts are numbered from 1');
    const error = errors[calls - 1];
    if (error) throw error;
    return 'ok';
  };
  return { operation, calls: () => calls };
}

const err = (kind: SourceErrorKind, retryAfterMs?: number) => new SourceError(kind, kind, kind, retryAfterMs === undefined ? {} : { retryAfterMs });

describe('RetryPolicy', () => {
  test('retries transient errors with exponential, jittered, capped waits and a budget token before every attempt', async () => {
    const { policy, log, sleeps, throttles } = harness();
    const op = failing(err('transient'), err('transient'), err('transient'), err('transient'));
    assert.equal(await policy.run(op.operation), 'ok');
    assert.equal(op.calls(), 5);
    // random 0.5 of min(1000, 100 * 2^(n-1)): 50, 100, 200, 400.
    assert.deepEqual(sleeps, [50, 100, 200, 400]);
    assert.deepEqual(log, ['acquire', 'acquire', 'acquire', 'acquire', 'acquire']);
    assert.deepEqual(throttles, [], 'transient errors do not throttle everyone');
  });

  test('the cap holds however many attempts', () => {
    const { policy } = harness({ random: () => 0.999 });
    assert.equal(policy.delayFor(20, err('transient')), 999);
  });

  test('full jitter: random 0 means no wait, random near 1 means the whole ceiling', () => {
    assert.equal(harness({ random: () => 0 }).policy.delayFor(3, err('transient')), 0);
    assert.equal(harness({ random: () => 0.99 }).policy.delayFor(3, err('transient')), 396);
  });

  test('a longer Retry-After wins over the backoff and throttles the shared budget by that much', async () => {
    const { policy, sleeps, throttles } = harness();
    const op = failing(err('rate_limited', 700), err('rate_limited'));
    assert.equal(await policy.run(op.operation), 'ok');
    assert.deepEqual(sleeps, [700, 100]);
    assert.deepEqual(throttles, [700, 100]);
  });

  test('a shorter Retry-After does not shorten the backoff', () => {
    assert.equal(harness({ random: () => 0.9 }).policy.delayFor(4, err('rate_limited', 10)), 720);
  });

  for (const kind of ['not_found', 'file_unavailable', 'fatal'] as const) {
    test(`${kind} is thrown at once, without waiting`, async () => {
      const { policy, sleeps } = harness();
      const original = err(kind);
      const op = failing(original);
      await assert.rejects(policy.run(op.operation), (e) => e === original);
      assert.equal(op.calls(), 1);
      assert.deepEqual(sleeps, []);
    });
  }

  test('gives up after maxAttempts with the last error\'s kind and reason, saying how many attempts', async () => {
    const { policy, sleeps } = harness({ maxAttempts: 3 });
    const op = failing(err('transient'), err('transient'), err('rate_limited', 5), err('transient'));
    await assert.rejects(policy.run(op.operation), (e: unknown) => {
      assert.ok(e instanceof SourceError);
      assert.equal(e.kind, 'rate_limited');
      assert.equal(e.details.retryAfterMs, 5);
      assert.match(e.message, /gave up after 3 attempts/);
      return true;
    });
    assert.equal(op.calls(), 3);
    assert.equal(sleeps.length, 2);
  });

  test('a Retry-After beyond maxRetryAfterMs goes to the caller instead of blocking here', async () => {
    const { policy, sleeps } = harness({ maxRetryAfterMs: 1000 });
    const op = failing(err('rate_limited', 60_000));
    await assert.rejects(policy.run(op.operation), (e: unknown) => e instanceof SourceError && e.details.retryAfterMs === 60_000);
    assert.deepEqual(sleeps, []);
  });

  test('errors that are not SourceErrors go through the classifier', async () => {
    const { policy } = harness();
    await assert.rejects(
      policy.run(async () => {
        throw new Error('boom');
      }),
      (e: unknown) => e instanceof SourceError && e.kind === 'fatal' && e.message === 'Error: boom',
    );
  });

  test('onRetry sees every wait', async () => {
    const seen: number[] = [];
    const { policy } = harness({ onRetry: ({ attempt }) => void seen.push(attempt) });
    await policy.run(failing(err('transient'), err('transient')).operation);
    assert.deepEqual(seen, [1, 2]);
  });
});
