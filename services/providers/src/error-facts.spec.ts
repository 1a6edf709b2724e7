import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { causeCode, headerOf, parseRetryAfter } from './error-facts.js';

const NOW = Date.parse('2025-01-01T00:00:00Z');

describe('parseRetryAfter', () => {
  test('reads seconds, fractional seconds and HTTP dates; a past date is no wait', () => {
    assert.equal(parseRetryAfter('1', NOW), 1000);
    assert.equal(parseRetryAfter(' 0.5 ', NOW), 500);
    assert.equal(parseRetryAfter('Wed, 01 Jan 2025 00:01:00 GMT', NOW), 60_000);
    assert.equal(parseRetryAfter('Tue, 31 Dec 2024 23:00:00 GMT', NOW), 0);
  });

  test('ignores what it cannot read', () => {
    assert.equal(parseRetryAfter(undefined, NOW), undefined);
    assert.equal(parseRetryAfter(null, NOW), undefined);
    assert.equal(parseRetryAfter('soon', NOW), undefined);
  });
});

describe('reading errors of any shape', () => {
  test('a header from fetch Headers or a plain object, in any letter case', () => {
    assert.equal(headerOf(new Headers({ 'Retry-After': '3' }), 'retry-after'), '3');
    assert.equal(headerOf({ 'Retry-After': '4' }, 'retry-after'), '4');
    assert.equal(headerOf(undefined, 'retry-after'), undefined);
  });

  test('the first string code on an error or its causes', () => {
    const reset = Object.assign(new Error('socket'), { code: 'ECONNRESET' });
    assert.equal(causeCode(new Error('fetch failed', { cause: new Error('wrapped', { cause: reset }) })), 'ECONNRESET');
    assert.equal(causeCode(Object.assign(new Error('http'), { code: 404 })), undefined);
  });
});
