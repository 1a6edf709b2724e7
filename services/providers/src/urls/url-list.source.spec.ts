import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normaliseImageUrl } from './url-list.source.js';

test('an http(s) URL is normalised, its fragment dropped', () => {
  assert.equal(normaliseImageUrl('  HTTP://Example.COM:80/a.png#top '), 'http://example.com/a.png');
  assert.equal(normaliseImageUrl('https://h/%00.png'), 'https://h/%00.png', 'an escaped NUL is a valid URL; its name is made storable elsewhere');
});

test('control characters, the replacement character stored for them, and other schemes are not URLs', () => {
  for (const text of ['http://h/a\u0000.png', 'http://h/a\ufffd.png', 'http://h/a\u0007.png', 'http://h/\u009b.png', 'ftp://h/a.png', 'javascript:alert(1)', 'not a url']) {
    assert.equal(normaliseImageUrl(text), undefined, JSON.stringify(text));
  }
});
