import assert from 'node:assert/strict';
import { test } from 'node:test';
import { currentFolderRef, currentSourceFile, type FolderRef, type SourceFile } from './source-file.js';

const LINK = 'https://www.dropbox.com/scl/fo/abc/def?rlkey=xyz';

test('a Dropbox folder sent before sharedLink, its link in resourceKey, reads with the link as sharedLink', () => {
  assert.deepEqual(currentFolderRef('dropbox', { id: '/Sub', path: 'Sub', resourceKey: LINK }), { id: '/Sub', path: 'Sub', sharedLink: LINK });
});

test('a current folder, or a Drive folder with its resource key, comes back as it is', () => {
  const dropbox: FolderRef = { id: '/Sub', path: 'Sub', sharedLink: LINK };
  const drive: FolderRef = { id: '1Abc', path: '', resourceKey: '0-rk' };
  assert.equal(currentFolderRef('dropbox', dropbox), dropbox);
  assert.equal(currentFolderRef('google_drive', drive), drive);
});

test('a Dropbox file written before sharedLink reads with the link as sharedLink; a Drive file keeps its resource key', () => {
  const base: SourceFile = { sourceFileId: 'id:x', name: 'b.png', path: 'Day 1/b.png', mimeType: 'image/png', size: 5, md5: null };
  const dropbox = currentSourceFile('dropbox', { ...base, resourceKey: LINK });
  assert.equal(dropbox.sharedLink, LINK);
  assert.equal(dropbox.resourceKey, undefined);
  assert.equal(currentSourceFile('google_drive', { ...base, resourceKey: '0-rk' }).resourceKey, '0-rk');
});

test('a Dropbox or URL-list file written before locator is opened by what its path meant: the path under the link, the URL', () => {
  const base: SourceFile = { sourceFileId: 'id:x', name: 'b.png', path: 'Day 1/b.png', mimeType: 'image/png', size: 5, md5: null };
  assert.equal(currentSourceFile('dropbox', { ...base, sharedLink: LINK }).locator, '/Day 1/b.png');
  assert.equal(currentSourceFile('url', { ...base, path: 'https://example.com/b.png' }).locator, 'https://example.com/b.png');
  assert.equal(currentSourceFile('google_drive', base).locator, undefined, 'Drive opens a file by its id');
  const current: SourceFile = { ...base, sharedLink: LINK, locator: '/Other/b.png' };
  assert.equal(currentSourceFile('dropbox', current), current);
});
