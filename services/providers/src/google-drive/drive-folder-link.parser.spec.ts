import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DRIVE_FOLDER_LINK_EXAMPLE, DriveFolderLinkError, type DriveFolderLinkProblem, parseDriveFolderLink } from './drive-folder-link.parser.js';

const MODERN = '1InXVYI5q3y51BsGjH6hMEK9CGhCZMNcV';
const LEGACY = '0BxdcdOiOmg-CcU1WOFpCOFBvVXc';
const SHARED_DRIVE = '0AHZcyY2xxxxxxxxPVA';
const KEY = '0-2L-INjRPsn2ANX4MZIGU0Q';

/** Links people paste, as seen in public repositories and issues (provider-apis.md A8). */
const accepted: [string, string, string?][] = [
  [`https://drive.google.com/drive/folders/${MODERN}`, MODERN],
  [`https://drive.google.com/drive/folders/${MODERN}?usp=sharing`, MODERN],
  [`https://drive.google.com/drive/folders/${MODERN}?usp=drive_link`, MODERN],
  [`https://drive.google.com/drive/folders/${MODERN}?usp=share_link`, MODERN],
  [`https://drive.google.com/drive/folders/${MODERN}/`, MODERN],
  [`https://drive.google.com/drive/u/0/folders/${MODERN}`, MODERN],
  [`https://drive.google.com/drive/u/2/folders/${MODERN}?usp=sharing`, MODERN],
  [`https://drive.google.com/drive/mobile/folders/${MODERN}`, MODERN],
  [`https://drive.google.com/drive/mobile/folders/${MODERN}?usp=drive_web#list`, MODERN],
  [`https://drive.google.com/drive/mobile/folders/${MODERN}?usp=sharing&fbclid=IwAR2xYz_abc-123`, MODERN],
  [`https://drive.google.com/drive/folders/${MODERN}?hl=fr`, MODERN],
  [`https://drive.google.com/open?id=${MODERN}`, MODERN],
  [`https://drive.google.com/open?id=${LEGACY}&usp=sharing`, LEGACY],
  [`https://drive.google.com/folderview?id=${LEGACY}&usp=sharing`, LEGACY],
  [`https://drive.google.com/folderview?id=${LEGACY}#list`, LEGACY],
  [`https://drive.google.com/embeddedfolderview?id=${MODERN}`, MODERN],
  [`https://drive.google.com/embeddedfolderview?id=${MODERN}#grid`, MODERN],
  [`https://drive.google.com/drive/folders/${LEGACY}?resourcekey=${KEY}&usp=sharing`, LEGACY, KEY],
  [`https://drive.google.com/drive/u/1/folders/${LEGACY}?usp=sharing&resourcekey=${KEY}`, LEGACY, KEY],
  [`https://drive.google.com/folders/${MODERN}`, MODERN],
  [`https://drive.google.com/drive/my-drive/${MODERN}`, MODERN],
  [`https://drive.google.com/drive/folders/${SHARED_DRIVE}`, SHARED_DRIVE],
  [`  https://drive.google.com/drive/folders/${MODERN}  \n`, MODERN],
  [`drive.google.com/drive/folders/${MODERN}`, MODERN],
  [`http://drive.google.com/drive/folders/${MODERN}`, MODERN],
  [`https://DRIVE.GOOGLE.COM/drive/folders/${MODERN}`, MODERN],
  [`https://drive.google.com/drive/folders/${MODERN}?resourcekey=`, MODERN],
];

const rejected: [string, DriveFolderLinkProblem, RegExp][] = [
  [`https://drive.google.com/file/d/${MODERN}/view?usp=sharing`, 'file_link', /single file/],
  [`https://drive.google.com/file/d/${MODERN}/view?resourcekey=${KEY}`, 'file_link', /single file/],
  [`https://drive.google.com/uc?id=${MODERN}&export=download`, 'file_link', /single file/],
  [`https://docs.google.com/document/d/${MODERN}/edit`, 'file_link', /Google Docs document/],
  [`https://docs.google.com/spreadsheets/d/${MODERN}/edit#gid=0`, 'file_link', /Google Sheets/],
  [`https://docs.google.com/presentation/d/${MODERN}/edit`, 'file_link', /Google Slides/],
  [`https://www.dropbox.com/scl/fo/abc/def?rlkey=x&dl=0`, 'not_google_drive', /www\.dropbox\.com, not to Google Drive/],
  [`https://drive.google.evil.com/drive/folders/${MODERN}`, 'not_google_drive', /drive\.google\.evil\.com/],
  ['my holiday photos', 'not_a_link', /"my holiday photos" is not a link/],
  [MODERN, 'not_a_link', /is not a link/],
  ['', 'not_a_link', /is not a link/],
  ['ftp://drive.google.com/drive/folders/x', 'not_a_link', /is not a link/],
  ['https://drive.google.com/drive/my-drive', 'no_folder_id', /does not name a folder/],
  ['https://drive.google.com/drive/u/0/home', 'no_folder_id', /does not name a folder/],
  ['https://drive.google.com/open?usp=sharing', 'no_folder_id', /does not name a folder/],
  ['https://drive.google.com/drive/folders/1abc$%25^&*()xyz', 'bad_folder_id', /is not a Google Drive folder id/],
  ['https://drive.google.com/drive/folders/short', 'bad_folder_id', /"short" is not a Google Drive folder id/],
  ["https://drive.google.com/drive/folders/1InXVYI5q3y51Bs'in parents or '1", 'bad_folder_id', /is not a Google Drive folder id/],
  [`https://drive.google.com/drive/folders/${MODERN}?resourcekey=0-ab%2Fcd`, 'bad_resource_key', /resourcekey is damaged/],
];

describe('parseDriveFolderLink', () => {
  for (const [link, folderId, resourceKey] of accepted) {
    test(`reads ${JSON.stringify(link)}`, () => {
      assert.deepEqual(parseDriveFolderLink(link), resourceKey ? { folderId, resourceKey } : { folderId });
    });
  }

  for (const [link, problem, says] of rejected) {
    test(`rejects ${JSON.stringify(link)} as ${problem}, saying what a folder link looks like`, () => {
      assert.throws(
        () => parseDriveFolderLink(link),
        (error: unknown) => {
          assert.ok(error instanceof DriveFolderLinkError);
          assert.equal(error.problem, problem);
          assert.match(error.message, says);
          assert.ok(error.message.includes(DRIVE_FOLDER_LINK_EXAMPLE), error.message);
          return true;
        },
      );
    });
  }
});
