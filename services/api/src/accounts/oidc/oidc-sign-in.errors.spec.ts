import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { providerText } from './oidc-sign-in.errors.js';

describe('oidc provider text', () => {
  test('keeps words and punctuation, drops markup characters and controls, folds spaces', () => {
    assert.equal(providerText('End-User aborted interaction'), 'End-User aborted interaction');
    assert.equal(providerText('<script>alert(1)</script>\n\tnope'), 'script alert(1) /script nope');
    assert.equal(providerText('Zugriff verweigert – bitte später'), 'Zugriff verweigert – bitte später');
  });

  test('truncates long text and answers null for nothing useful', () => {
    const long = providerText('word '.repeat(100));
    assert.equal(long?.length, 200);
    assert.ok(long?.endsWith('…'));
    for (const value of [undefined, null, 42, '', '   ', '<>\u0000']) assert.equal(providerText(value), null, String(value));
  });
});
