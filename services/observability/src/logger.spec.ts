import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLogger } from './logger.js';

test('every line is one JSON object with the service, the message and the child fields', () => {
  const lines: string[] = [];
  const log = createLogger({ service: 'transfer', write: (line) => lines.push(line) }).child({ jobId: 'j1' });
  log.info('file done', { fileId: 'f1', bytes: 10 });
  log.error('file failed', { error: new Error('boom') });
  log.debug('not shown at info level');
  assert.equal(lines.length, 2);
  const [done, failed] = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  assert.equal(done?.service, 'transfer');
  assert.equal(done?.msg, 'file done');
  assert.equal(done?.jobId, 'j1');
  assert.equal(done?.fileId, 'f1');
  assert.equal(failed?.level, 'error');
  assert.equal((failed?.error as { message: string }).message, 'boom');
});
