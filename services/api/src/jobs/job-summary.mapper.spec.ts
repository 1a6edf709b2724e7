import assert from 'node:assert/strict';
import { test } from 'node:test';
import { JobSummaryV1 } from '@importer/contracts';
import type { JobSummaryRow } from '@importer/db';
import { toJobSummary } from './job-summary.mapper.js';

const row = (overrides: Partial<JobSummaryRow> = {}): JobSummaryRow => ({
  id: '6f1c2b9e-4d3a-4c5b-8e7f-0a1b2c3d4e5f',
  source: 'dropbox',
  folderUrl: 'https://www.dropbox.com/scl/fo/x',
  status: 'running',
  found: 3,
  done: 1,
  failed: 0,
  skipped: 0,
  bytes: 2048,
  error: null,
  createdAt: new Date('2026-01-01T00:00:00.000Z'),
  finishedAt: null,
  ...overrides,
});

test('a row becomes the summary the API answers, valid by its contract', () => {
  const summary = toJobSummary(row());
  assert.deepEqual(JobSummaryV1.parse(summary), summary);
  assert.deepEqual(summary, {
    job_id: '6f1c2b9e-4d3a-4c5b-8e7f-0a1b2c3d4e5f',
    status: 'running',
    source: 'dropbox',
    folder_url: 'https://www.dropbox.com/scl/fo/x',
    total_files: 3,
    processed_files: 1,
    failed_files: 0,
    skipped_files: 0,
    bytes: 2048,
    progress_percent: 33.3,
    error: null,
    created_at: '2026-01-01T00:00:00.000Z',
    finished_at: null,
  });
});

test('progress counts every file with an outcome; a completed job is at 100 %, one with nothing found at 0', () => {
  assert.equal(toJobSummary(row({ done: 1, failed: 1, skipped: 1 })).progress_percent, 100);
  assert.equal(toJobSummary(row({ status: 'completed_with_errors', found: 3, done: 1, failed: 1 })).progress_percent, 100);
  assert.equal(toJobSummary(row({ status: 'listing', found: 0, done: 0 })).progress_percent, 0);
  assert.equal(toJobSummary(row({ found: 2, done: 3 })).progress_percent, 100, 'redelivered counts never pass 100');
  assert.equal(toJobSummary(row({ status: 'cancelled', found: 4, done: 1, finishedAt: new Date('2026-01-01T00:01:00.000Z') })).finished_at, '2026-01-01T00:01:00.000Z');
});
