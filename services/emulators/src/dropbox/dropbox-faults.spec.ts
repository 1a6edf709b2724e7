import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dropboxFaultBook, DropboxFaultRuleSchema, normaliseDropboxPath } from './dropbox-faults.js';
import { conflict, faultRejection } from './dropbox-responses.js';

test('paths match case-insensitively, with or without leading, trailing and doubled slashes', () => {
  assert.equal(normaliseDropboxPath('Day 1//Night/A.PNG/'), '/day 1/night/a.png');
  assert.equal(normaliseDropboxPath(''), '/');
  const book = dropboxFaultBook();
  book.add({ route: 'get_shared_link_file', path: '/Day 1/a.png', responses: [{ type: 'corrupt' }] });
  assert.equal(book.take('get_shared_link_file', undefined), undefined);
  assert.deepEqual(book.take('get_shared_link_file', 'day 1/A.png'), { type: 'corrupt' });
});

test('Dropbox\'s own kinds get their defaults; the shared kinds are accepted too', () => {
  const rule = DropboxFaultRuleSchema.parse({ responses: [{ type: 'rateLimit' }, { type: 'status', status: 503 }, { type: 'delay', ms: 1 }] });
  assert.deepEqual(rule.responses, [{ type: 'rateLimit', retryAfter: 1, body: 'json' }, { type: 'status', status: 503, body: '' }, { type: 'delay', ms: 1 }]);
  assert.throws(() => DropboxFaultRuleSchema.parse({ responses: [{ type: 'error', status: 503 }] }), 'Drive\'s kind is not Dropbox\'s');
});

test('scripted errors become Dropbox\'s answers: 429 with Retry-After in JSON or text, a status, a 409 union', () => {
  const text = faultRejection({ type: 'rateLimit', retryAfter: 3, body: 'text' });
  assert.deepEqual([text.status, text.body, text.headers], [429, 'too_many_requests', { 'Retry-After': '3' }]);
  const json = faultRejection({ type: 'rateLimit', retryAfter: 2, body: 'json' });
  assert.deepEqual([json.status, json.body, json.headers], [429, { error_summary: 'too_many_requests/..', error: { reason: { '.tag': 'too_many_requests' }, retry_after: 2 } }, { 'Retry-After': '2' }]);
  assert.deepEqual([faultRejection({ type: 'status', status: 502, body: 'bad' }).status, faultRejection({ type: 'status', status: 502, body: 'bad' }).body], [502, 'bad']);
  assert.deepEqual(conflict({ '.tag': 'path', path: { '.tag': 'not_found' } }, 'gone').body, {
    error_summary: 'path/not_found/',
    error: { '.tag': 'path', path: { '.tag': 'not_found' } },
    user_message: { text: 'gone', locale: 'en' },
  });
});
