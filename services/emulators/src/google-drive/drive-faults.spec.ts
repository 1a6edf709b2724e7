import assert from 'node:assert/strict';
import { test } from 'node:test';
import { driveFaultBook, FaultRuleSchema } from './drive-faults.js';

const e503 = { type: 'error', status: 503 } as const;
const e429 = { type: 'error', status: 429, retryAfter: '1' } as const;

test('a Google error fault gets Google\'s envelope by default', () => {
  const book = driveFaultBook();
  book.add({ route: 'files.list', responses: [e503, e429] });
  assert.deepEqual(book.take('files.list', 'f'), { ...e503, body: 'envelope' });
  assert.deepEqual(book.take('files.list', 'f'), { ...e429, body: 'envelope' });
  assert.equal(book.take('files.list', 'f'), undefined);
});

test('rules match file ids exactly, on their route only', () => {
  const book = driveFaultBook();
  book.add({ route: 'files.media', fileId: 'x', responses: [{ type: 'reset' }] });
  assert.equal(book.take('files.get', 'x'), undefined);
  assert.equal(book.take('files.media', 'X'), undefined);
  assert.equal(book.take('files.media', undefined), undefined);
  assert.deepEqual(book.take('files.media', 'x'), { type: 'reset' });
});

test('the shared transport faults are Drive faults too', () => {
  const rule = FaultRuleSchema.parse({ responses: [{ type: 'delay', ms: 5 }, { type: 'resetMidBody' }, { type: 'corrupt' }, { type: 'reset' }] });
  assert.deepEqual(rule.responses.map((r) => r.type), ['delay', 'resetMidBody', 'corrupt', 'reset']);
});

test('a rule parses to route, fileId, responses, repeat, in that order (as /_emulator/faults shows it)', () => {
  assert.deepEqual(Object.keys(FaultRuleSchema.parse({ repeat: true, responses: [e503], fileId: 'x', route: 'files.get' })), ['route', 'fileId', 'responses', 'repeat']);
});

test('a malformed rule is refused', () => {
  assert.throws(() => driveFaultBook().add({ responses: [] }));
  assert.throws(() => driveFaultBook().add({ responses: [{ type: 'error', status: 200 }] }));
  assert.throws(() => driveFaultBook().add({ fileId: '', responses: [e503] }));
  assert.throws(() => driveFaultBook().add({ route: 'files.nope' as 'files.get', responses: [e503] }));
});
