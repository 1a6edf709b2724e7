import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { storableOrNull, storableText } from './storable-text.js';

describe('storableText', () => {
  test('NUL and other control characters become U+FFFD; tab and line feed stay', () => {
    assert.equal(storableText('a\u0000.png'), 'a\ufffd.png');
    assert.equal(storableText('\u001b[31mred\r\u007f\u0085'), '\ufffd[31mred\ufffd\ufffd\ufffd');
    assert.equal(storableText('line one\n\tline two'), 'line one\n\tline two');
  });

  test('a lone surrogate becomes U+FFFD; a pair, and any other text, is left as it is', () => {
    assert.equal(storableText('x\ud800y\udc00'), 'x\ufffdy\ufffd');
    assert.equal(storableText('фото 📷 ü.jpg'), 'фото 📷 ü.jpg');
  });

  test('it is idempotent, and keeps null as null', () => {
    const once = storableText('a\u0000\ud800b');
    assert.equal(storableText(once), once);
    assert.equal(storableOrNull(null), null);
    assert.equal(storableOrNull(undefined), null);
    assert.equal(storableOrNull('\u0000'), '\ufffd');
  });
});
