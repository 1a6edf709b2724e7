import assert from 'node:assert/strict';
import { test } from 'node:test';
import { JobStatusSchema } from './import-job.js';
import { ACCEPTS_WORK_STATUSES, acceptsWork, canRetryFailed, COMPLETED_STATUSES, ENDED_STATUSES, hasCompleted, hasEnded, RETRYABLE_STATUSES } from './job-statuses.js';

const every = JobStatusSchema.options;

test('every status has either ended or accepts work, never both', () => {
  for (const status of every) assert.notEqual(hasEnded(status), acceptsWork(status), status);
  assert.deepEqual([...ACCEPTS_WORK_STATUSES], ['queued', 'listing', 'running']);
});

test('a job that does not exist accepts no work', () => {
  assert.equal(acceptsWork(undefined), false);
});

test('completed and retryable jobs have ended', () => {
  for (const status of [...COMPLETED_STATUSES, ...RETRYABLE_STATUSES]) assert.ok(ENDED_STATUSES.has(status), status);
  assert.deepEqual(every.filter(hasCompleted), ['completed', 'completed_with_errors']);
  assert.deepEqual(every.filter(canRetryFailed), ['completed_with_errors']);
});
