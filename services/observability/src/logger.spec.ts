import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLogger } from './logger.js';

function capture(level?: 'debug' | 'info' | 'warn' | 'error') {
  const lines: string[] = [];
  const log = createLogger({ service: 'transfer', level, write: (line) => lines.push(line) });
  const records = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { log, lines, records };
}

test('every line is one JSON object with the service, the message and the child fields', () => {
  const { log: root, lines, records } = capture();
  const log = root.child({ jobId: 'j1' });
  log.info('file done', { fileId: 'f1', bytes: 10 });
  log.error('file failed', { error: new Error('boom') });
  log.debug('not shown at info level');
  assert.equal(lines.length, 2);
  assert.ok(lines.every((line) => line.endsWith('}\n') && !line.slice(0, -1).includes('\n')));
  const [done, failed] = records();
  assert.equal(done?.service, 'transfer');
  assert.equal(done?.msg, 'file done');
  assert.equal(done?.level, 'info');
  assert.equal(new Date(String(done?.time)).toISOString(), done?.time);
  assert.equal(done?.jobId, 'j1');
  assert.equal(done?.fileId, 'f1');
  assert.equal(done?.bytes, 10);
  assert.equal(failed?.level, 'error');
  assert.equal((failed?.error as { message: string }).message, 'boom');
  assert.deepEqual(Object.keys(done ?? {}), ['level', 'time', 'service', 'jobId', 'msg', 'fileId', 'bytes']);
});

test('the level filters lines, and a child keeps it', () => {
  const { log, records } = capture('warn');
  log.child({ jobId: 'j1' }).info('hidden');
  log.warn('shown');
  log.error('also shown');
  assert.deepEqual(records().map((r) => [r.level, r.msg]), [['warn', 'shown'], ['error', 'also shown']]);
});

test('a field overrides the child field of the same name', () => {
  const { log, records } = capture();
  log.child({ fileId: 'from-child' }).info('x', { fileId: 'from-line' });
  assert.equal(records()[0]?.fileId, 'from-line');
});

test('an error keeps its type, name, message, stack, own properties and cause', () => {
  const { log, records } = capture();
  class SourceError extends Error {
    override readonly name = 'SourceError';
    readonly status = 404;
  }
  const cause = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
  log.warn('list failed', { error: new SourceError('fetch failed', { cause }) });
  const error = records()[0]?.error as Record<string, unknown>;
  assert.equal(error.type, 'SourceError');
  assert.equal(error.name, 'SourceError');
  assert.equal(error.message, 'fetch failed');
  assert.equal(error.status, 404);
  assert.match(String(error.stack), /^SourceError: fetch failed\n\s+at /);
  assert.deepEqual((error.cause as Record<string, unknown>).code, 'ECONNREFUSED');
  assert.equal((error.cause as Record<string, unknown>).message, 'connect ECONNREFUSED 127.0.0.1:1');
});

test("an HTTP client's error is logged without the request and response it carries", () => {
  const { log, lines, records } = capture();
  const error = Object.assign(new Error('File not found: x.'), {
    code: 404,
    config: { url: 'https://www.googleapis.com/drive/v3/files/x?key=AIzaSecret', params: { key: 'AIzaSecret' }, headers: { 'x-goog-api-key': 'AIzaSecret' } },
    response: { status: 404, data: { pipe() {} } },
  });
  log.warn('get failed', { error });
  assert.deepEqual(Object.keys(records()[0]?.error as object), ['type', 'name', 'message', 'stack', 'code']);
  assert.ok(!lines[0]?.includes('AIzaSecret'));
});

test('a circular field is written, cut where it comes round', () => {
  const { log, records } = capture();
  const loop: Record<string, unknown> = { name: 'loop' };
  loop.self = loop;
  log.info('x', { loop });
  assert.deepEqual(records()[0]?.loop, { name: 'loop', self: '[circular]' });
});

test('secrets are masked by their name, in the fields, the child fields and nested objects', () => {
  const { log, lines, records } = capture();
  log.child({ apiKey: 'AIzaChild', jobId: 'j1' }).info('call', {
    headers: { authorization: 'Bearer abc.def', 'dapr-api-token': 'dapr-secret', accept: 'application/json' },
    DROPBOX_APP_SECRET: 'app-secret',
    password: 'hunter2',
    accessToken: 'sl.token',
    tokens: 5,
    key: 'google_drive/folder/photo.jpg',
  });
  const [line] = records();
  assert.equal(line?.apiKey, '[redacted]');
  assert.equal(line?.jobId, 'j1');
  assert.deepEqual(line?.headers, { authorization: '[redacted]', 'dapr-api-token': '[redacted]', accept: 'application/json' });
  assert.equal(line?.DROPBOX_APP_SECRET, '[redacted]');
  assert.equal(line?.password, '[redacted]');
  assert.equal(line?.accessToken, '[redacted]');
  assert.equal(line?.tokens, 5, 'a count under a secret-like name is no secret');
  assert.equal(line?.key, 'google_drive/folder/photo.jpg', 'an object key is no secret');
  for (const secret of ['AIzaChild', 'abc.def', 'dapr-secret', 'app-secret', 'hunter2', 'sl.token']) assert.ok(!lines[0]?.includes(secret), secret);
});

test("a Dropbox URL is logged with its rlkey masked, in a field, the message and an error's text", () => {
  const { log, lines, records } = capture();
  const link = 'https://www.dropbox.com/scl/fo/abc123/def456?rlkey=s3cr3tRlKey&st=ab12cd34&dl=0';
  log.info(`listing ${link}`, { url: link, error: new Error(`GET ${link} answered 409`) });
  const [line] = records();
  assert.equal(line?.url, 'https://www.dropbox.com/scl/fo/abc123/def456?rlkey=[redacted]&st=ab12cd34&dl=0');
  assert.equal(line?.msg, 'listing https://www.dropbox.com/scl/fo/abc123/def456?rlkey=[redacted]&st=ab12cd34&dl=0');
  assert.match(String((line?.error as { message: string }).message), /rlkey=\[redacted\]&st=/);
  assert.ok(!lines[0]?.includes('s3cr3tRlKey'));
});

test('a URL object is logged as its masked text', () => {
  const { log, records } = capture();
  log.info('x', { url: new URL('https://www.googleapis.com/drive/v3/files?key=AIzaSecret&q=x') });
  assert.equal(records()[0]?.url, 'https://www.googleapis.com/drive/v3/files?key=[redacted]&q=x');
});
