import assert from 'node:assert/strict';
import { test } from 'node:test';
import { JobSummaryV1 } from '@importer/contracts';
import type { JobSummaryRow } from '@importer/db';
import { toJobSummary } from './job-summary.mapper.js';

const row = (overrides: Partial<JobSummaryRow> = {}): JobSummaryRow => ({
  id: '6f1c2b9e-4d3a-4c5b-8e7f-0a1b2c3d4e5f',
  ownerId: null,
  source: 'dropbox',
  folderUrl: 'https://www.dropbox.com/scl/fo/x',
  status: 'running',
  totalFiles: 10,
  processedFiles: 4,
  failedFiles: 2,
  skippedFiles: 1,
  bytes: 2048,
  error: null,
  createdAt: new Date('2026-01-01T00:00:00.000Z'),
  finishedAt: null,
  ...overrides,
});

test('a row becomes the summary the API answers, valid by its contract, each counter under its own name', () => {
  const summary = toJobSummary(row());
  assert.deepEqual(JobSummaryV1.parse(summary), summary);
  assert.deepEqual(summary, {
    job_id: '6f1c2b9e-4d3a-4c5b-8e7f-0a1b2c3d4e5f',
    status: 'running',
    source: 'dropbox',
    folder_url: 'https://www.dropbox.com/scl/fo/x',
    total_files: 10,
    processed_files: 4,
    failed_files: 2,
    skipped_files: 1,
    bytes: 2048,
    progress_percent: 70,
    error: null,
    created_at: '2026-01-01T00:00:00.000Z',
    finished_at: null,
  });
});

test('progress counts every file with an outcome; a completed job is at 100 %, one with nothing found at 0', () => {
  assert.equal(toJobSummary(row({ totalFiles: 3, processedFiles: 1, failedFiles: 1, skippedFiles: 1 })).progress_percent, 100);
  assert.equal(toJobSummary(row({ status: 'completed_with_errors', totalFiles: 3, processedFiles: 1, failedFiles: 1, skippedFiles: 0 })).progress_percent, 100);
  assert.equal(toJobSummary(row({ status: 'listing', totalFiles: 0, processedFiles: 0, failedFiles: 0, skippedFiles: 0 })).progress_percent, 0);
  assert.equal(toJobSummary(row({ totalFiles: 2, processedFiles: 3, failedFiles: 0, skippedFiles: 0 })).progress_percent, 100, 'redelivered counts never pass 100');
  assert.equal(toJobSummary(row({ status: 'cancelled', totalFiles: 4, processedFiles: 1, finishedAt: new Date('2026-01-01T00:01:00.000Z') })).finished_at, '2026-01-01T00:01:00.000Z');
});
