import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SourceError, type SourceErrorKind } from '../source-error.js';
import { classifyDriveError } from './drive-errors.js';

const NOW = Date.parse('2025-01-01T00:00:00Z');

/** An error shaped as gaxios throws it for an HTTP answer. */
function httpError(status: number, body: unknown, headers: Record<string, string> = {}): Error {
  const error = new Error(typeof body === 'string' ? body : `Request failed with status code ${status}`);
  return Object.assign(error, { status, response: { status, data: body, headers: new Headers(headers) } });
}

const envelope = (code: number, reason: string, message = 'm') => ({ error: { code, message, errors: [{ domain: 'global', reason, message }] } });

const cases: [string, unknown, SourceErrorKind, string, number?][] = [
  ['503 backendError', httpError(503, envelope(503, 'backendError')), 'transient', 'backendError'],
  ['500 with a null message and no errors', httpError(500, { error: { code: 500, message: null } }), 'transient', 'http_500'],
  ['502 with an empty body', httpError(502, ''), 'transient', 'http_502'],
  ['429 with an empty body and Retry-After: 2', httpError(429, '', { 'Retry-After': '2' }), 'rate_limited', 'rateLimitExceeded', 2000],
  ['429 rateLimitExceeded', httpError(429, envelope(429, 'rateLimitExceeded')), 'rate_limited', 'rateLimitExceeded'],
  ['403 userRateLimitExceeded', httpError(403, envelope(403, 'userRateLimitExceeded')), 'rate_limited', 'userRateLimitExceeded'],
  ['403 rateLimitExceeded with an HTTP-date Retry-After', httpError(403, envelope(403, 'rateLimitExceeded'), { 'retry-after': 'Wed, 01 Jan 2025 00:00:05 GMT' }), 'rate_limited', 'rateLimitExceeded', 5000],
  ['403 fileNotDownloadable', httpError(403, envelope(403, 'fileNotDownloadable')), 'file_unavailable', 'fileNotDownloadable'],
  ['403 cannotDownloadAbusiveFile', httpError(403, envelope(403, 'cannotDownloadAbusiveFile')), 'file_unavailable', 'cannotDownloadAbusiveFile'],
  ['403 downloadQuotaExceeded', httpError(403, envelope(403, 'downloadQuotaExceeded')), 'file_unavailable', 'downloadQuotaExceeded'],
  ['403 quotaExceeded (quota.download)', httpError(403, envelope(403, 'quotaExceeded')), 'file_unavailable', 'quotaExceeded'],
  ['403 insufficientFilePermissions', httpError(403, envelope(403, 'insufficientFilePermissions')), 'file_unavailable', 'insufficientFilePermissions'],
  ['403 cannotDownloadFile', httpError(403, envelope(403, 'cannotDownloadFile')), 'file_unavailable', 'cannotDownloadFile'],
  ['403 with a body as a JSON string (stream responses)', httpError(403, JSON.stringify(envelope(403, 'cannotDownloadAbusiveFile'))), 'file_unavailable', 'cannotDownloadAbusiveFile'],
  ['403 dailyLimitExceeded', httpError(403, envelope(403, 'dailyLimitExceeded')), 'fatal', 'dailyLimitExceeded'],
  ['403 missing key (forbidden)', httpError(403, envelope(403, 'forbidden')), 'fatal', 'forbidden'],
  ['403 accessNotConfigured', httpError(403, envelope(403, 'accessNotConfigured')), 'fatal', 'accessNotConfigured'],
  ['400 keyInvalid', httpError(400, envelope(400, 'keyInvalid')), 'fatal', 'keyInvalid'],
  ['400 invalidParameter', httpError(400, envelope(400, 'invalidParameter')), 'fatal', 'invalidParameter'],
  ['401 required', httpError(401, envelope(401, 'required')), 'fatal', 'required'],
  ['403 with no body', httpError(403, ''), 'file_unavailable', 'http_403'],
  ['400 invalid on pageToken', httpError(400, { error: { code: 400, message: 'Invalid Value', errors: [{ reason: 'invalid', location: 'pageToken' }] } }), 'fatal', 'invalid_page_token'],
  ['404 notFound', httpError(404, envelope(404, 'notFound', 'File not found: x.')), 'not_found', 'notFound'],
  ['404 with no body', httpError(404, undefined), 'not_found', 'notFound'],
  ['ECONNRESET without a response', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }), 'transient', 'ECONNRESET'],
  ['ETIMEDOUT as the cause', new Error('request failed', { cause: Object.assign(new Error('connect ETIMEDOUT'), { code: 'ETIMEDOUT' }) }), 'transient', 'ETIMEDOUT'],
  ['socket hang up', new Error('socket hang up'), 'transient', 'network'],
  ['premature close of a download', Object.assign(new Error('Invalid response body: Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' }), 'transient', 'ERR_STREAM_PREMATURE_CLOSE'],
  ['a programming error', new TypeError('x is not a function'), 'fatal', 'unexpected'],
];

describe('classifyDriveError', () => {
  for (const [name, error, kind, reason, retryAfterMs] of cases) {
    test(`${name} → ${kind} (${reason})`, () => {
      const classified = classifyDriveError(error, NOW);
      assert.ok(classified instanceof SourceError);
      assert.equal(classified.kind, kind);
      assert.equal(classified.reason, reason);
      assert.equal(classified.details.retryAfterMs, retryAfterMs);
      assert.equal(classified.details.cause, error);
    });
  }

  test('the HTTP status and Google message travel with the error', () => {
    const classified = classifyDriveError(httpError(404, envelope(404, 'notFound', 'File not found: abc.')), NOW);
    assert.equal(classified.details.status, 404);
    assert.match(classified.message, /File not found: abc\./);
  });

  test('the reason is read from gaxios\' flattened cause when the body is gone', () => {
    const error = Object.assign(new Error('Rate'), { status: 403, response: { status: 403, headers: {} }, cause: { errors: [{ reason: 'userRateLimitExceeded' }] } });
    assert.equal(classifyDriveError(error, NOW).kind, 'rate_limited');
  });

  test('a SourceError is returned unchanged', () => {
    const original = new SourceError('not_found', 'not_a_folder', 'x');
    assert.equal(classifyDriveError(original), original);
  });
});
