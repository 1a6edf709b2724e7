import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DROPBOX_FOLDER_LINK_EXAMPLE, DropboxFolderLinkError, type DropboxFolderLinkProblem, parseDropboxFolderLink } from './dropbox-folder-link.parser.js';

const FO = '8kll7yvbgogkp0vahowvm';
const KEY = 'ADhDIC8LRFL8wHUexib3C3w';
const RLKEY = '8cp7scxgw25yt4wp8v2c2v8mp';
const SCL = `https://www.dropbox.com/scl/fo/${FO}/${KEY}?rlkey=${RLKEY}`;
const SCL_H = `https://www.dropbox.com/scl/fo/${FO}/h?rlkey=${RLKEY}`;
const SH = 'https://www.dropbox.com/sh/pyahtm9gl6wozed/AABdX19f6ih6P6KHbwL1c-18a';

/** Every folder link form of provider-apis.md B7: [pasted, API url, start path]. */
const accepted: [string, string, string][] = [
  [`${SH}?dl=0`, SH, ''],
  [`${SH}?dl=1`, SH, ''],
  [SH, SH, ''],
  [`https://www.dropbox.com/scl/fo/${FO}/${KEY}?rlkey=${RLKEY}&dl=0`, SCL, ''],
  [`https://www.dropbox.com/scl/fo/${FO}/${KEY}?rlkey=${RLKEY}&dl=1`, SCL, ''],
  [`https://www.dropbox.com/scl/fo/${FO}/h?dl=0&rlkey=${RLKEY}`, SCL_H, ''],
  [`https://www.dropbox.com/scl/fo/${FO}/${KEY}?rlkey=${RLKEY}&st=ab12cd34&dl=0`, SCL, ''],
  [`https://www.dropbox.com/scl/fo/${FO}/${KEY}?dl=0&st=ab12cd34&rlkey=${RLKEY}`, SCL, ''],
  [`https://www.dropbox.com/scl/fo/${FO}/${KEY}?rlkey=${RLKEY}&e=1&dl=0`, SCL, ''],
  [`https://www.dropbox.com/scl/fo/${FO}/${KEY}/cleaned_data?rlkey=${RLKEY}&dl=1`, SCL, '/cleaned_data'],
  [`https://www.dropbox.com/scl/fo/${FO}/${KEY}/a%20b/c?rlkey=${RLKEY}`, SCL, '/a b/c'],
  [`https://dl.dropbox.com/scl/fo/${FO}/${KEY}?rlkey=${RLKEY}&dl=0`, SCL, ''],
  [`https://dl.dropboxusercontent.com/scl/fo/${FO}/${KEY}?rlkey=${RLKEY}`, SCL, ''],
  [`https://dropbox.com/scl/fo/${FO}/${KEY}?rlkey=${RLKEY}`, SCL, ''],
  [`www.dropbox.com/scl/fo/${FO}/${KEY}?rlkey=${RLKEY}&dl=0`, SCL, ''],
  [`  https://www.dropbox.com/scl/fo/${FO}/${KEY}/?rlkey=${RLKEY}&dl=0#top  `, SCL, ''],
  [`https://dl.dropbox.com/sh/pyahtm9gl6wozed/AABdX19f6ih6P6KHbwL1c-18a?dl=1`, SH, ''],
];

const refused: [string, DropboxFolderLinkProblem][] = [
  ['not a link', 'not_a_link'],
  ['', 'not_a_link'],
  ['ftp://www.dropbox.com/sh/abc/def', 'not_a_link'],
  [`https://example.com/scl/fo/${FO}/${KEY}?rlkey=${RLKEY}`, 'not_dropbox'],
  [`https://www.dropbox.com.evil.example/scl/fo/${FO}/${KEY}?rlkey=${RLKEY}`, 'not_dropbox'],
  [`https://www.dropbox.com/scl/fi/${FO}/photo.jpg?rlkey=${RLKEY}&dl=0`, 'file_link'],
  ['https://www.dropbox.com/s/2sn712vy1ovegw8/Prime_Numbers.txt?dl=0', 'file_link'],
  ['https://www.dropbox.com/home/Photos', 'no_folder'],
  [`https://www.dropbox.com/scl/fo/${FO}?rlkey=${RLKEY}`, 'no_folder'],
  ['https://www.dropbox.com/sh/pyahtm9gl6wozed', 'no_folder'],
  [`https://www.dropbox.com/scl/fo/${FO}/${KEY}?dl=0`, 'missing_rlkey'],
  [`https://www.dropbox.com/scl/fo/${FO}/${KEY}?rlkey=&dl=0`, 'missing_rlkey'],
  [`https://www.dropbox.com/scl/fo/${FO}/${KEY}?rlkey=a"b<c`, 'bad_rlkey'],
];

describe('parseDropboxFolderLink', () => {
  for (const [input, url, startPath] of accepted) {
    test(`reads ${input.trim()}`, () => {
      assert.deepEqual(parseDropboxFolderLink(input), { url, startPath });
    });
  }

  test('keeps the rlkey in every scl form: it is what grants access', () => {
    for (const [input] of accepted) if (input.includes('/scl/')) assert.match(parseDropboxFolderLink(input).url, new RegExp(`\\?rlkey=${RLKEY}$`), input);
  });

  for (const [input, problem] of refused) {
    test(`refuses ${JSON.stringify(input)} (${problem}) with what a folder link looks like`, () => {
      assert.throws(
        () => parseDropboxFolderLink(input),
        (error: unknown) => error instanceof DropboxFolderLinkError && error.problem === problem && error.message.includes(DROPBOX_FOLDER_LINK_EXAMPLE),
      );
    });
  }
});
