import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DrainingWork } from './draining-work.js';

test('drain waits for work in flight to finish within the grace, and aborts nothing that finished', async () => {
  const work = new DrainingWork();
  let finish: () => void = () => {};
  const running = work.track(() => new Promise<void>((resolve) => (finish = resolve)));
  const drained = work.drain(1_000, new Error('shutting down'));
  assert.equal(work.draining, true);
  finish();
  await running;
  const started = Date.now();
  await drained;
  assert.ok(Date.now() - started < 500, 'drain ended as soon as nothing ran');
  assert.equal(work.signal.aborted, true, 'the shutdown signal is raised once the drain ends (nothing left to hear it)');
});

test('work still running when the grace runs out is aborted with the reason, and the drain ends by grace plus settle time', async () => {
  const work = new DrainingWork();
  const reasons: unknown[] = [];
  void work.track(
    () =>
      new Promise<void>(() => {
        work.signal.addEventListener('abort', () => reasons.push(work.signal.reason));
      }),
  );
  const started = Date.now();
  await work.drain(50, new Error('shutting down'), 50);
  const took = Date.now() - started;
  assert.ok(took >= 95 && took < 600, `ended after ${took} ms`);
  assert.deepEqual(reasons.map((r) => (r as Error).message), ['shutting down']);
});
