import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeRun, type RunResult, summarize, WHOLE_MACHINE } from './scale-report.js';

const run = (round: number, transferReplicas: number, seconds: number, machine = 8): RunResult => ({
  round,
  transferReplicas,
  files: 3000,
  bytes: 3000 * 65536,
  seconds,
  cpuPerThousand: new Map([['transfer#0', 1.25], [WHOLE_MACHINE, machine]]),
  peakMiB: new Map([['transfer#0', 180.4], ["transfer#0's daprd", 96]]),
  filesByReplica: transferReplicas === 1 ? [3000] : [1000, 990, 1010],
  previewsMade: 1200,
  cores: 2,
  latencyCeiling: transferReplicas * 80,
});

test('one run reads as its throughput, the files of each replica, CPU and peak memory per process', () => {
  assert.deepEqual(describeRun(run(1, 3, 15)), [
    '3 transfer replicas, round 1: 3000 files, 196.6 MB in 15.0 s: 200.0 files/s, 13.1 MB/s',
    "  the source's latency allows 240.0 files/s; the machine's 2 cores were 80% busy",
    '  files per transfer replica: 1000, 990, 1010; previews made by the end: 1200',
    '  CPU per 1,000 files: transfer#0 1.25 s; whole machine 8.00 s',
    "  peak memory (MiB): transfer#0 180; transfer#0's daprd 96",
  ]);
});

test('the summary compares each count with the first, over the means and round by round', () => {
  const lines = summarize([run(1, 1, 40), run(1, 3, 15, 9), run(2, 3, 16, 10), run(2, 1, 38)], [1, 3]);
  assert.equal(lines[0], '1 transfer replica: 77.0 files/s, 5.0 MB/s, 39.0 s wall, whole machine 8.00 CPU s per 1,000 files');
  // Means of 75 and 78.9 files/s against 200 and 187.5: 193.75 / 76.97.
  assert.equal(lines[1], '3 transfer replicas: 193.8 files/s, 12.7 MB/s, 15.5 s wall, whole machine 9.50 CPU s per 1,000 files; files/s(3) / files/s(1) = 2.52 (by round: 2.67, 2.38)');
});

test('a single round gives the ratio without a by-round list', () => {
  const lines = summarize([run(1, 1, 30), run(1, 3, 12)], [1, 3]);
  assert.match(lines[1] ?? '', /files\/s\(3\) \/ files\/s\(1\) = 2\.50$/);
});
