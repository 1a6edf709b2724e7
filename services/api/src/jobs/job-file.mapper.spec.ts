import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FileErrorV1, JobFileV1 } from '@importer/contracts';
import type { LedgerFile } from '@importer/db';
import { toFileError, toJobFile } from './job-file.mapper.js';

const file = (overrides: Partial<LedgerFile> = {}): LedgerFile => ({
  id: '7',
  sourceFileId: 'f1',
  name: 'a.jpg',
  sourcePath: 'Sub/a.jpg',
  status: 'failed',
  lastError: 'http_404: gone',
  attempts: 2,
  imageId: null,
  ...overrides,
});

test('a ledger file becomes the file the API answers, valid by its contract', () => {
  const shown = toJobFile(file());
  assert.deepEqual(JobFileV1.parse(shown), shown);
  assert.deepEqual(shown, { source_file_id: 'f1', name: 'a.jpg', path: 'Sub/a.jpg', status: 'failed', reason: 'http_404: gone', attempts: 2, image_id: null });
});

test('an imported file shows no reason, though an earlier attempt noted one', () => {
  const imageId = '0d9e8f7a-6b5c-4d3e-9f2a-1b0c9d8e7f6a';
  assert.deepEqual(toJobFile(file({ status: 'done', imageId })), { source_file_id: 'f1', name: 'a.jpg', path: 'Sub/a.jpg', status: 'done', reason: null, attempts: 2, image_id: imageId });
  assert.equal(toJobFile(file({ status: 'pending', lastError: 'HTTP 503' })).reason, 'HTTP 503', 'a pending file shows why its last attempt failed');
});

test('a failed file becomes one of the job\'s errors', () => {
  const error = toFileError({ sourceFileId: 'f1', name: 'a.jpg', sourcePath: 'Sub/a.jpg', lastError: 'not_an_image: text' });
  assert.deepEqual(FileErrorV1.parse(error), error);
  assert.deepEqual(error, { source_file_id: 'f1', name: 'a.jpg', path: 'Sub/a.jpg', reason: 'not_an_image: text' });
});
