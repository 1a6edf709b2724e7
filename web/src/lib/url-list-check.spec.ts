import { describe, expect, it } from 'vitest';
import { checkUrlList } from './url-list-check.js';

describe('checking a list of image URLs', () => {
  it('takes one http(s) URL per line and ignores blank lines', () => {
    expect(checkUrlList('https://a.example/1.jpg\r\n\n  http://b.example/2.png  \n')).toEqual({ state: 'valid', urls: ['https://a.example/1.jpg', 'http://b.example/2.png'] });
  });

  it('names the first line that is not a web URL', () => {
    expect(checkUrlList('https://a.example/1.jpg\nftp://b.example/2.png')).toEqual({ state: 'invalid', message: 'Line 2 is not an http or https URL: "ftp://b.example/2.png".' });
    expect(checkUrlList('beach.jpg')).toMatchObject({ state: 'invalid', message: expect.stringMatching(/^Line 1 /) });
  });

  it('is empty when there is nothing but whitespace', () => {
    expect(checkUrlList(' \n \n')).toEqual({ state: 'empty' });
  });
});
