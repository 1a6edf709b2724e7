import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseBenchOptions, runPlan } from './bench-options.js';

test('the defaults are one import with one transfer replica, as the bench ran before replicas', () => {
  const options = parseBenchOptions([]);
  assert.deepEqual(options, { peer: undefined, drive: false, files: 10000, concurrency: 16, latencyMs: 20, fileSize: 65536, skipDirect: false, transferReplicas: [1], rounds: 1, requestsPerSecond: 100000, pubsubFolder: undefined, pubsubReadAhead: undefined });
});

test('--transfer-replicas takes a list, and --latency-ms the source latency', () => {
  const options = parseBenchOptions(['--transfer-replicas', '1, 3', '--latency-ms', '200', '--files', '3000', '--rounds', '2', '--skip-direct']);
  assert.deepEqual([options.transferReplicas, options.latencyMs, options.files, options.rounds, options.skipDirect], [[1, 3], 200, 3000, 2, true]);
});

test('--peer rclone names the peer run, and any other peer is refused', () => {
  const options = parseBenchOptions(['--peer', 'rclone', '--files', '2000', '--rounds', '2', '--drive']);
  assert.deepEqual([options.peer, options.files, options.rounds, options.drive], ['rclone', 2000, 2, true]);
  assert.throws(() => parseBenchOptions(['--peer', 'rsync']), /peer/);
});

test('a replica count that is not a whole number from 1 to 16 is refused, with every bad option named', () => {
  for (const bad of ['0', '1,x', '', '2.5', '1,,3', '17']) assert.throws(() => parseBenchOptions(['--transfer-replicas', bad]), /transferReplicas/, bad);
  assert.throws(() => parseBenchOptions(['--files', '0', '--latency-ms=-1']), (error: Error) => /files/.test(error.message) && /latencyMs/.test(error.message));
});

test('every other round runs the counts in reverse, so drift in the machine weighs on each count alike', () => {
  assert.deepEqual(runPlan([1, 3], 2), [
    { round: 1, transferReplicas: 1 },
    { round: 1, transferReplicas: 3 },
    { round: 2, transferReplicas: 3 },
    { round: 2, transferReplicas: 1 },
  ]);
  assert.deepEqual(runPlan([1, 2, 4], 1).map((run) => run.transferReplicas), [1, 2, 4]);
});

test('--pubsub-read-ahead is queueDepth and concurrency, and goes only with the Redis component', () => {
  assert.deepEqual(parseBenchOptions(['--pubsub-read-ahead', '1,2']).pubsubReadAhead, { queueDepth: 1, concurrency: 2 });
  assert.throws(() => parseBenchOptions(['--pubsub-read-ahead', '1']), /pubsubReadAhead/);
  assert.throws(() => parseBenchOptions(['--pubsub-read-ahead', '1,2', '--pubsub-folder', 'components/pubsub-rabbitmq']), /without --pubsub-folder/);
});
