import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createImportMetrics, reasonCode } from './metrics.js';

test('a reason becomes its leading code, anything else becomes other', () => {
  assert.equal(reasonCode('cannotDownloadAbusiveFile: This file is flagged (gave up after 5 attempts)'), 'cannotDownloadAbusiveFile');
  assert.equal(reasonCode('checksum_mismatch: the source listed md5 a, the bytes received hash to b'), 'checksum_mismatch');
  assert.equal(reasonCode('socket hang up'), 'other');
  assert.equal(reasonCode(`${'x'.repeat(100)}: long`), 'other');
});

test('the counters, reason labels and queue gauges appear in the Prometheus text', async () => {
  const metrics = createImportMetrics('transfer');
  metrics.filesListed('google_drive', 44);
  metrics.filesDone('google_drive', 40, 9_000);
  metrics.filesDone('google_drive', 2, 1_000);
  metrics.fileFailed('google_drive', 'fileNotDownloadable: Only files with binary content can be downloaded');
  metrics.fileRetried('google_drive', 'http_503: Service Unavailable');
  let reads = 0;
  metrics.observeQueueLag(async () => (reads++, { pendingFiles: 7, pendingFolders: 2, oldestPendingSeconds: 12.5 }));
  const text = await metrics.registry.metrics();
  assert.match(text, /^importer_files_listed_total\{source="google_drive",service="transfer"\} 44$/m);
  assert.match(text, /^importer_files_total\{source="google_drive",outcome="done",service="transfer"\} 42$/m);
  assert.match(text, /^importer_files_total\{source="google_drive",outcome="failed",service="transfer"\} 1$/m);
  assert.match(text, /^importer_bytes_total\{source="google_drive",service="transfer"\} 10000$/m);
  assert.match(text, /^importer_file_failures_total\{source="google_drive",reason="fileNotDownloadable",service="transfer"\} 1$/m);
  assert.match(text, /^importer_file_retries_total\{source="google_drive",reason="http_503",service="transfer"\} 1$/m);
  assert.match(text, /^importer_queue_pending_files\{service="transfer"\} 7$/m);
  assert.match(text, /^importer_queue_pending_folders\{service="transfer"\} 2$/m);
  assert.match(text, /^importer_queue_oldest_pending_seconds\{service="transfer"\} 12.5$/m);
  assert.match(text, /^nodejs_heap_size_used_bytes\{service="transfer"\} \d+/m, 'the default process metrics are there too');
  assert.equal(reads, 1, 'one read of the ledger per scrape');
});
