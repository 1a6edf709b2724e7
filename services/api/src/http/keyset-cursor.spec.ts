import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError } from './api-error.js';
import { decodeCursor, encodeCursor } from './keyset-cursor.js';

const position = { createdAt: new Date('2026-11-21T14:43:44.543Z'), id: 'ef3a8a84-e7f5-4e12-959a-676ac69b97e9' };
const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const refused = (cursor: string) => assert.throws(() => decodeCursor(cursor), (e: unknown) => e instanceof ApiError && e.status === 400 && e.code === 'invalid_cursor', cursor);

test('a cursor decodes to the position it was made from', () => {
  assert.deepEqual(decodeCursor(encodeCursor(position)), position);
});

test('a cursor that is not one this API hands out is a 400, whatever it holds', () => {
  refused('not base64 at all!');
  refused(forged([position.createdAt.toISOString(), 'not-a-uuid']));
  refused(forged([position.createdAt.toISOString(), "1' OR 1=1 --"]));
  refused(forged(['yesterday', position.id]));
  refused(forged({ createdAt: position.createdAt, id: position.id }));
  refused(forged([position.createdAt.toISOString(), position.id, 'extra']));
  refused('A'.repeat(10_000));
});
