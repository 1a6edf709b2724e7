import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Semaphore } from './semaphore.js';

/** Lets `count` microtasks run, so a caller can arrive at each point of a release. */
async function ticks(count: number): Promise<void> {
  for (let i = 0; i < count; i++) await Promise.resolve();
}

/** Work that records when it starts and how many run beside it, and holds its place until `until` settles. */
function recorder() {
  const started: string[] = [];
  let running = 0;
  let most = 0;
  const work =
    (name: string, until: Promise<void> = Promise.resolve()) =>
    async (): Promise<string> => {
      running++;
      most = Math.max(most, running);
      started.push(name);
      await until;
      await ticks(3);
      running--;
      return name;
    };
  return { started, work, most: () => most };
}

describe('Semaphore', () => {
  test('a caller arriving at any moment of a release waits behind those already waiting, and the limit holds', async () => {
    // The sweep covers the gap between the holder's release and the woken waiter's start, wherever it falls.
    for (let delay = 0; delay < 30; delay++) {
      const semaphore = new Semaphore(1);
      const { started, work, most } = recorder();
      let release!: () => void;
      const first = semaphore.run(work('first', new Promise<void>((resolve) => (release = resolve))));
      const waiting = semaphore.run(work('waiting'));
      release();
      const late = ticks(delay).then(() => semaphore.run(work('late')));
      assert.deepEqual(await Promise.all([first, waiting, late]), ['first', 'waiting', 'late']);
      assert.deepEqual(started, ['first', 'waiting', 'late'], `a caller ${delay} microtasks after the release went first`);
      assert.equal(most(), 1, `a caller ${delay} microtasks after the release ran beside the woken waiter`);
    }
  });

  test('waiters start in the order they came, never more than the limit at once', async () => {
    const semaphore = new Semaphore(2);
    const { started, work, most } = recorder();
    const names = Array.from({ length: 8 }, (_, i) => `w${i}`);
    assert.deepEqual(await Promise.all(names.map((name) => semaphore.run(work(name)))), names);
    assert.deepEqual(started, names);
    assert.equal(most(), 2);
  });

  test('a failing holder passes its error to its caller and frees its place', async () => {
    const semaphore = new Semaphore(1);
    await assert.rejects(
      semaphore.run(() => Promise.reject(new Error('broken'))),
      /broken/,
    );
    assert.equal(await semaphore.run(() => Promise.resolve('next')), 'next');
  });
});
