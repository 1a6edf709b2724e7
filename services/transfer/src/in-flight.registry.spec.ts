import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InFlightRegistry } from './in-flight.registry.js';

test('a key is held until its outcome settles, and joiners get that outcome', async () => {
  const registry = new InFlightRegistry<string>();
  const key = InFlightRegistry.keyOf('job', 'file');
  let resolve: (value: string) => void = () => {};
  const promise = new Promise<string>((settle) => (resolve = settle));
  registry.take(key, promise);
  assert.equal(registry.joining(key), promise);
  assert.throws(() => registry.take(key, Promise.resolve('again')), /already in flight/);
  resolve('done');
  assert.equal(await registry.joining(key), 'done');
  await new Promise((next) => setImmediate(next));
  assert.equal(registry.joining(key), undefined);
  assert.equal(registry.size, 0);
});

test('a rejected outcome frees its key too', async () => {
  const registry = new InFlightRegistry<string>();
  const failed = Promise.reject(new Error('lost'));
  failed.catch(() => {});
  registry.take('k', failed);
  await new Promise((next) => setImmediate(next));
  assert.equal(registry.size, 0);
});

test('the same file of two jobs is two keys', () => {
  assert.notEqual(InFlightRegistry.keyOf('job-a', 'file'), InFlightRegistry.keyOf('job-b', 'file'));
  assert.notEqual(InFlightRegistry.keyOf('a', 'bc'), InFlightRegistry.keyOf('ab', 'c'));
});
