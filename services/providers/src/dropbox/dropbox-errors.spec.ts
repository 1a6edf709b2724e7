import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DropboxResponseError } from 'dropbox';
import { SourceError } from '../source-error.js';
import { classifyDropboxError, errorTagPath } from './dropbox-errors.js';

const NOW = Date.parse('2026-11-21T12:00:00Z');
const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => new DropboxResponseError(status, new Headers(headers), body);
const conflict = (error: unknown, summary = 'x/') => answer(409, { error_summary: summary, error });

describe('errorTagPath', () => {
  test('follows the union tags down', () => {
    assert.equal(errorTagPath({ '.tag': 'path', path: { '.tag': 'not_found' } }), 'path/not_found');
    assert.equal(errorTagPath({ '.tag': 'shared_link_access_denied' }), 'shared_link_access_denied');
    assert.equal(errorTagPath({ reason: { '.tag': 'too_many_requests' }, retry_after: 15 }), 'too_many_requests');
    assert.equal(errorTagPath('text'), undefined);
  });
});

describe('classifyDropboxError', () => {
  test('a JSON 429 waits for the longer of Retry-After and the body retry_after', () => {
    const error = classifyDropboxError(answer(429, { error_summary: 'too_many_requests/..', error: { reason: { '.tag': 'too_many_requests' }, retry_after: 15 } }, { 'Retry-After': '2' }), NOW);
    assert.deepEqual([error.kind, error.reason, error.details.retryAfterMs, error.retryable], ['rate_limited', 'too_many_requests', 15_000, true]);
  });

  test('a plain-text 429 uses the Retry-After header', () => {
    const error = classifyDropboxError(answer(429, 'too_many_requests', { 'Retry-After': '3', 'Content-Type': 'text/plain' }), NOW);
    assert.deepEqual([error.kind, error.details.retryAfterMs], ['rate_limited', 3000]);
  });

  test('5xx is transient; a dropped connection too', () => {
    assert.equal(classifyDropboxError(answer(503, 'unavailable'), NOW).kind, 'transient');
    assert.equal(classifyDropboxError(answer(500, ''), NOW).reason, 'http_500');
    const reset = Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) });
    assert.deepEqual([classifyDropboxError(reset).kind, classifyDropboxError(reset).reason], ['transient', 'UND_ERR_SOCKET']);
  });

  test('409s are mapped by their tag to a clear job or file error', () => {
    const cases: [unknown, string, string, RegExp][] = [
      [{ '.tag': 'path', path: { '.tag': 'not_found' } }, 'not_found', 'path/not_found', /Not found on Dropbox/],
      [{ '.tag': 'shared_link_not_found' }, 'not_found', 'shared_link_not_found', /Not found/],
      [{ '.tag': 'shared_link_access_denied' }, 'file_unavailable', 'shared_link_access_denied', /does not allow access/],
      [{ '.tag': 'path', path: { '.tag': 'restricted_content' } }, 'file_unavailable', 'path/restricted_content', /restricts this content/],
      [{ '.tag': 'shared_link_is_directory' }, 'file_unavailable', 'shared_link_is_directory', /folder, not a file/],
      [{ '.tag': 'unsupported_link_type' }, 'file_unavailable', 'unsupported_link_type', /cannot be downloaded/],
      [{ '.tag': 'reset' }, 'fatal', 'reset', /cursor/],
      [{ '.tag': 'something_new' }, 'file_unavailable', 'something_new', /Dropbox refused it/],
    ];
    for (const [body, kind, reason, message] of cases) {
      const error = classifyDropboxError(conflict(body), NOW);
      assert.ok(error instanceof SourceError);
      assert.deepEqual([error.kind, error.reason, error.retryable], [kind, reason, false], reason);
      assert.match(error.message, message, reason);
    }
  });

  test("a 409's user_message is shown to people", () => {
    const error = classifyDropboxError(answer(409, { error_summary: 'shared_link_access_denied/', error: { '.tag': 'shared_link_access_denied' }, user_message: { text: 'Ask the owner.', locale: 'en' } }));
    assert.match(error.message, /Ask the owner\.$/);
  });

  test('bad credentials and bad requests are fatal', () => {
    const unauthorized = classifyDropboxError(answer(401, { error_summary: 'invalid_access_token/...', error: { '.tag': 'invalid_access_token' } }));
    assert.deepEqual([unauthorized.kind, unauthorized.reason], ['fatal', 'invalid_access_token']);
    assert.match(unauthorized.message, /DROPBOX_ACCESS_TOKEN/);
    const bad = classifyDropboxError(answer(400, 'Error in call to API function "files/list_folder": Must provide HTTP header "Authorization"'));
    assert.deepEqual([bad.kind, bad.reason], ['fatal', 'bad_request']);
    assert.match(bad.message, /Must provide HTTP header/);
  });

  test('a SourceError is returned as it is', () => {
    const error = new SourceError('transient', 'checksum_mismatch', 'bad bytes');
    assert.equal(classifyDropboxError(error), error);
  });
});
