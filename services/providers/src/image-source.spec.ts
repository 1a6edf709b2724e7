import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { abortableRetry, untilAborted } from './image-source.js';
import type { RequestBudget } from './request-budget.js';
import { SourceError } from './source-error.js';

const reason = () => new SourceError('transient', 'download_timeout', 'the download took longer than 1 s');
const classify = (error: unknown) => (error instanceof SourceError ? error : new SourceError('transient', 'network', String(error)));
const never = <T>() => new Promise<T>(() => {});

describe('aborting a source call', () => {
  test('untilAborted settles as the work does, or with the reason once the signal aborts', async () => {
    assert.equal(await untilAborted(Promise.resolve(1), new AbortController().signal), 1);
    assert.equal(await untilAborted(Promise.resolve(2), undefined), 2);
    const controller = new AbortController();
    const waiting = untilAborted(never(), controller.signal);
    const why = reason();
    controller.abort(why);
    await assert.rejects(waiting, (e) => e === why);
    await assert.rejects(untilAborted(Promise.resolve(3), AbortSignal.abort(why)), (e) => e === why);
  });

  test('abortableRetry ends a wait for the budget with the reason', async () => {
    const controller = new AbortController();
    const budget: RequestBudget = { acquire: never, throttle: () => {} };
    let attempts = 0;
    const running = abortableRetry(budget, classify, {}, controller.signal).run(async () => ++attempts);
    controller.abort(reason());
    await assert.rejects(running, (e) => e instanceof SourceError && e.reason === 'download_timeout');
    assert.equal(attempts, 0);
  });

  test('abortableRetry ends a backoff at once and makes no further attempt', async () => {
    const budget: RequestBudget = { acquire: async () => {}, throttle: () => {} };
    let attempts = 0;
    // A given sleep that never ends, and the default one (30 s here): both end with the abort.
    for (const sleep of [never, undefined]) {
      const controller = new AbortController();
      const policy = abortableRetry(budget, classify, { baseDelayMs: 30_000, random: () => 0.999, ...(sleep ? { sleep } : {}) }, controller.signal);
      const running = policy.run(async () => {
        attempts++;
        throw new SourceError('transient', 'http_503', 'busy');
      });
      await new Promise((resolve) => setImmediate(resolve));
      controller.abort(reason());
      await assert.rejects(running, (e) => e instanceof SourceError && e.reason === 'download_timeout');
    }
    assert.equal(attempts, 2, 'one attempt each, none after the abort');
  });

  test('an attempt that fails because of the abort is not retried: the reason comes out, not the failure', async () => {
    const controller = new AbortController();
    const budget: RequestBudget = { acquire: async () => {}, throttle: () => {} };
    let attempts = 0;
    const running = abortableRetry(budget, classify, { sleep: async () => {} }, controller.signal).run(async () => {
      attempts++;
      controller.abort(reason());
      throw new Error('socket hang up');
    });
    await assert.rejects(running, (e) => e instanceof SourceError && e.reason === 'download_timeout');
    assert.equal(attempts, 1);
  });
});
