import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FOLDER_LINK_SOURCES } from '@importer/contracts';
import { folderLinkParsers } from './links.js';

test('every source whose catalogue entry takes a folder link has a parser, and no other source has one', () => {
  assert.deepEqual(
    Object.keys(folderLinkParsers).sort(),
    FOLDER_LINK_SOURCES.map((entry) => entry.kind).sort(),
  );
});

test("each parser reads its source's link into the import's root folder", () => {
  assert.deepEqual(folderLinkParsers.google_drive('https://drive.google.com/drive/folders/1AbCdEfGhIjKlMnOp?resourcekey=0-abc_DEF&usp=sharing'), {
    id: '1AbCdEfGhIjKlMnOp',
    path: '',
    resourceKey: '0-abc_DEF',
  });
  assert.deepEqual(folderLinkParsers.dropbox('https://www.dropbox.com/scl/fo/abc123def456/AAbbCCddEEff/Holidays?rlkey=xyz789abc&dl=0'), {
    id: '/Holidays',
    path: 'Holidays',
    sharedLink: 'https://www.dropbox.com/scl/fo/abc123def456/AAbbCCddEEff?rlkey=xyz789abc',
  });
});

test("a parser refuses another source's link, saying what its own looks like", () => {
  assert.throws(() => folderLinkParsers.dropbox('https://drive.google.com/drive/folders/1AbCdEfGhIjKlMnOp'), /not to Dropbox\. A Dropbox shared-folder link looks like/);
  assert.throws(() => folderLinkParsers.google_drive('https://www.dropbox.com/scl/fo/abc/def?rlkey=x'), /not to Google Drive\. A Google Drive folder link looks like/);
});
