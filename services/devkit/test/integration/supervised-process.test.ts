import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { SupervisedProcess } from '../../src/supervised-process.js';

const logFile = () => join(mkdtempSync(join(tmpdir(), 'supervised-')), 'out.log');
const exitsAtOnce = (code: number) => ({ name: 'quitter', command: process.execPath, args: ['-e', `process.exit(${code})`], logFile: logFile() });

test('a process that exits is started again, each time after a longer wait, and every restart is logged', async () => {
  const lines: string[] = [];
  const started = Date.now();
  const supervised = new SupervisedProcess(exitsAtOnce(3), { initialDelayMs: 50, maxDelayMs: 200, resetAfterMs: 60_000, log: (line) => lines.push(line) });
  for (let i = 0; i < 3; i++) await supervised.nextRestart();
  await supervised.stop();
  assert.ok(supervised.restarts >= 3);
  assert.ok(Date.now() - started >= 50 + 100 + 200, 'the waits grow: 50, 100, 200 ms');
  assert.match(lines[0] ?? '', /^quitter exited \(code 3\); restarting it in 0\.05 s$/);
  assert.ok(lines.includes('quitter restarted (restart 1)'));
});

test('a process asked to stop stays stopped, and without a policy nothing restarts', async () => {
  const lines: string[] = [];
  const sleeper = { name: 'sleeper', command: process.execPath, args: ['-e', 'setTimeout(() => {}, 60000)'], logFile: logFile() };
  const supervised = new SupervisedProcess(sleeper, { initialDelayMs: 10, maxDelayMs: 10, resetAfterMs: 60_000, log: (line) => lines.push(line) });
  await supervised.stop();
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(supervised.restarts, 0);
  assert.deepEqual(lines, []);

  const once = new SupervisedProcess(exitsAtOnce(0));
  await once.process.exited;
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(once.restarts, 0);
});
