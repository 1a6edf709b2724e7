import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SourceFile } from '@importer/contracts';
import { type ListedFileRow, toSourceFile, toSourceMeta } from './source-file.mapper.js';

/** The row PostgreSQL hands back for `file`: `source_meta` goes through JSON, as jsonb stores it. */
const stored = (file: SourceFile): ListedFileRow => ({
  sourceFileId: file.sourceFileId,
  name: file.name,
  sourcePath: file.path,
  mimeType: file.mimeType,
  size: file.size,
  sourceMeta: JSON.parse(JSON.stringify(toSourceMeta(file))) as ListedFileRow['sourceMeta'],
});

const LINK = 'https://www.dropbox.com/scl/fo/abc/def?rlkey=xyz';

test('a listed file comes back from its ledger row as it was listed', () => {
  const drive: SourceFile = { sourceFileId: 'd1', name: 'a.jpg', path: 'Sub/a.jpg', mimeType: 'image/jpeg', size: 12, md5: 'a'.repeat(32), resourceKey: 'rk', width: 4, height: 3 };
  const dropbox: SourceFile = { sourceFileId: 'id:x', name: 'b.png', path: 'b.png', locator: '/b.png', mimeType: 'image/png', size: null, md5: null, contentHash: 'c'.repeat(64), sharedLink: LINK };
  assert.deepEqual(toSourceFile(stored(drive)), drive);
  assert.deepEqual(toSourceFile(stored(dropbox)), dropbox);
});

test('source_meta holds only what the columns do not', () => {
  const file: SourceFile = { sourceFileId: 'f', name: 'n.png', path: 'n.png', mimeType: 'image/png', size: 1, md5: null };
  assert.deepEqual(JSON.parse(JSON.stringify(toSourceMeta(file))), { md5: null });
});

test('a row without a type or meta reads as a file of unknown type', () => {
  const file = toSourceFile({ sourceFileId: 'u', name: 'u', sourcePath: 'u', mimeType: null, size: null, sourceMeta: {} });
  assert.deepEqual(file, { sourceFileId: 'u', name: 'u', path: 'u', mimeType: 'application/octet-stream', size: null, md5: null });
});

test("a row written before sharedLink and locator comes back as it was stored: transfer reads it as it is meant now", () => {
  const old: ListedFileRow = {
    sourceFileId: 'id:x', name: 'b.png', sourcePath: 'Day 1/b.png', mimeType: 'image/png', size: 5,
    sourceMeta: { md5: null, contentHash: 'c'.repeat(64), resourceKey: LINK },
  };
  assert.deepEqual(toSourceFile(old), { sourceFileId: 'id:x', name: 'b.png', path: 'Day 1/b.png', mimeType: 'image/png', size: 5, md5: null, contentHash: 'c'.repeat(64), resourceKey: LINK });
});
