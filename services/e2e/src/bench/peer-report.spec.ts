import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type PeerRun, summarizePeers } from './peer-report.js';

const run = (tool: string, round: number, seconds: number, machineCpu: number): PeerRun => ({
  tool,
  round,
  files: 1000,
  bytes: 65_536_000,
  seconds,
  cpuPerThousand: new Map([['whole machine', machineCpu]]),
  peakMiB: new Map(),
});

test('the ratios compare the importer with the peer over the means and round by round', () => {
  const lines = summarizePeers([run('importer', 1, 10, 16), run('rclone', 1, 5, 8), run('rclone', 2, 4, 6), run('importer', 2, 8, 12)], 'rclone');
  assert.match(lines[0] ?? '', /^importer: 112\.5 files\/s \(100\.0 \/ 125\.0\)/);
  assert.match(lines[1] ?? '', /^rclone: 225\.0 files\/s/);
  assert.match(lines[2] ?? '', /importer \/ rclone: 0\.50 \(by round: 0\.50, 0\.50; goal ≥ 1\)/);
  assert.match(lines[3] ?? '', /importer \/ rclone: 2\.00 \(by round: 2\.00, 2\.00; goal ≤ 1\.2\)/);
});
