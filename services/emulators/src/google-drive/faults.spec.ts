import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FaultBook } from './faults.js';

const e503 = { type: 'error', status: 503 } as const;
const e429 = { type: 'error', status: 429, retryAfter: '1' } as const;

test('a rule gives its responses once each, in order, then the normal answer', () => {
  const book = new FaultBook();
  book.add({ route: 'files.list', responses: [e503, e429] });
  assert.equal(book.take('files.list', 'f')?.type, 'error');
  assert.deepEqual(book.take('files.list', 'f'), { ...e429, body: 'envelope' });
  assert.equal(book.take('files.list', 'f'), undefined);
  assert.deepEqual(book.state().map((s) => s.remaining), [0]);
});

test('rules match on route and file id; other requests are untouched', () => {
  const book = new FaultBook();
  book.add({ route: 'files.media', fileId: 'x', responses: [{ type: 'reset' }] });
  assert.equal(book.take('files.get', 'x'), undefined);
  assert.equal(book.take('files.media', 'y'), undefined);
  assert.deepEqual(book.take('files.media', 'x'), { type: 'reset' });
});

test('a repeating rule never runs out; the first matching rule answers', () => {
  const book = new FaultBook();
  book.add({ fileId: 'x', responses: [{ type: 'error', reason: 'cannotDownloadAbusiveFile' }], repeat: true }, { responses: [e503] });
  for (let i = 0; i < 5; i++) assert.equal(book.take('files.media', 'x')?.type, 'error');
  assert.deepEqual(book.state().map((s) => s.remaining), [null, 1]);
  assert.deepEqual(book.take('files.list', 'other'), { ...e503, body: 'envelope' });
  book.clear();
  assert.equal(book.take('files.media', 'x'), undefined);
});

test('a malformed rule is refused', () => {
  assert.throws(() => new FaultBook().add({ responses: [] }));
  assert.throws(() => new FaultBook().add({ responses: [{ type: 'error', status: 200 }] }));
});
