import { describe, expect, it } from 'vitest';
import { checkFolderLink } from './folder-link-check.js';

describe('checking a folder link as it is typed', () => {
  it('accepts the folder link forms people paste', () => {
    for (const link of ['https://drive.google.com/drive/folders/1AbCdEfGhIjKlMnOp?usp=sharing', 'drive.google.com/drive/u/1/folders/1AbCdEfGhIjKlMnOp', 'https://drive.google.com/open?id=1AbCdEfGhIjKlMnOp']) {
      expect(checkFolderLink('google_drive', link)).toEqual({ state: 'valid' });
    }
  });

  it("says what is wrong with the API's own words", () => {
    expect(checkFolderLink('google_drive', 'https://docs.google.com/document/d/1AbCdEfGhIjKlMnOp/edit')).toEqual({
      state: 'invalid',
      message: expect.stringMatching(/^This is a link to a Google Docs document, not to a folder\. A Google Drive folder link looks like/),
    });
    expect(checkFolderLink('google_drive', 'holiday photos')).toMatchObject({ state: 'invalid', message: expect.stringMatching(/is not a link/) });
  });

  it('is quiet while the field is empty', () => {
    expect(checkFolderLink('google_drive', '   ')).toEqual({ state: 'empty' });
  });
});
